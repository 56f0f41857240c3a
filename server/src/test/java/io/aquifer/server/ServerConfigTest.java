package io.aquifer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Settings: their names, defaults, parsing and what they refuse. */
class ServerConfigTest {
  @Test
  void statementAndResultSettingsHaveTheirDefaults() {
    ServerConfig config =
        ServerConfig.load(null, Map.of(), Map.of(ServerConfig.DATA_DIR, "/srv/aq"));
    assertEquals(java.time.Duration.ZERO, config.statementTimeout());
    assertEquals(java.time.Duration.ofHours(1), config.resultExpiry());
    assertEquals(8L << 30, config.resultQuotaBytes());
    assertEquals(Path.of("/srv/aq/results"), config.gatewayConfig().results().spillDirectory());
    assertTrue(ServerConfig.PROPERTIES.contains("statement-timeout"));
    assertTrue(ServerConfig.PROPERTIES.contains("result-expiry"));
    assertTrue(ServerConfig.PROPERTIES.contains("result-quota"));
    assertTrue(ServerConfig.PROPERTIES.contains("result-memory"));
    assertEquals(256L << 20, config.gatewayConfig().results().memoryLimitBytes());
    assertEquals(
        0,
        ServerConfig.load(null, Map.of(), Map.of(ServerConfig.RESULT_MEMORY, "0"))
            .gatewayConfig()
            .results()
            .memoryLimitBytes());
    assertEquals(
        java.time.Duration.ofMinutes(10), config.flightSqlConfig().unclaimedResultTimeout());
    assertTrue(ServerConfig.PROPERTIES.contains("flight-unclaimed-result-timeout"));
    ServerConfig set =
        ServerConfig.load(
            null,
            Map.of("AQUIFER_STATEMENT_TIMEOUT", "30"),
            Map.of(
                ServerConfig.RESULT_EXPIRY,
                "60",
                ServerConfig.RESULT_QUOTA,
                "1GB",
                ServerConfig.FLIGHT_UNCLAIMED_RESULT_TIMEOUT,
                "5"));
    assertEquals(java.time.Duration.ofSeconds(30), set.gatewayConfig().statementTimeout());
    assertEquals(java.time.Duration.ofSeconds(5), set.flightSqlConfig().unclaimedResultTimeout());
    assertEquals(java.time.Duration.ofSeconds(60), set.gatewayConfig().results().expiry());
    assertEquals(1L << 30, set.gatewayConfig().results().quotaPerPrincipalBytes());
    assertThrows(
        IllegalArgumentException.class,
        () -> ServerConfig.load(null, Map.of(), Map.of(ServerConfig.RESULT_EXPIRY, "0")));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            ServerConfig.load(
                null, Map.of(), Map.of(ServerConfig.FLIGHT_UNCLAIMED_RESULT_TIMEOUT, "0")));
  }

  @Test
  void theNodeDataCacheIsOnWithEightGigabytesUnlessASizeIsGiven() {
    assertTrue(ServerConfig.PROPERTIES.contains("node-data-cache-size"));
    assertEquals(8L << 30, ServerConfig.load(null, Map.of(), Map.of()).nodeDataCacheBytes());
    assertEquals(
        0,
        ServerConfig.load(null, Map.of(), Map.of(ServerConfig.NODE_DATA_CACHE_SIZE, "0"))
            .nodeDataCacheBytes());
    assertEquals(
        2L << 30,
        ServerConfig.load(null, Map.of(), Map.of(ServerConfig.NODE_DATA_CACHE_SIZE, "2GB"))
            .nodeDataCacheBytes());
    IllegalArgumentException bad =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ServerConfig.load(
                    null, Map.of(), Map.of(ServerConfig.NODE_DATA_CACHE_SIZE, "lots")));
    assertTrue(bad.getMessage().contains("node-data-cache-size"), bad.getMessage());
  }

  @Test
  void tablesStayInTheDataDirectoryUnlessAStorageRootInS3IsGiven() {
    assertTrue(ServerConfig.PROPERTIES.contains("storage-root"));
    assertTrue(ServerConfig.PROPERTIES.contains("disk-cache-size"));
    ServerConfig defaults = ServerConfig.load(null, Map.of(), Map.of());
    assertTrue(defaults.storageRoot().isEmpty());
    assertTrue(defaults.gatewayConfig().storageRoot().isEmpty());
    assertEquals(10L << 30, defaults.diskCacheBytes());
    ServerConfig s3 =
        ServerConfig.load(
            null,
            Map.of("AQUIFER_STORAGE_ROOT", "s3://lake/aquifer"),
            Map.of(ServerConfig.DISK_CACHE_SIZE, "2GB"));
    assertEquals(
        java.util.Optional.of(java.net.URI.create("s3://lake/aquifer")),
        s3.gatewayConfig().storageRoot());
    assertEquals(2L << 30, s3.diskCacheBytes());
    // The result cache's durable tier follows the tables into S3, unless told otherwise.
    assertTrue(defaults.gatewayConfig().resultCache().s3().isEmpty());
    io.aquifer.results.cache.S3CacheLocation results =
        s3.gatewayConfig().resultCache().s3().orElseThrow();
    assertEquals("lake", results.bucket());
    assertEquals("aquifer/result-cache", results.prefix());
    assertTrue(
        ServerConfig.load(
                null,
                Map.of("AQUIFER_STORAGE_ROOT", "s3://lake/aquifer"),
                Map.of(ServerConfig.RESULT_CACHE_DIR, "/tmp/rc"))
            .gatewayConfig()
            .resultCache()
            .s3()
            .isEmpty());
    assertEquals(
        "other",
        ServerConfig.load(
                null,
                Map.of("AQUIFER_STORAGE_ROOT", "s3://lake/aquifer"),
                Map.of(ServerConfig.RESULT_CACHE_S3_BUCKET, "other"))
            .gatewayConfig()
            .resultCache()
            .s3()
            .orElseThrow()
            .bucket());
    assertEquals(
        WarehouseConfig.NodeMode.PROCESS,
        ServerConfig.load(
                null,
                Map.of(),
                Map.of(
                    ServerConfig.STORAGE_ROOT,
                    "s3://lake/aquifer",
                    WarehouseConfig.NODES,
                    "process"))
            .warehouses()
            .nodes());
    IllegalArgumentException pods =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ServerConfig.load(
                    null,
                    Map.of(),
                    Map.of(
                        ServerConfig.STORAGE_ROOT,
                        "s3://lake/aquifer",
                        WarehouseConfig.NODES,
                        "kubernetes")));
    assertTrue(pods.getMessage().contains("warehouse-nodes=in-process or process"));
    for (String bad : List.of("/srv/tables", "file:/srv/tables", "s3:///no-bucket", "s3 ://x")) {
      assertThrows(
          IllegalArgumentException.class,
          () -> ServerConfig.load(null, Map.of(), Map.of(ServerConfig.STORAGE_ROOT, bad)),
          bad);
    }
  }

  @Test
  void metricsNeedAnAdminTokenUnlessOpened() {
    assertTrue(ServerConfig.PROPERTIES.contains("metrics-access"));
    assertEquals(
        io.aquifer.rest.MetricsAccess.ADMIN,
        ServerConfig.load(null, Map.of(), Map.of()).metricsAccess());
    assertEquals(
        io.aquifer.rest.MetricsAccess.OPEN,
        ServerConfig.load(null, Map.of("AQUIFER_METRICS_ACCESS", "open"), Map.of())
            .metricsAccess());
    IllegalArgumentException bad =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ServerConfig.load(null, Map.of(), Map.of(ServerConfig.METRICS_ACCESS, "everyone")));
    assertTrue(bad.getMessage().contains("metrics-access must be admin or open"), bad.getMessage());
  }

  @Test
  void restApiListensOn8080OverPlainHttpUnlessToldOtherwise() {
    ServerConfig config =
        ServerConfig.load(null, Map.of(), Map.of(ServerConfig.DATA_DIR, "/srv/aq"));
    assertEquals(8080, config.rest().port());
    assertTrue(config.rest().tlsCertificate().isEmpty());
    assertEquals(java.time.Duration.ofMinutes(15), config.rest().externalLinkExpiry());
    ServerConfig tls =
        ServerConfig.load(
            null,
            Map.of("AQUIFER_HTTP_PORT", "9443"),
            Map.of(ServerConfig.TLS_CERT, "/etc/aq/cert.pem", ServerConfig.TLS_KEY, "/etc/k.pem"));
    assertEquals(9443, tls.rest().port());
    assertEquals(Path.of("/etc/aq/cert.pem"), tls.rest().tlsCertificate().orElseThrow());
    assertTrue(tls.rest().tls());
    assertThrows(
        IllegalArgumentException.class,
        () -> ServerConfig.load(null, Map.of(), Map.of(ServerConfig.TLS_CERT, "/etc/c.pem")));
    assertThrows(
        IllegalArgumentException.class,
        () -> ServerConfig.load(null, Map.of(), Map.of(ServerConfig.HTTP_PORT, "70000")));
    assertEquals(
        java.time.Duration.ofSeconds(60),
        ServerConfig.load(null, Map.of(), Map.of(ServerConfig.EXTERNAL_LINK_EXPIRY, "60"))
            .rest()
            .externalLinkExpiry());
    assertThrows(
        IllegalArgumentException.class,
        () -> ServerConfig.load(null, Map.of(), Map.of(ServerConfig.EXTERNAL_LINK_EXPIRY, "0")));
  }

  @Test
  void externalLocationsDefaultToTheExternalDirectoryOfTheDataDirectory() {
    ServerConfig config =
        ServerConfig.load(null, Map.of(), Map.of(ServerConfig.DATA_DIR, "/srv/aq"));
    assertEquals(List.of(Path.of("/srv/aq/external")), config.externalLocations());
    assertTrue(ServerConfig.PROPERTIES.contains("external-locations"));
  }

  @Test
  void externalLocationsAreACommaSeparatedListOfAbsoluteDirectories() {
    ServerConfig config =
        ServerConfig.load(
            null,
            Map.of("AQUIFER_EXTERNAL_LOCATIONS", "/lake/a, /lake/b/../c"),
            Map.of(ServerConfig.DATA_DIR, "/srv/aq"));
    assertEquals(List.of(Path.of("/lake/a"), Path.of("/lake/c")), config.externalLocations());
    assertEquals(
        List.of(),
        ServerConfig.load(null, Map.of(), Map.of(ServerConfig.EXTERNAL_LOCATIONS, ""))
            .externalLocations());
  }

  @Test
  void relativeOrManagedExternalLocationsAreRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> ServerConfig.load(null, Map.of(), Map.of(ServerConfig.EXTERNAL_LOCATIONS, "lake")));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            ServerConfig.load(
                null,
                Map.of(),
                Map.of(
                    ServerConfig.DATA_DIR, "/srv/aq",
                    ServerConfig.EXTERNAL_LOCATIONS, "/srv/aq/warehouse/main")));
  }

  @Test
  void queryHistoryRetentionDefaultsAndSettings() {
    ServerConfig defaults =
        ServerConfig.load(null, Map.of(), Map.of(ServerConfig.DATA_DIR, "/srv/aq"));
    assertEquals(100_000, defaults.queryHistory().maxEntries());
    assertEquals(java.time.Duration.ofDays(30), defaults.queryHistory().maxAge());
    assertTrue(ServerConfig.PROPERTIES.contains("query-history-max-entries"));
    assertTrue(ServerConfig.PROPERTIES.contains("query-history-max-age"));
    assertTrue(ServerConfig.PROPERTIES.contains("query-history-engine-profile-max-size"));
    assertEquals(256L << 10, defaults.queryHistory().engineProfileMaxBytes());
    assertTrue(defaults.queryHistory().engineProfiles());
    ServerConfig off =
        ServerConfig.load(
            null,
            Map.of(),
            Map.of(
                ServerConfig.DATA_DIR,
                "/srv/aq",
                ServerConfig.QUERY_HISTORY_ENGINE_PROFILE_MAX_SIZE,
                "0"));
    assertFalse(off.queryHistory().engineProfiles());
    assertEquals(
        64L << 10,
        ServerConfig.load(
                null,
                Map.of(),
                Map.of(
                    ServerConfig.DATA_DIR,
                    "/srv/aq",
                    ServerConfig.QUERY_HISTORY_ENGINE_PROFILE_MAX_SIZE,
                    "64KB"))
            .queryHistory()
            .engineProfileMaxBytes());

    ServerConfig set =
        ServerConfig.load(
            null,
            Map.of("AQUIFER_QUERY_HISTORY_MAX_AGE", "12h"),
            Map.of(ServerConfig.DATA_DIR, "/srv/aq", ServerConfig.QUERY_HISTORY_MAX_ENTRIES, "50"));
    assertEquals(50, set.queryHistory().maxEntries());
    assertEquals(java.time.Duration.ofHours(12), set.queryHistory().maxAge());

    IllegalArgumentException badAge =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ServerConfig.load(
                    null, Map.of(), Map.of(ServerConfig.QUERY_HISTORY_MAX_AGE, "soon")));
    assertTrue(badAge.getMessage().contains("query-history-max-age"), badAge.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            ServerConfig.load(null, Map.of(), Map.of(ServerConfig.QUERY_HISTORY_MAX_ENTRIES, "0")));
  }
}

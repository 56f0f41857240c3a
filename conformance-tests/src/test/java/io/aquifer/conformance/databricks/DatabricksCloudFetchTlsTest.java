package io.aquifer.conformance.databricks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.conformance.ConformanceServer;
import io.aquifer.server.ServerConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CloudFetch over HTTPS: Databricks' JDBC driver 3.4.5 (Thrift mode, {@code ssl=1;
 * AllowSelfSignedCerts=1}) downloads a result of more than 1 MiB from links on the server's HTTPS
 * port, with the self-signed certificate it was told to accept.
 */
class DatabricksCloudFetchTlsTest {
  private static final int ROWS = 1 << 15;

  @TempDir Path dataDirectory;
  @TempDir Path keys;

  @Test
  void resultLinksAreDownloadedOverHttps() throws Exception {
    Path cert = keys.resolve("cert.pem");
    Path key = keys.resolve("key.pem");
    Process openssl =
        new ProcessBuilder(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=127.0.0.1",
                "-addext",
                "subjectAltName=IP:127.0.0.1",
                "-keyout",
                key.toString(),
                "-out",
                cert.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    assertTrue(openssl.waitFor(2, TimeUnit.MINUTES));
    assertEquals(0, openssl.exitValue());
    try (ConformanceServer server =
        ConformanceServer.start(
            dataDirectory,
            Map.of(ServerConfig.TLS_CERT, cert.toString(), ServerConfig.TLS_KEY, key.toString()))) {
      String url =
          server
                  .server()
                  .databricksRest()
                  .thriftJdbcUrl(server.server().databricksRest().warehouseId())
              + ";UID=token;PWD="
              + server.token()
              + ";AllowSelfSignedCerts=1";
      assertTrue(url.contains("ssl=1"), url);
      try (Connection c = DriverManager.getConnection(url);
          Statement s = c.createStatement()) {
        s.execute("CREATE TABLE wide (id BIGINT, label STRING)");
        s.execute("INSERT INTO wide VALUES (0, '" + "x".repeat(100) + "')");
        for (long n = 1; n < ROWS; n *= 2) {
          s.execute("INSERT INTO wide SELECT id + " + n + ", label FROM wide");
        }
      }
      long before = server.server().databricksRest().chunkLinks().downloads();
      long rows = 0;
      long sum = 0;
      try (Connection c = DriverManager.getConnection(url);
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT id, label FROM wide")) {
        while (rs.next()) {
          rows++;
          sum += rs.getLong(1);
          assertEquals(100, rs.getString(2).length());
        }
      }
      assertEquals(ROWS, rows);
      assertEquals((long) ROWS * (ROWS - 1) / 2, sum);
      assertTrue(server.server().databricksRest().chunkLinks().downloads() > before);
    }
  }
}

package io.aquifer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The external-locations setting: its default, its parsing and what it refuses. */
class ServerConfigTest {
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
}

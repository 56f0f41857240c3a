package io.aquifer.exec.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.exec.duckdb.DuckDbEngineConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class WarehouseNodeMainTest {
  @Test
  void optionsBecomeTheEngineConfig() {
    WarehouseNodeMain.Options options =
        WarehouseNodeMain.Options.parse(
            new String[] {
              "--data-dir",
              "/data/a",
              "--data-dir=/data/b",
              "--port",
              "47470",
              "--temp-dir",
              "/tmp/spill",
              "--memory-limit",
              "2GB",
              "--threads",
              "3"
            });
    assertEquals(47470, options.port);
    assertEquals("127.0.0.1", options.host);
    DuckDbEngineConfig config = options.config();
    assertEquals(List.of(Path.of("/data/a"), Path.of("/data/b")), config.dataDirectories());
    assertEquals(Path.of("/tmp/spill"), config.tempDirectory());
    assertEquals(2L << 30, config.nodeMemoryLimitBytes());
    assertEquals(512L << 20, config.queryMemoryLimitBytes());
    assertEquals(3, config.threads());
    assertTrue(config.engineProfiles()); // profiles are kept unless turned off
    assertFalse(
        WarehouseNodeMain.Options.parse(new String[] {"--data-dir", "/d", "--no-engine-profiles"})
            .config()
            .engineProfiles());
  }

  @Test
  void aDataDirectoryIsRequiredAndUnknownOptionsAreRefused() {
    assertThrows(
        IllegalArgumentException.class, () -> WarehouseNodeMain.Options.parse(new String[0]));
    assertThrows(
        IllegalArgumentException.class,
        () -> WarehouseNodeMain.Options.parse(new String[] {"--data-dir", "/d", "--bogus", "1"}));
    assertThrows(
        IllegalArgumentException.class,
        () -> WarehouseNodeMain.Options.parse(new String[] {"--data-dir", "/d", "--port", "x"}));
  }

  @Test
  void aDiskCacheIsOptionalAndItsSizeNeedsItsDirectory() {
    WarehouseNodeMain.Options cached =
        WarehouseNodeMain.Options.parse(
            new String[] {
              "--data-dir", "/d", "--disk-cache-dir", "/c", "--disk-cache-size", "2GB"
            });
    assertEquals(Path.of("/c"), cached.diskCacheDirectory);
    assertEquals("2GB", cached.diskCacheSize);
    assertEquals(
        null,
        WarehouseNodeMain.Options.parse(new String[] {"--data-dir", "/d"}).diskCacheDirectory);
    assertThrows(
        IllegalArgumentException.class,
        () ->
            WarehouseNodeMain.Options.parse(
                new String[] {"--data-dir", "/d", "--disk-cache-size", "2GB"}));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            WarehouseNodeMain.Options.parse(
                new String[] {
                  "--data-dir", "/d", "--disk-cache-dir", "/c", "--disk-cache-size", "x"
                }));
  }

  /**
   * The warm-up the gateway runs once to make the nodes' class archive: a node that needs no
   * secret, queries itself over Flight and leaves no file behind.
   */
  @Test
  void theWarmUpRunsAQueryThroughItsOwnFlightEndpoint(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    WarehouseNodeMain.Options options =
        WarehouseNodeMain.Options.parse(
            new String[] {
              "--warm-up",
              "--data-dir",
              dir.resolve("data").toString(),
              "--temp-dir",
              dir.resolve("tmp").toString(),
              "--threads",
              "1"
            });
    assertTrue(options.warmUp);
    WarehouseNodeMain.warmUp(options);
    assertFalse(java.nio.file.Files.exists(dir.resolve("data").resolve("warm-up.parquet")));
  }
}

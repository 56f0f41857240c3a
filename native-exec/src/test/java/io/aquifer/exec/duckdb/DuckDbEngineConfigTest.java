package io.aquifer.exec.duckdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DuckDbEngineConfigTest {
  @Test
  void defaultsWorkOnALaptop() {
    DuckDbEngineConfig config =
        DuckDbEngineConfig.defaults(List.of(Path.of("/data")), Path.of("/tmp/spill"));
    assertTrue(config.nodeMemoryLimitBytes() >= 512L << 20);
    assertEquals(config.nodeMemoryLimitBytes() / 4, config.queryMemoryLimitBytes());
    assertEquals(Runtime.getRuntime().availableProcessors(), config.threads());
    assertEquals(16_384, config.arrowBatchRows());
    assertEquals(List.of(Path.of("/data")), config.dataDirectories());
  }

  @Test
  void directoriesAreAbsoluteAndNormalized() {
    DuckDbEngineConfig config =
        DuckDbEngineConfig.defaults(List.of(Path.of("/data/x/../y")), Path.of("/tmp/./spill"));
    assertEquals(List.of(Path.of("/data/y")), config.dataDirectories());
    assertEquals(Path.of("/tmp/spill"), config.tempDirectory());
  }

  @Test
  void limitsAreValidated() {
    DuckDbEngineConfig config =
        DuckDbEngineConfig.defaults(List.of(Path.of("/data")), Path.of("/tmp/spill"));
    assertThrows(IllegalArgumentException.class, () -> config.withMemoryLimits(1 << 20, 1 << 20));
    assertThrows(IllegalArgumentException.class, () -> config.withMemoryLimits(1L << 30, 2L << 30));
    assertThrows(IllegalArgumentException.class, () -> config.withThreads(0));
    assertThrows(IllegalArgumentException.class, () -> config.withArrowBatchRows(0));
    assertThrows(
        IllegalArgumentException.class,
        () -> DuckDbEngineConfig.defaults(List.of(), Path.of("/tmp")));
  }

  @Test
  void sizesParseAndFormatInBinaryUnits() {
    assertEquals(4L << 30, DuckDbEngineConfig.parseBytes("4GB"));
    assertEquals(512L << 20, DuckDbEngineConfig.parseBytes("512MiB"));
    assertEquals(1536L << 20, DuckDbEngineConfig.parseBytes("1.5g"));
    assertEquals(1000, DuckDbEngineConfig.parseBytes("1000"));
    assertThrows(IllegalArgumentException.class, () -> DuckDbEngineConfig.parseBytes("lots"));
    assertEquals("256.0 MiB", DuckDbEngineConfig.formatBytes(256L << 20));
    assertEquals("1.5 GiB", DuckDbEngineConfig.formatBytes(1536L << 20));
    assertEquals("12 bytes", DuckDbEngineConfig.formatBytes(12));
  }
}

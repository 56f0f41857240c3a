package io.aquifer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeNativeLibraryTest {
  @TempDir Path nodes;

  @Test
  void theLibraryIsUnpackedOnceBesideADriverJarWithoutIt() throws Exception {
    NodeNativeLibrary.Prepared prepared = NodeNativeLibrary.prepare(nodes).orElseThrow();
    Path library = prepared.libraryDirectory().resolve(NodeNativeLibrary.LIBRARY_FILE);
    try (ZipFile driver = new ZipFile(prepared.driverJar().toFile());
        ZipFile stripped = new ZipFile(prepared.strippedJar().toFile())) {
      assertEquals(
          driver.getEntry("libduckdb_java.so_" + NodeNativeLibrary.platform()).getSize(),
          Files.size(library));
      assertNotNull(stripped.getEntry("org/duckdb/DuckDBDriver.class"));
      assertNotNull(stripped.getEntry("META-INF/services/java.sql.Driver"));
      assertTrue(stripped.stream().noneMatch(e -> e.getName().startsWith("libduckdb_java")));
    }

    FileTime unpacked = Files.getLastModifiedTime(library);
    NodeNativeLibrary.Prepared again = NodeNativeLibrary.prepare(nodes).orElseThrow();
    assertEquals(prepared, again);
    assertEquals(unpacked, Files.getLastModifiedTime(library), "not unpacked a second time");
    try (var files = Files.list(prepared.libraryDirectory())) {
      assertEquals(2, files.count(), "no partial files left");
    }

    String classPath =
        String.join(
            File.pathSeparator, "/elsewhere/a.jar", prepared.driverJar().toString(), "b.jar");
    String replaced = prepared.classPath(classPath);
    assertEquals(
        String.join(
            File.pathSeparator, "/elsewhere/a.jar", prepared.strippedJar().toString(), "b.jar"),
        replaced);
    assertFalse(replaced.contains(prepared.driverJar().toString()));
  }
}

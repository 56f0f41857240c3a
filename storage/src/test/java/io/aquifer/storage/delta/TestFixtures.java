package io.aquifer.storage.delta;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Where the shared test data lives: {@code aquifer.fixtures}, else ../../shared/fixtures. */
final class TestFixtures {
  private TestFixtures() {}

  static Path root() {
    String property = System.getProperty("aquifer.fixtures");
    Path root =
        property != null && !property.isBlank()
            ? Paths.get(property)
            : Paths.get("").toAbsolutePath().resolve("../../shared/fixtures");
    root = root.normalize();
    if (!Files.isDirectory(root)) {
      throw new IllegalStateException("test fixtures not found at " + root);
    }
    return root;
  }

  static Path deltaGolden(String table) {
    return root().resolve("delta-golden").resolve(table);
  }
}

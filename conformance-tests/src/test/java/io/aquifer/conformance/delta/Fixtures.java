package io.aquifer.conformance.delta;

import java.nio.file.Files;
import java.nio.file.Path;

/** The shared test data ({@code ../shared/fixtures} next to the project root). */
final class Fixtures {
  private Fixtures() {}

  /**
   * {@code delta-golden/}, found through the {@code aquifer.fixtures} system property (set by the
   * build) or the {@code AQUIFER_FIXTURES} environment variable.
   */
  static Path deltaGolden() {
    for (String candidate :
        new String[] {System.getProperty("aquifer.fixtures"), System.getenv("AQUIFER_FIXTURES")}) {
      if (candidate != null && Files.isDirectory(Path.of(candidate, "delta-golden"))) {
        return Path.of(candidate, "delta-golden").toAbsolutePath().normalize();
      }
    }
    throw new IllegalStateException(
        "the Delta golden tables are not found: set aquifer.fixtures to ../shared/fixtures");
  }
}

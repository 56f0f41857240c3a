package io.aquifer.avatica;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** Aquifer's version, as the build stamped it into this module. */
final class AquiferVersion {
  static final String PRODUCT_NAME = "Aquifer";

  private AquiferVersion() {}

  static String version() {
    try (InputStream in = AquiferVersion.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties properties = new Properties();
      properties.load(in);
      String version = properties.getProperty("version", "unknown");
      return version.startsWith("${") ? "unknown" : version;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the Aquifer version resource", e);
    }
  }

  /** The {@code index}th number of a version such as {@code 0.1.0-SNAPSHOT}; -1 if none. */
  static int part(String version, int index) {
    String[] parts = version.split("[.-]");
    try {
      return index < parts.length ? Integer.parseInt(parts[index]) : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}

package io.aquifer.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The product's name and version, as every front end reports them to its clients. */
public final class ProductInfo {
  public static final String NAME = "Aquifer";
  private static final String VERSION = readVersion();

  private ProductInfo() {}

  /** The version the build stamped in, e.g. {@code 0.1.0-SNAPSHOT}; "unknown" if none. */
  public static String version() {
    return VERSION;
  }

  /** The {@code index}th number of the version ({@code 0} major, {@code 1} minor); -1 if none. */
  public static int versionPart(int index) {
    String[] parts = VERSION.split("[.-]");
    try {
      return index < parts.length ? Integer.parseInt(parts[index]) : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static String readVersion() {
    try (InputStream in = ProductInfo.class.getResourceAsStream("version.properties")) {
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
}

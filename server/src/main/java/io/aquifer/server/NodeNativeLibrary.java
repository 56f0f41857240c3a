package io.aquifer.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DuckDB's native library, unpacked once for all node processes of a data directory.
 *
 * <p>DuckDB's JDBC driver carries its native library (71 MB for Linux x86-64, compressed) in its
 * jar and, whenever the jar holds it, inflates it into the JVM's temp directory at every start
 * before loading it: about half a second of CPU and a 71 MB write per node process start. When the
 * jar on the class path does not hold the library, the driver loads {@code libduckdb_java} from
 * {@code java.library.path} instead. So the gateway unpacks the library once into {@code <data
 * dir>/nodes/native/<jar name>-<jar size>/} together with a copy of the driver jar without its
 * native libraries, and starts node processes with that copy on the class path and that directory
 * as {@code java.library.path}. If anything of this fails, nodes start with the class path as it is
 * (and unpack the library themselves, as before).
 */
final class NodeNativeLibrary {
  private static final Logger LOG = LoggerFactory.getLogger(NodeNativeLibrary.class);
  private static final String LIBRARY_PREFIX = "libduckdb_java.so_";
  static final String LIBRARY_FILE = "libduckdb_java.so";

  /**
   * A prepared library.
   *
   * @param driverJar the driver jar on the gateway's class path
   * @param strippedJar its copy without native libraries
   * @param libraryDirectory the directory holding {@link #LIBRARY_FILE}
   */
  record Prepared(Path driverJar, Path strippedJar, Path libraryDirectory) {
    /** The class path with the driver jar replaced by its stripped copy. */
    String classPath(String classPath) {
      List<String> entries = new ArrayList<>();
      for (String entry : classPath.split(java.io.File.pathSeparator)) {
        boolean driver;
        try {
          driver = !entry.isEmpty() && Files.isSameFile(Path.of(entry), driverJar);
        } catch (IOException | RuntimeException e) {
          driver = false;
        }
        entries.add(driver ? strippedJar.toString() : entry);
      }
      return String.join(java.io.File.pathSeparator, entries);
    }
  }

  private NodeNativeLibrary() {}

  /**
   * Prepares the library below {@code nodesDirectory} (reusing an earlier preparation), or empty
   * when the driver is not a jar file of its own, holds no library for this platform, or the files
   * cannot be written.
   */
  static Optional<Prepared> prepare(Path nodesDirectory) {
    Path jar;
    try {
      jar =
          Path.of(
              org.duckdb.DuckDBDriver.class
                  .getProtectionDomain()
                  .getCodeSource()
                  .getLocation()
                  .toURI());
    } catch (URISyntaxException | RuntimeException e) {
      LOG.info("node processes unpack DuckDB's native library themselves: {}", e.toString());
      return Optional.empty();
    }
    if (!Files.isRegularFile(jar)) {
      return Optional.empty();
    }
    String resource = LIBRARY_PREFIX + platform();
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      ZipEntry library = zip.getEntry(resource);
      if (library == null) {
        LOG.info(
            "DuckDB's driver jar {} has no {}: node processes load it as it is", jar, resource);
        return Optional.empty();
      }
      Path directory =
          nodesDirectory.resolve("native").resolve(jar.getFileName() + "-" + Files.size(jar));
      Path libraryFile = directory.resolve(LIBRARY_FILE);
      Path stripped = directory.resolve("stripped-" + jar.getFileName());
      if (Files.isRegularFile(stripped)
          && Files.isRegularFile(libraryFile)
          && Files.size(libraryFile) == library.getSize()) {
        return Optional.of(new Prepared(jar, stripped, directory));
      }
      Files.createDirectories(directory);
      Path partialLibrary = Files.createTempFile(directory, "library", ".partial");
      Path partialJar = Files.createTempFile(directory, "jar", ".partial");
      try {
        try (InputStream in = zip.getInputStream(library)) {
          Files.copy(in, partialLibrary, StandardCopyOption.REPLACE_EXISTING);
        }
        try (OutputStream out = Files.newOutputStream(partialJar);
            ZipOutputStream copy = new ZipOutputStream(out)) {
          Enumeration<? extends ZipEntry> entries = zip.entries();
          while (entries.hasMoreElements()) {
            ZipEntry entry = entries.nextElement();
            if (entry.getName().startsWith(LIBRARY_PREFIX)) {
              continue;
            }
            copy.putNextEntry(new ZipEntry(entry.getName()));
            try (InputStream in = zip.getInputStream(entry)) {
              in.transferTo(copy);
            }
            copy.closeEntry();
          }
        }
        // The library first: a stripped jar is only used beside a complete library.
        Files.move(partialLibrary, libraryFile, StandardCopyOption.ATOMIC_MOVE);
        Files.move(partialJar, stripped, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(partialLibrary);
        Files.deleteIfExists(partialJar);
      }
      LOG.info("unpacked DuckDB's native library for node processes into {}", directory);
      return Optional.of(new Prepared(jar, stripped, directory));
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("node processes unpack DuckDB's native library themselves: {}", e.toString());
      return Optional.empty();
    }
  }

  /** The platform suffix of the driver's library resources, e.g. {@code linux_amd64}. */
  static String platform() {
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    if (arch.equals("x86_64")) {
      arch = "amd64";
    } else if (arch.equals("aarch64")) {
      arch = "arm64";
    }
    String osName = os.startsWith("windows") ? "windows" : os.startsWith("mac") ? "macos" : "linux";
    return osName + "_" + arch;
  }
}

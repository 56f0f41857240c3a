package io.aquifer.server;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.aquifer.exec.node.WarehouseNodeMain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A class-data-sharing archive (JDK dynamic AppCDS) for node processes, made once per data
 * directory, Java runtime and node class path.
 *
 * <p>A node process spends most of its start loading, parsing and verifying the classes of gRPC,
 * Netty, Arrow and DuckDB's driver. The gateway runs one node in warm-up mode ({@code
 * WarehouseNodeMain --warm-up}: start, one query against itself over Flight, normal exit) with
 * {@code -XX:ArchiveClassesAtExit}; the JVM writes the classes it loaded into {@code <data
 * dir>/nodes/native/node-<key>.jsa}, and later nodes map that file with {@code
 * -XX:SharedArchiveFile} instead. The key hashes the Java runtime, the node's JVM options and its
 * class path with each entry's size and modification time, so that a new build or another Java gets
 * a new archive (older ones are deleted). Nodes are started with {@code -Xshare:auto}: a JVM that
 * finds the archive stale or damaged ignores it and starts as without it.
 */
final class NodeClassArchive {
  private static final Logger LOG = LoggerFactory.getLogger(NodeClassArchive.class);
  static final String PREFIX = "node-";
  static final String SUFFIX = ".jsa";
  private static final long WARM_UP_TIMEOUT_SECONDS = 180;

  private NodeClassArchive() {}

  /** The archive's file for this Java, these JVM options and this class path. */
  static Path file(Path directory, List<String> jvmOptions, String classPath) {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    List<String> parts = new ArrayList<>();
    parts.add(System.getProperty("java.home"));
    parts.add(System.getProperty("java.vm.version"));
    parts.addAll(jvmOptions);
    for (String entry : classPath.split(java.io.File.pathSeparator)) {
      parts.add(entry);
      try {
        Path p = Path.of(entry);
        if (Files.isRegularFile(p)) {
          parts.add(Files.size(p) + "@" + Files.getLastModifiedTime(p).toMillis());
        }
      } catch (IOException | RuntimeException e) {
        parts.add("?");
      }
    }
    for (String part : parts) {
      digest.update(part.getBytes(UTF_8));
      digest.update((byte) 0);
    }
    String key = HexFormat.of().formatHex(digest.digest(), 0, 8);
    return directory.resolve(PREFIX + key + SUFFIX);
  }

  /**
   * The archive at {@code archive}, made now by running {@code warmUpCommand} (a node JVM with
   * {@code -XX:ArchiveClassesAtExit=<archive>.partial} and {@code --warm-up}) unless it exists;
   * empty (logged) if the warm-up fails. Deletes other archives in the directory.
   */
  static Optional<Path> prepare(Path archive, Path partial, List<String> warmUpCommand, Path log) {
    deleteOthers(archive);
    if (Files.isRegularFile(archive)) {
      return Optional.of(archive);
    }
    long began = System.nanoTime();
    Process process = null;
    try {
      Files.deleteIfExists(partial);
      process =
          new ProcessBuilder(warmUpCommand)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      if (!process.waitFor(WARM_UP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        LOG.warn(
            "node class archive: the warm-up node did not end within {} s; nodes start without"
                + " it (see {})",
            WARM_UP_TIMEOUT_SECONDS,
            log);
        return Optional.empty();
      }
      String output = Files.readString(log, UTF_8);
      if (process.exitValue() != 0
          || !output.contains(WarehouseNodeMain.WARM_UP_DONE_LINE)
          || !Files.isRegularFile(partial)
          || Files.size(partial) == 0) {
        LOG.warn(
            "node class archive: the warm-up node ended with status {} and {}; nodes start"
                + " without it (see {})",
            process.exitValue(),
            Files.isRegularFile(partial) ? "an archive" : "no archive",
            log);
        return Optional.empty();
      }
      Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE);
      LOG.info(
          "node class archive {} ({} KB) made in {} ms",
          archive,
          Files.size(archive) / 1024,
          (System.nanoTime() - began) / 1_000_000);
      return Optional.of(archive);
    } catch (IOException e) {
      LOG.warn("node class archive: {}; nodes start without it", e.toString());
      return Optional.empty();
    } catch (InterruptedException e) {
      process.destroyForcibly(); // the gateway is closing: no warm-up node outlives it
      Thread.currentThread().interrupt();
      return Optional.empty();
    } finally {
      try {
        Files.deleteIfExists(partial);
      } catch (IOException e) {
        LOG.debug("cannot delete {}: {}", partial, e.toString());
      }
    }
  }

  /** Deletes the archives of other keys (another build or Java) beside {@code archive}. */
  private static void deleteOthers(Path archive) {
    try (Stream<Path> files = Files.list(archive.getParent())) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString();
        if (name.startsWith(PREFIX) && name.endsWith(SUFFIX) && !f.equals(archive)) {
          Files.deleteIfExists(f);
        }
      }
    } catch (IOException e) {
      LOG.debug("cannot delete old node class archives: {}", e.toString());
    }
  }
}

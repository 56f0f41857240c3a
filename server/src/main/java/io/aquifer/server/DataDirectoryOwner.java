package io.aquifer.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Which server, if any, runs on a data directory, as {@code aquifer status} and {@code aquifer
 * stop} see it from outside: a server holds the OS lock on {@code <data dir>/.lock} (see {@link
 * DataDirectoryLock}) and wrote its pid there; once serving it also wrote {@code connection.json}
 * with its ports.
 *
 * @param running whether a process holds the data directory's lock
 * @param pid the owner's pid, if running and known
 * @param serving whether {@code connection.json} names the running owner (it is serving; before, it
 *     is starting)
 * @param flightPort Arrow Flight SQL port, when serving
 * @param avaticaPort Avatica port, when serving
 * @param httpPort the HTTP port (Databricks REST API, web editor, probes, metrics), when serving
 */
public record DataDirectoryOwner(
    boolean running,
    OptionalLong pid,
    boolean serving,
    OptionalInt flightPort,
    OptionalInt avaticaPort,
    OptionalInt httpPort) {

  static final DataDirectoryOwner NONE =
      new DataDirectoryOwner(
          false,
          OptionalLong.empty(),
          false,
          OptionalInt.empty(),
          OptionalInt.empty(),
          OptionalInt.empty());

  /**
   * Looks at the data directory without changing it (a directory without a lock file has no owner).
   *
   * @throws IOException if the lock file or connection.json cannot be read
   */
  public static DataDirectoryOwner of(Path dataDirectory) throws IOException {
    Path lockFile = dataDirectory.resolve(DataDirectoryLock.NAME);
    if (!Files.isRegularFile(lockFile)) {
      return NONE;
    }
    if (!held(lockFile)) {
      return NONE;
    }
    OptionalLong pid = pidIn(lockFile);
    Path connection = dataDirectory.resolve(ConnectionFile.NAME);
    JsonNode json;
    try {
      json = new ObjectMapper().readTree(Files.readString(connection));
    } catch (NoSuchFileException e) {
      return new DataDirectoryOwner(
          true, pid, false, OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty());
    }
    long connectionPid = json.path("pid").asLong(-1);
    if (pid.isEmpty() && connectionPid > 0) {
      pid = OptionalLong.of(connectionPid);
    }
    boolean serving = pid.isPresent() && pid.getAsLong() == connectionPid;
    if (!serving) {
      // connection.json of an earlier server that did not stop cleanly: its ports mean nothing.
      return new DataDirectoryOwner(
          true, pid, false, OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty());
    }
    return new DataDirectoryOwner(
        true,
        pid,
        true,
        port(json.path("flightSql").path("port")),
        port(json.path("avatica").path("port")),
        httpPort(json.path("databricks").path("host").asText(null)));
  }

  /** Whether another process (or this one) holds the lock: tries it and lets go at once. */
  private static boolean held(Path lockFile) throws IOException {
    if (DataDirectoryLock.heldHere(lockFile)) {
      return true;
    }
    try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        return true; // this JVM holds it
      }
      if (lock == null) {
        return true;
      }
      lock.release();
      return false;
    } catch (NoSuchFileException e) {
      return false;
    }
  }

  private static OptionalLong pidIn(Path lockFile) throws IOException {
    String text = Files.readString(lockFile, StandardCharsets.US_ASCII).strip();
    try {
      return text.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(text));
    } catch (NumberFormatException e) {
      return OptionalLong.empty(); // a lock file of a version that did not write its pid
    }
  }

  private static OptionalInt port(JsonNode node) {
    return node.isInt() ? OptionalInt.of(node.asInt()) : OptionalInt.empty();
  }

  private static OptionalInt httpPort(String baseUrl) {
    return Optional.ofNullable(baseUrl)
        .map(URI::create)
        .filter(u -> u.getPort() > 0)
        .map(u -> OptionalInt.of(u.getPort()))
        .orElse(OptionalInt.empty());
  }
}

package io.aquifer.server;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The class path of node processes with its directories as jars.
 *
 * <p>The JVM archives classes for class-data sharing from jars only, and refuses to write an
 * archive at all once it loaded a class from a directory with files. A gateway run from a build's
 * {@code target/classes} directories (tests, development) has such directories on its class path;
 * production runs from jars and has none. So, for node processes, each directory with files is
 * copied into a jar of its own under {@code <data dir>/nodes/native/classes-<key>/} (the key hashes
 * the directories' file names, sizes and modification times; older copies are deleted), in its
 * place on the class path.
 */
final class NodeClassPathJars {
  private static final Logger LOG = LoggerFactory.getLogger(NodeClassPathJars.class);
  private static final String PREFIX = "classes-";

  private NodeClassPathJars() {}

  /** The class path with its non-empty directories replaced by jars below {@code directory}. */
  static String jarred(String classPath, Path directory) throws IOException {
    List<String> entries = new ArrayList<>();
    List<Path> directories = new ArrayList<>();
    for (String entry : classPath.split(java.io.File.pathSeparator)) {
      if (entry.isEmpty()) {
        continue;
      }
      entries.add(entry);
      Path p = Path.of(entry);
      if (Files.isDirectory(p) && !isEmpty(p)) {
        directories.add(p);
      }
    }
    if (directories.isEmpty()) {
      return String.join(java.io.File.pathSeparator, entries);
    }
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    for (Path d : directories) {
      update(digest, d.toString());
      for (Path f : files(d)) {
        update(digest, d.relativize(f) + "|" + Files.size(f) + "|" + Files.getLastModifiedTime(f));
      }
    }
    String key = HexFormat.of().formatHex(digest.digest(), 0, 8);
    Path target = directory.resolve(PREFIX + key);
    deleteOthers(directory, target);
    Files.createDirectories(target);
    List<String> out = new ArrayList<>();
    for (String entry : entries) {
      Path p = Path.of(entry);
      int index = directories.indexOf(p);
      if (index < 0) {
        out.add(entry);
        continue;
      }
      Path jar = target.resolve(index + ".jar");
      if (!Files.isRegularFile(jar)) {
        write(p, jar);
      }
      out.add(jar.toString());
    }
    return String.join(java.io.File.pathSeparator, out);
  }

  private static void update(MessageDigest digest, String text) {
    digest.update(text.getBytes(UTF_8));
    digest.update((byte) 0);
  }

  private static boolean isEmpty(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.findAny().isEmpty();
    }
  }

  private static List<Path> files(Path directory) throws IOException {
    try (Stream<Path> files = Files.walk(directory)) {
      return files.filter(Files::isRegularFile).sorted().toList();
    }
  }

  /** Writes the directory's files into a jar (written aside, then moved into place). */
  private static void write(Path directory, Path jar) throws IOException {
    Path partial = Files.createTempFile(jar.getParent(), "classes", ".partial");
    try {
      try (OutputStream file = Files.newOutputStream(partial);
          ZipOutputStream zip = new ZipOutputStream(file)) {
        for (Path f : files(directory)) {
          String name = directory.relativize(f).toString().replace(java.io.File.separatorChar, '/');
          zip.putNextEntry(new ZipEntry(name));
          Files.copy(f, zip);
          zip.closeEntry();
        }
      }
      Files.move(partial, jar, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(partial);
    }
  }

  private static void deleteOthers(Path directory, Path keep) {
    if (!Files.isDirectory(directory)) {
      return;
    }
    try (Stream<Path> dirs = Files.list(directory)) {
      for (Path d : dirs.toList()) {
        if (d.getFileName().toString().startsWith(PREFIX) && !d.equals(keep)) {
          try (Stream<Path> files = Files.walk(d)) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
              Files.deleteIfExists(f);
            }
          }
        }
      }
    } catch (IOException e) {
      LOG.debug("cannot delete old node class path jars: {}", e.toString());
    }
  }
}

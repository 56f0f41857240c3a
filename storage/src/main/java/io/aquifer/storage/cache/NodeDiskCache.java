package io.aquifer.storage.cache;

import static java.util.Objects.requireNonNull;

import io.aquifer.storage.StorageErrorCode;
import io.aquifer.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's disk cache (Databricks' "disk cache"): table files of an object store copied to a
 * local directory, so that the engine reads only local files.
 *
 * <p>Each file is kept as {@code <sha256 of its URI>.data} with a {@code .meta} beside it (its URI,
 * size and the SHA-256 of its content), written after the data is complete, so a crash mid-download
 * leaves nothing that counts. The cache outlives the process: on open it takes up what the
 * directory holds, oldest access first, and checks each file's checksum the first time it is used
 * again (a damaged file is fetched anew). Table files never change in place (Delta writes new
 * names), so a URI names one content for good. The total size stays under a limit by evicting the
 * least recently used files that no running query holds; a file larger than the limit is still
 * fetched and held while in use.
 *
 * <p>Thread-safe; one process per directory.
 */
public final class NodeDiskCache {
  private static final Logger LOG = LoggerFactory.getLogger(NodeDiskCache.class);
  private static final String DATA = ".data";
  private static final String META = ".meta";
  private static final String PARTIAL = ".partial-";

  private final Path directory;
  private final long maxBytes;
  private final RemoteFileSource source;

  /** By key, in access order (least recent first). Guarded by {@code this}. */
  private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);

  private final Map<String, Object> fetchLocks = new ConcurrentHashMap<>();
  private long bytes;
  private long hits;
  private long misses;
  private long hitBytes;
  private long downloadedBytes;
  private long evictions;

  private static final class Entry {
    final String key;
    final URI uri;
    final long size;
    final String sha256;
    boolean verified;
    int pins;

    Entry(String key, URI uri, long size, String sha256, boolean verified) {
      this.key = key;
      this.uri = uri;
      this.size = size;
      this.sha256 = sha256;
      this.verified = verified;
    }
  }

  /** Files in use by one query: they stay in the cache until the lease is closed. */
  public final class Lease implements AutoCloseable {
    private final List<Entry> held = new ArrayList<>();
    private boolean closed;
    private DiskCacheReads reads = DiskCacheReads.NONE;

    /** What this lease's files were read from: the cache, or the object store. */
    public DiskCacheReads reads() {
      synchronized (NodeDiskCache.this) {
        return reads;
      }
    }

    /** The local copy of {@code file}, fetched now if the cache does not hold it. */
    public Path localPath(URI file) {
      synchronized (NodeDiskCache.this) {
        if (closed) {
          throw new IllegalStateException("the lease is closed");
        }
      }
      boolean[] hit = new boolean[1];
      Entry entry = pin(file, hit);
      synchronized (NodeDiskCache.this) {
        held.add(entry);
        reads =
            reads.plus(
                hit[0]
                    ? new DiskCacheReads(1, 0, entry.size, 0)
                    : new DiskCacheReads(0, 1, 0, entry.size));
      }
      return dataPath(entry.key);
    }

    @Override
    public void close() {
      synchronized (NodeDiskCache.this) {
        if (closed) {
          return;
        }
        closed = true;
        for (Entry e : held) {
          e.pins--;
        }
        held.clear();
        evictOverLimit();
      }
    }
  }

  /** Opens the cache in {@code directory}, taking up the files an earlier process left there. */
  public NodeDiskCache(Path directory, long maxBytes, RemoteFileSource source) {
    if (maxBytes <= 0) {
      throw new IllegalArgumentException(
          "the disk cache's size limit must be positive: " + maxBytes);
    }
    this.directory = requireNonNull(directory, "directory").toAbsolutePath().normalize();
    this.maxBytes = maxBytes;
    this.source = requireNonNull(source, "source");
    try {
      Files.createDirectories(this.directory);
      load();
    } catch (IOException e) {
      throw new StorageException(
          StorageErrorCode.STORAGE_IO_ERROR,
          "cannot open the disk cache in " + this.directory + ": " + e.getMessage(),
          e);
    }
  }

  public Path directory() {
    return directory;
  }

  public long maxBytes() {
    return maxBytes;
  }

  /** A new lease for one query's files. */
  public Lease lease() {
    return new Lease();
  }

  public synchronized DiskCacheStats stats() {
    return new DiskCacheStats(
        hits, misses, hitBytes, downloadedBytes, evictions, entries.size(), bytes);
  }

  private Entry pin(URI file, boolean[] hit) {
    String key = key(file);
    Object lock = fetchLocks.computeIfAbsent(key, k -> new Object());
    synchronized (lock) {
      Entry held;
      synchronized (this) {
        held = entries.get(key);
        if (held != null) {
          held.pins++;
        }
      }
      if (held != null) {
        if (held.verified || verify(held)) {
          synchronized (this) {
            hits++;
            hitBytes += held.size;
          }
          hit[0] = true;
          touch(held.key);
          return held;
        }
        synchronized (this) {
          held.pins--;
          remove(held);
        }
      }
      Entry fetched = fetch(key, file);
      synchronized (this) {
        fetched.pins++;
        entries.put(key, fetched);
        bytes += fetched.size;
        misses++;
        downloadedBytes += fetched.size;
        evictOverLimit();
      }
      return fetched;
    }
  }

  private Entry fetch(String key, URI file) {
    Path partial = directory.resolve(PARTIAL + UUID.randomUUID());
    try {
      MessageDigest digest = sha256();
      long size;
      try (InputStream in = new DigestInputStream(source.open(file), digest)) {
        size = Files.copy(in, partial);
      }
      String checksum = HexFormat.of().formatHex(digest.digest());
      move(partial, dataPath(key));
      Properties meta = new Properties();
      meta.setProperty("uri", file.toString());
      meta.setProperty("size", Long.toString(size));
      meta.setProperty("sha256", checksum);
      Path metaPartial = directory.resolve(PARTIAL + UUID.randomUUID());
      try (OutputStream out = Files.newOutputStream(metaPartial)) {
        meta.store(out, null);
      }
      move(metaPartial, metaPath(key));
      return new Entry(key, file, size, checksum, true);
    } catch (IOException e) {
      throw new StorageException(
          StorageErrorCode.STORAGE_IO_ERROR,
          "cannot copy " + file + " into the disk cache " + directory + ": " + e.getMessage(),
          e);
    } finally {
      try {
        Files.deleteIfExists(partial);
      } catch (IOException ignored) {
        // a partial file is ignored and removed on the next open
      }
    }
  }

  /** Whether the local copy still has the checksum it was stored with. */
  private boolean verify(Entry entry) {
    Path data = dataPath(entry.key);
    try (InputStream in = Files.newInputStream(data)) {
      MessageDigest digest = sha256();
      byte[] buffer = new byte[1 << 16];
      long size = 0;
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
        size += n;
      }
      boolean ok =
          size == entry.size && HexFormat.of().formatHex(digest.digest()).equals(entry.sha256);
      if (ok) {
        synchronized (this) {
          entry.verified = true;
        }
      } else {
        LOG.warn("disk cache: {} is damaged ({}); fetching it again", data, entry.uri);
      }
      return ok;
    } catch (IOException e) {
      LOG.warn("disk cache: cannot read {} ({}); fetching it again", data, entry.uri, e);
      return false;
    }
  }

  /** Records the access on disk, so that a restarted node keeps the order. */
  private void touch(String key) {
    try {
      Files.setLastModifiedTime(metaPath(key), FileTime.fromMillis(System.currentTimeMillis()));
    } catch (IOException e) {
      LOG.debug("disk cache: cannot record the access to {}", key, e);
    }
  }

  /** Guarded by {@code this}. */
  private void evictOverLimit() {
    Iterator<Entry> oldest = entries.values().iterator();
    while (bytes > maxBytes && oldest.hasNext()) {
      Entry e = oldest.next();
      if (e.pins > 0) {
        continue;
      }
      oldest.remove();
      bytes -= e.size;
      evictions++;
      deleteFiles(e.key);
    }
  }

  /** Guarded by {@code this}. */
  private void remove(Entry e) {
    if (entries.remove(e.key) != null) {
      bytes -= e.size;
    }
    deleteFiles(e.key);
  }

  private void deleteFiles(String key) {
    try {
      Files.deleteIfExists(metaPath(key)); // first: without it the data no longer counts
      Files.deleteIfExists(dataPath(key));
    } catch (IOException e) {
      LOG.warn("disk cache: cannot delete {}", dataPath(key), e);
    }
  }

  private void load() throws IOException {
    record Found(Entry entry, long accessed) {}
    List<Found> found = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
      for (Path p : files) {
        String name = p.getFileName().toString();
        if (name.startsWith(PARTIAL)) {
          Files.deleteIfExists(p);
        } else if (name.endsWith(META)) {
          String key = name.substring(0, name.length() - META.length());
          Entry e = readMeta(key);
          if (e == null) {
            deleteFiles(key);
          } else {
            found.add(new Found(e, Files.getLastModifiedTime(p).toMillis()));
          }
        } else if (name.endsWith(DATA)
            && !Files.exists(metaPath(name.substring(0, name.length() - DATA.length())))) {
          Files.deleteIfExists(p); // fetched, but its meta never written: not complete
        }
      }
    }
    found.sort(java.util.Comparator.comparingLong(Found::accessed));
    synchronized (this) {
      for (Found f : found) {
        entries.put(f.entry.key, f.entry);
        bytes += f.entry.size;
      }
      evictOverLimit();
    }
    LOG.info(
        "disk cache {}: {} files, {} bytes of at most {}",
        directory,
        entries.size(),
        bytes,
        maxBytes);
  }

  private Entry readMeta(String key) {
    Properties meta = new Properties();
    try (InputStream in = Files.newInputStream(metaPath(key))) {
      meta.load(in);
      URI uri = URI.create(meta.getProperty("uri"));
      long size = Long.parseLong(meta.getProperty("size"));
      String sha = requireNonNull(meta.getProperty("sha256"));
      if (!key.equals(key(uri)) || Files.size(dataPath(key)) != size) {
        return null;
      }
      return new Entry(key, uri, size, sha, false);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private Path dataPath(String key) {
    return directory.resolve(key + DATA);
  }

  private Path metaPath(String key) {
    return directory.resolve(key + META);
  }

  private static String key(URI file) {
    return HexFormat.of()
        .formatHex(sha256().digest(file.toString().getBytes(StandardCharsets.UTF_8)));
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    } catch (NoSuchFileException e) {
      throw e;
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}

package io.aquifer.results.cache;

import java.util.List;
import java.util.Optional;

/**
 * Where cache entries outlive the gateway: a directory or an S3 bucket. Objects are written whole
 * and atomically: a reader sees the old object, the new one, or none, never a part. Thread-safe.
 * Every failure is a {@link CacheStoreException}; the cache then answers as if it held nothing.
 */
public interface CacheObjectStore extends AutoCloseable {

  /** The object's bytes; empty if there is no such object. */
  Optional<byte[]> read(String name);

  /** Writes an object whole, replacing one of the same name. */
  void write(String name, byte[] bytes);

  /** Deletes an object; a missing one is a no-op. */
  void delete(String name);

  /** The names of every object, for clearing and expiry. */
  List<String> list();

  /** Where the objects are, for logs and messages. */
  String describe();

  @Override
  void close();
}

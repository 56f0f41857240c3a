package io.aquifer.results.cache;

/** The cache's object store failed (unreachable, refused, out of space). */
public final class CacheStoreException extends RuntimeException {
  public CacheStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}

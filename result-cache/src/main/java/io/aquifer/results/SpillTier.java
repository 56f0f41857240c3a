package io.aquifer.results;

/**
 * Where chunks go that do not fit in memory: files under the data directory ({@link
 * LocalDirectorySpillTier}), or objects below an S3 storage root (the gateway's {@code
 * FileStoreSpillTier}). Implementations are thread-safe; a chunk is written once and then only read
 * or deleted with its result.
 */
public interface SpillTier extends AutoCloseable {

  /** Stores a chunk. @throws ResultStoreException RESULT_STORE_IO_ERROR */
  void write(String resultId, int index, byte[] bytes);

  /** A chunk written before. @throws ResultStoreException RESULT_STORE_IO_ERROR */
  byte[] read(String resultId, int index);

  /** Deletes every chunk of a result; a result with none is a no-op. */
  void delete(String resultId);

  @Override
  void close();
}

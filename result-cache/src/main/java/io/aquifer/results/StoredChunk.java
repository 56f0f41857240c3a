package io.aquifer.results;

import static java.util.Objects.requireNonNull;

/**
 * A chunk's bytes, in memory until the memory tier evicts it, then in the spill tier. The chunk is
 * the one source of truth for where its bytes are, so a read never misses a chunk that is moving.
 */
final class StoredChunk {
  private final String resultId;
  private final int index;
  private final long rowCount;
  private final int size;
  private byte[] bytes;
  private boolean spilled;
  private boolean deleted;

  StoredChunk(String resultId, int index, long rowCount, byte[] bytes) {
    this.resultId = requireNonNull(resultId, "resultId");
    this.index = index;
    this.rowCount = rowCount;
    this.bytes = requireNonNull(bytes, "bytes");
    this.size = bytes.length;
  }

  int index() {
    return index;
  }

  long rowCount() {
    return rowCount;
  }

  int size() {
    return size;
  }

  String resultId() {
    return resultId;
  }

  /** Moves the bytes to the spill tier (memory tier eviction); false if there was nothing to. */
  synchronized boolean spill(SpillTier tier) {
    if (deleted || spilled) {
      return false;
    }
    tier.write(resultId, index, bytes);
    spilled = true;
    bytes = null;
    return true;
  }

  synchronized byte[] read(SpillTier tier) {
    if (deleted) {
      throw new ResultStoreException(
          ResultStoreErrorCode.RESULT_CLOSED,
          "the result of statement " + resultId + " was closed or expired; run it again");
    }
    return spilled ? tier.read(resultId, index) : bytes;
  }

  /** Forgets the bytes; true if they were on the spill tier. */
  synchronized boolean delete() {
    boolean wasSpilled = spilled && !deleted;
    deleted = true;
    bytes = null;
    return wasSpilled;
  }
}

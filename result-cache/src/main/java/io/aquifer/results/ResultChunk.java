package io.aquifer.results;

import static java.util.Objects.requireNonNull;

/**
 * One chunk of a stored result: a self-contained Arrow IPC stream (schema, then one record batch)
 * of at most about the store's chunk target size.
 *
 * @param index position of the chunk in the result, from 0
 * @param rowCount rows in the chunk
 * @param arrowIpc the chunk's bytes in the Arrow IPC streaming format
 */
public record ResultChunk(int index, long rowCount, byte[] arrowIpc) {
  public ResultChunk {
    if (index < 0) {
      throw new IllegalArgumentException("index < 0: " + index);
    }
    if (rowCount < 0) {
      throw new IllegalArgumentException("rowCount < 0: " + rowCount);
    }
    requireNonNull(arrowIpc, "arrowIpc");
  }
}

package io.aquifer.storage.delta;

import static java.util.Objects.requireNonNull;

import io.aquifer.storage.StorageErrorCode;
import io.aquifer.storage.StorageException;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.KernelEngineException;
import io.delta.kernel.internal.actions.DeletionVectorDescriptor;
import io.delta.kernel.internal.deletionvectors.DeletionVectorStoredBitmap;
import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;

/**
 * Loads the row positions a deletion vector removes from its data file, with Kernel's (internal)
 * reader of inline and on-disk roaring bitmaps, including the checksum check.
 */
final class DeletionVectorReader {
  private final Engine engine;

  DeletionVectorReader(Engine engine) {
    this.engine = requireNonNull(engine, "engine");
  }

  /** Sorted 0-based positions of the deleted rows. */
  long[] deletedRowPositions(
      TableLocation table, String dataFilePathInLog, DeletionVectorDescriptor descriptor) {
    long[] positions = load(table, dataFilePathInLog, descriptor);
    Arrays.sort(positions);
    if (positions.length != descriptor.getCardinality()) {
      throw new StorageException(
          StorageErrorCode.DELTA_LOG_CORRUPT,
          describe(table, dataFilePathInLog, descriptor)
              + " holds "
              + positions.length
              + " positions but the log records "
              + descriptor.getCardinality());
    }
    return positions;
  }

  private long[] load(
      TableLocation table, String dataFilePathInLog, DeletionVectorDescriptor descriptor) {
    try {
      return new DeletionVectorStoredBitmap(descriptor, Optional.of(table.kernelPath()))
          .load(engine.getFileSystemClient())
          .toArray();
    } catch (IOException | KernelEngineException e) {
      throw new StorageException(
          StorageErrorCode.STORAGE_IO_ERROR,
          "cannot read " + describe(table, dataFilePathInLog, descriptor) + ": " + e.getMessage(),
          e);
    } catch (RuntimeException e) {
      // Kernel reports a size or CRC mismatch and a malformed bitmap as plain RuntimeExceptions.
      throw new StorageException(
          StorageErrorCode.DELTA_LOG_CORRUPT,
          describe(table, dataFilePathInLog, descriptor) + " is damaged: " + e.getMessage(),
          e);
    }
  }

  private static String describe(
      TableLocation table, String dataFilePathInLog, DeletionVectorDescriptor descriptor) {
    return "table "
        + table
        + ": deletion vector "
        + descriptor.getUniqueId()
        + " of data file "
        + dataFilePathInLog;
  }
}

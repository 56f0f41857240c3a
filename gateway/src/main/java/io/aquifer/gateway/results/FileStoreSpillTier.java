package io.aquifer.gateway.results;

import static java.util.Objects.requireNonNull;

import io.aquifer.results.ResultStoreErrorCode;
import io.aquifer.results.ResultStoreException;
import io.aquifer.results.SpillTier;
import io.aquifer.storage.StorageErrorCode;
import io.aquifer.storage.StorageException;
import io.aquifer.storage.files.FileEntry;
import io.aquifer.storage.files.FileStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stored result chunks in a {@link FileStore} (with an S3 storage root, {@code <storage
 * root>/results/}): {@code <result id>/<index>.arrows}, one object per chunk, written through the
 * store (one PUT, or a multipart upload above its part size), read back for chunk fetches and
 * links, and deleted with their result.
 *
 * <p>Unlike the local directory, the prefix is not emptied when the tier opens: other gateways may
 * keep their results under the same storage root. {@link #deleteOlderThan} removes what a gateway
 * that stopped without closing its results left behind.
 */
public final class FileStoreSpillTier implements SpillTier {
  private static final Logger LOG = LoggerFactory.getLogger(FileStoreSpillTier.class);
  private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");
  private static final String SUFFIX = ".arrows";

  private final FileStore store;

  public FileStoreSpillTier(FileStore store) {
    this.store = requireNonNull(store, "store");
  }

  @Override
  public void write(String resultId, int index, byte[] bytes) {
    String path = path(resultId, index);
    try {
      store.write(path, new ByteArrayInputStream(bytes), true);
    } catch (StorageException e) {
      throw new ResultStoreException(
          ResultStoreErrorCode.RESULT_STORE_IO_ERROR,
          "cannot write chunk "
              + index
              + " of result "
              + resultId
              + " to "
              + store.uri(path)
              + ": "
              + e.getMessage(),
          e);
    }
  }

  @Override
  public byte[] read(String resultId, int index) {
    String path = path(resultId, index);
    try (InputStream in = store.open(path)) {
      return in.readAllBytes();
    } catch (StorageException e) {
      if (e.code() == StorageErrorCode.FILE_NOT_FOUND) {
        throw new ResultStoreException(
            ResultStoreErrorCode.RESULT_CLOSED,
            "chunk "
                + index
                + " of result "
                + resultId
                + " is gone: the result was closed or expired",
            e);
      }
      throw readError(resultId, index, path, e);
    } catch (IOException e) {
      throw readError(resultId, index, path, e);
    }
  }

  @Override
  public void delete(String resultId) {
    directory(resultId);
    try {
      store.deleteDirectory(resultId, true);
    } catch (StorageException e) {
      if (e.code() != StorageErrorCode.FILE_NOT_FOUND) {
        LOG.warn(
            "Cannot delete the stored chunks of result {} in {}: {}",
            resultId,
            store.uri(resultId),
            e.getMessage());
      }
    }
  }

  /**
   * Deletes the chunks of every result whose newest chunk was written before {@code cutoff};
   * returns how many results that were.
   */
  public int deleteOlderThan(Instant cutoff) {
    Map<String, Instant> newest = new HashMap<>();
    for (FileEntry file : store.listFilesRecursively("")) {
      int slash = file.path().indexOf('/');
      if (slash > 0 && file.path().endsWith(SUFFIX)) {
        newest.merge(
            file.path().substring(0, slash), file.modified(), (a, b) -> a.isAfter(b) ? a : b);
      }
    }
    int deleted = 0;
    for (Map.Entry<String, Instant> result : newest.entrySet()) {
      if (result.getValue().isBefore(cutoff) && SAFE_ID.matcher(result.getKey()).matches()) {
        delete(result.getKey());
        deleted++;
      }
    }
    return deleted;
  }

  @Override
  public void close() {}

  private static ResultStoreException readError(
      String resultId, int index, String path, Exception e) {
    return new ResultStoreException(
        ResultStoreErrorCode.RESULT_STORE_IO_ERROR,
        "cannot read chunk " + index + " of result " + resultId + " (" + path + "): " + e,
        e);
  }

  private static String directory(String resultId) {
    if (!SAFE_ID.matcher(resultId).matches()) {
      throw new IllegalArgumentException("not a result id: " + resultId);
    }
    return resultId;
  }

  private static String path(String resultId, int index) {
    return directory(resultId) + "/" + index + SUFFIX;
  }
}

package io.aquifer.storage.objects;

import io.aquifer.storage.StorageErrorCode;
import io.aquifer.storage.StorageException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** S3 failures as storage errors. */
final class S3Errors {
  private S3Errors() {}

  static boolean isNotFound(SdkException e) {
    return e instanceof S3Exception s && s.statusCode() == 404;
  }

  /** S3 refused a write because of If-None-Match: the object exists (412). */
  static boolean isPreconditionFailed(SdkException e) {
    return e instanceof S3Exception s && s.statusCode() == 412;
  }

  /**
   * S3 refused a conditional write because another one to the same key was in flight (409
   * ConditionalRequestConflict); S3 asks the client to try again.
   */
  static boolean isConditionalConflict(SdkException e) {
    return e instanceof S3Exception s && s.statusCode() == 409;
  }

  /**
   * Runs a conditional write, again while S3 answers 409 (a concurrent conditional write to the
   * key), up to a few times with a short growing pause; the last 409 is thrown.
   */
  /** User metadata key a conditional PUT carries: the id of that one write. */
  static final String WRITE_ID = "aquifer-write-id";

  /** A new id for one conditional write. */
  static String newWriteId() {
    return java.util.UUID.randomUUID().toString();
  }

  /**
   * Whether the object at {@code key} is the one this write put there. The SDK retries a PUT whose
   * response was lost (a reset connection, a timeout); when the first attempt had in fact stored
   * the object, the conditional retry fails with 412 although the write succeeded. The object's
   * write id tells the two apart.
   */
  static boolean writtenBy(
      software.amazon.awssdk.services.s3.S3Client client,
      String bucket,
      String key,
      String writeId) {
    try {
      return writeId.equals(
          client.headObject(h -> h.bucket(bucket).key(key)).metadata().get(WRITE_ID));
    } catch (SdkException e) {
      return false;
    }
  }

  static <T> T retryingConflicts(java.util.function.Supplier<T> write) {
    long pauseMillis = 20;
    for (int attempt = 1; ; attempt++) {
      try {
        return write.get();
      } catch (SdkException e) {
        if (!isConditionalConflict(e) || attempt >= 8) {
          throw e;
        }
      }
      try {
        Thread.sleep(pauseMillis + java.util.concurrent.ThreadLocalRandom.current().nextLong(20));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StorageException(
            StorageErrorCode.STORAGE_IO_ERROR, "interrupted while retrying a conditional write");
      }
      pauseMillis = Math.min(pauseMillis * 2, 1000);
    }
  }

  static StorageException ioError(String what, S3Location where, SdkException e) {
    return new StorageException(
        StorageErrorCode.STORAGE_IO_ERROR,
        "cannot " + what + " " + where + ": " + e.getMessage(),
        e);
  }
}

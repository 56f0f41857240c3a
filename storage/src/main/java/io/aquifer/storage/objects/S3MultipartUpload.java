package io.aquifer.storage.objects;

import io.aquifer.storage.StorageErrorCode;
import io.aquifer.storage.StorageException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * One object written as an S3 multipart upload: parts of {@code partSize} bytes (the last one
 * shorter), each uploaded from a local file, so neither the object nor a part is held in memory.
 * Without overwrite the completion is conditional ({@code If-None-Match: *}) and carries the write
 * id, as a single PUT does. Whatever fails (a part, the source stream, the completion), the upload
 * is aborted, so no parts are left behind in the bucket.
 */
final class S3MultipartUpload {
  private static final Logger LOG = LoggerFactory.getLogger(S3MultipartUpload.class);

  /** Objects larger than this are uploaded in parts of this size: 64 MiB. */
  static final long DEFAULT_PART_SIZE = 64L << 20;

  /** S3's smallest part (but the last): 5 MiB. */
  static final long MIN_PART_SIZE = 5L << 20;

  /** The next part's body, or null when there is none left. */
  @FunctionalInterface
  interface Parts {
    Part next(int number) throws IOException;
  }

  /** One part's body; {@code done} frees what it used. */
  record Part(RequestBody body, long length, AutoCloseable done) {}

  private S3MultipartUpload() {}

  /** The parts of a local file, each read from its range of the file. */
  static Parts ofFile(Path file, long partSize) throws IOException {
    long size = Files.size(file);
    return number -> {
      long offset = (number - 1) * partSize;
      if (offset >= size) {
        return null;
      }
      long length = Math.min(partSize, size - offset);
      RequestBody body =
          RequestBody.fromContentProvider(
              () -> range(file, offset, length), length, "application/octet-stream");
      return new Part(body, length, () -> {});
    };
  }

  /**
   * The parts of a stream: the first part already spooled to {@code firstPart}, then each next one
   * spooled to a temporary file before it is sent.
   */
  static Parts ofStream(Path firstPart, InputStream rest, long partSize) {
    return number -> {
      if (number == 1) {
        return new Part(RequestBody.fromFile(firstPart), Files.size(firstPart), () -> {});
      }
      Path spool = Files.createTempFile("aquifer-s3-part-", ".tmp");
      try {
        long length;
        try (OutputStream out = Files.newOutputStream(spool)) {
          length = copy(rest, out, partSize);
        }
        if (length == 0) {
          Files.deleteIfExists(spool);
          return null;
        }
        return new Part(RequestBody.fromFile(spool), length, () -> Files.deleteIfExists(spool));
      } catch (IOException | RuntimeException e) {
        Files.deleteIfExists(spool);
        throw e;
      }
    };
  }

  /**
   * Uploads {@code parts} as the object {@code key}; returns its size.
   *
   * @throws SdkException a failed call (412 from the completion when the object exists and {@code
   *     overwrite} is false), after the upload was aborted
   * @throws IOException the source failed, after the upload was aborted
   */
  static long upload(
      S3Client client, String bucket, String key, boolean overwrite, String writeId, Parts parts)
      throws IOException {
    String uploadId =
        client
            .createMultipartUpload(
                b -> b.bucket(bucket).key(key).metadata(Map.of(S3Errors.WRITE_ID, writeId)))
            .uploadId();
    boolean completed = false;
    try {
      List<CompletedPart> done = new ArrayList<>();
      long size = 0;
      for (int number = 1; ; number++) {
        Part part = parts.next(number);
        if (part == null) {
          break;
        }
        try (AutoCloseable free = part.done()) {
          int n = number;
          String etag =
              client
                  .uploadPart(
                      b ->
                          b.bucket(bucket)
                              .key(key)
                              .uploadId(uploadId)
                              .partNumber(n)
                              .contentLength(part.length()),
                      part.body())
                  .eTag();
          done.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
          size += part.length();
        } catch (IOException | RuntimeException e) {
          throw e;
        } catch (Exception e) {
          throw new IOException("cannot free a part's spool file: " + e.getMessage(), e);
        }
      }
      CompleteMultipartUploadRequest.Builder complete =
          CompleteMultipartUploadRequest.builder()
              .bucket(bucket)
              .key(key)
              .uploadId(uploadId)
              .multipartUpload(m -> m.parts(done));
      if (!overwrite) {
        complete.ifNoneMatch("*");
      }
      try {
        client.completeMultipartUpload(complete.build());
      } catch (SdkException e) {
        if (overwrite
            || !S3Errors.isPreconditionFailed(e)
            || !S3Errors.writtenBy(client, bucket, key, writeId)) {
          throw e;
        }
      }
      completed = true;
      return size;
    } finally {
      if (!completed) {
        abort(client, bucket, key, uploadId);
      }
    }
  }

  private static void abort(S3Client client, String bucket, String key, String uploadId) {
    try {
      client.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
    } catch (SdkException e) {
      // the bucket's lifecycle rule for incomplete uploads is the last resort
      LOG.warn(
          "cannot abort the multipart upload {} of s3://{}/{}; its parts stay until a lifecycle"
              + " rule removes them",
          uploadId,
          bucket,
          key,
          e);
    }
  }

  /** Copies at most {@code limit} bytes; returns how many. */
  static long copy(InputStream in, OutputStream out, long limit) throws IOException {
    byte[] buffer = new byte[1 << 16];
    long copied = 0;
    while (copied < limit) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, limit - copied));
      if (n < 0) {
        break;
      }
      out.write(buffer, 0, n);
      copied += n;
    }
    return copied;
  }

  private static InputStream range(Path file, long offset, long length) {
    try {
      FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
      channel.position(offset);
      return new Limited(Channels.newInputStream(channel), length);
    } catch (IOException e) {
      throw new StorageException(
          StorageErrorCode.STORAGE_IO_ERROR,
          "cannot read " + file + " to upload it: " + e.getMessage(),
          e);
    }
  }

  /** A stream of at most {@code remaining} bytes of another. */
  private static final class Limited extends FilterInputStream {
    private long remaining;

    Limited(InputStream in, long remaining) {
      super(in);
      this.remaining = remaining;
    }

    @Override
    public int read() throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int b = super.read();
      if (b >= 0) {
        remaining--;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int n = super.read(b, off, (int) Math.min(len, remaining));
      if (n > 0) {
        remaining -= n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = super.skip(Math.min(n, remaining));
      remaining -= skipped;
      return skipped;
    }

    @Override
    public int available() throws IOException {
      return (int) Math.min(super.available(), remaining);
    }

    @Override
    public boolean markSupported() {
      return false;
    }
  }
}

package io.aquifer.storage.objects;

import static java.util.Objects.requireNonNull;

import io.delta.kernel.defaults.engine.fileio.FileIO;
import io.delta.kernel.defaults.engine.fileio.InputFile;
import io.delta.kernel.defaults.engine.fileio.OutputFile;
import io.delta.kernel.defaults.engine.fileio.PositionOutputStream;
import io.delta.kernel.defaults.engine.fileio.SeekableInputStream;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Delta Kernel's file system over S3 ({@code s3://bucket/key} paths), through the AWS SDK rather
 * than Hadoop's S3A. A file written without overwrite, a Delta commit above all, is a conditional
 * PUT ({@code If-None-Match: *}): when another writer created that version first, S3 answers 412
 * and Kernel sees {@link FileAlreadyExistsException}, which it treats as a lost race (rebase and
 * retry, or a conflict), so two writers never both win one version.
 */
public final class S3KernelFileIO implements FileIO {
  private final Supplier<S3Client> clients;

  /**
   * Over the client {@code clients} gives on first use (so that no S3 set-up runs until needed).
   */
  public S3KernelFileIO(Supplier<S3Client> clients) {
    this.clients = requireNonNull(clients, "clients");
  }

  private S3Client client() {
    return clients.get();
  }

  @Override
  public CloseableIterator<FileStatus> listFrom(String filePath) throws IOException {
    S3Location file = S3Location.of(filePath);
    String key = file.prefix();
    int slash = key.lastIndexOf('/');
    String dir = slash < 0 ? "" : key.substring(0, slash + 1);
    List<FileStatus> out = new ArrayList<>();
    boolean any = false;
    try {
      ListObjectsV2Request.Builder request =
          ListObjectsV2Request.builder().bucket(file.bucket()).prefix(dir).delimiter("/");
      for (ListObjectsV2Response page : client().listObjectsV2Paginator(request.build())) {
        for (S3Object o : page.contents()) {
          any = true;
          if (o.key().compareTo(key) >= 0 && !o.key().endsWith("/")) {
            out.add(
                FileStatus.of(
                    "s3://" + file.bucket() + "/" + o.key(),
                    o.size(),
                    o.lastModified().toEpochMilli()));
          }
        }
        any |= page.hasCommonPrefixes() && !page.commonPrefixes().isEmpty();
      }
    } catch (SdkException e) {
      throw new IOException("cannot list " + filePath + ": " + e.getMessage(), e);
    }
    if (!any) {
      throw new FileNotFoundException("no such directory: s3://" + file.bucket() + "/" + dir);
    }
    return io.delta.kernel.internal.util.Utils.toCloseableIterator(out.iterator());
  }

  @Override
  public FileStatus getFileStatus(String path) throws IOException {
    S3Location file = S3Location.of(path);
    try {
      HeadObjectResponse head =
          client().headObject(b -> b.bucket(file.bucket()).key(file.prefix()));
      return FileStatus.of(path, head.contentLength(), head.lastModified().toEpochMilli());
    } catch (SdkException e) {
      if (S3Errors.isNotFound(e)) {
        throw new FileNotFoundException("no such file: " + path);
      }
      throw new IOException("cannot read " + path + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String resolvePath(String path) {
    S3Location file = S3Location.of(path);
    return "s3://" + file.bucket() + "/" + file.prefix();
  }

  @Override
  public boolean mkdirs(String path) {
    return true; // S3 has no directories: a key's prefixes exist once the key does
  }

  @Override
  public InputFile newInputFile(String path, long fileSize) {
    S3Location file = S3Location.of(path);
    return new InputFile() {
      @Override
      public long length() throws IOException {
        return fileSize >= 0 ? fileSize : getFileStatus(path).getSize();
      }

      @Override
      public String path() {
        return path;
      }

      @Override
      public SeekableInputStream newStream() {
        return new RangedStream(file, path);
      }
    };
  }

  @Override
  public OutputFile newOutputFile(String path) {
    S3Location file = S3Location.of(path);
    return new OutputFile() {
      @Override
      public String path() {
        return path;
      }

      @Override
      public PositionOutputStream create(boolean putIfAbsent) throws IOException {
        return new SpooledPut(file, path, putIfAbsent);
      }

      @Override
      public void writeAtomically(CloseableIterator<String> data, boolean overwrite)
          throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (data) {
          while (data.hasNext()) {
            bytes.write(data.next().getBytes(StandardCharsets.UTF_8));
            bytes.write('\n');
          }
        }
        put(file, path, RequestBody.fromBytes(bytes.toByteArray()), !overwrite);
      }
    };
  }

  @Override
  public boolean delete(String path) throws IOException {
    S3Location file = S3Location.of(path);
    try {
      client().deleteObject(b -> b.bucket(file.bucket()).key(file.prefix()));
      return true;
    } catch (SdkException e) {
      throw new IOException("cannot delete " + path + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<String> getConf(String confKey) {
    return Optional.empty();
  }

  @Override
  public void copyFileAtomically(String srcPath, String destPath, boolean overwrite)
      throws IOException {
    S3Location source = S3Location.of(srcPath);
    byte[] bytes;
    try {
      bytes =
          client()
              .getObjectAsBytes(b -> b.bucket(source.bucket()).key(source.prefix()))
              .asByteArray();
    } catch (SdkException e) {
      if (S3Errors.isNotFound(e)) {
        throw new FileNotFoundException("no such file: " + srcPath);
      }
      throw new IOException("cannot read " + srcPath + ": " + e.getMessage(), e);
    }
    put(S3Location.of(destPath), destPath, RequestBody.fromBytes(bytes), !overwrite);
  }

  private void put(S3Location file, String path, RequestBody body, boolean ifAbsent)
      throws IOException {
    PutObjectRequest.Builder put =
        PutObjectRequest.builder().bucket(file.bucket()).key(file.prefix());
    String writeId = S3Errors.newWriteId();
    if (ifAbsent) {
      // The id tells a retried PUT that in fact succeeded from another writer's commit.
      put.ifNoneMatch("*").metadata(java.util.Map.of(S3Errors.WRITE_ID, writeId));
    }
    try {
      PutObjectRequest request = put.build();
      try {
        S3Errors.retryingConflicts(() -> client().putObject(request, body));
      } catch (SdkException e) {
        if (!ifAbsent
            || !S3Errors.isPreconditionFailed(e)
            || !S3Errors.writtenBy(client(), file.bucket(), file.prefix(), writeId)) {
          throw e;
        }
      }
    } catch (SdkException e) {
      if (ifAbsent && S3Errors.isPreconditionFailed(e)) {
        throw new FileAlreadyExistsException(path);
      }
      throw new IOException("cannot write " + path + ": " + e.getMessage(), e);
    }
  }

  /** Reads an object from a position, re-opening with a byte range after each seek. */
  private final class RangedStream extends SeekableInputStream {
    private final S3Location file;
    private final String path;
    private InputStream current;
    private long pos;

    RangedStream(S3Location file, String path) {
      this.file = file;
      this.path = path;
    }

    private InputStream current() throws IOException {
      if (current == null) {
        long from = pos;
        try {
          current =
              client()
                  .getObject(
                      b -> b.bucket(file.bucket()).key(file.prefix()).range("bytes=" + from + "-"));
        } catch (SdkException e) {
          if (S3Errors.isNotFound(e)) {
            throw new FileNotFoundException("no such file: " + path);
          }
          if (e instanceof software.amazon.awssdk.services.s3.model.S3Exception s
              && s.statusCode() == 416) {
            current = InputStream.nullInputStream(); // at or past the end
          } else {
            throw new IOException("cannot read " + path + ": " + e.getMessage(), e);
          }
        }
      }
      return current;
    }

    @Override
    public int read() throws IOException {
      int b = current().read();
      if (b >= 0) {
        pos++;
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      if (length == 0) {
        return 0;
      }
      int n = current().read(buffer, offset, length);
      if (n > 0) {
        pos += n;
      }
      return n;
    }

    @Override
    public long getPos() {
      return pos;
    }

    @Override
    public void seek(long newPos) throws IOException {
      if (newPos == pos) {
        return;
      }
      closeCurrent();
      pos = newPos;
    }

    @Override
    public void readFully(byte[] buffer, int offset, int length) throws IOException {
      int done = 0;
      while (done < length) {
        int n = read(buffer, offset + done, length - done);
        if (n < 0) {
          throw new EOFException("end of " + path + " after " + pos + " bytes");
        }
        done += n;
      }
    }

    private void closeCurrent() throws IOException {
      if (current != null) {
        InputStream c = current;
        current = null;
        if (c instanceof software.amazon.awssdk.core.ResponseInputStream<?> r) {
          r.abort(); // do not drain the rest of the object
        }
        c.close();
      }
    }

    @Override
    public void close() throws IOException {
      closeCurrent();
    }
  }

  /** Writes to a local temporary file, then PUTs it whole on close. */
  private final class SpooledPut extends PositionOutputStream {
    private final S3Location file;
    private final String path;
    private final boolean ifAbsent;
    private final Path spool;
    private final OutputStream out;
    private long pos;
    private boolean closed;

    SpooledPut(S3Location file, String path, boolean ifAbsent) throws IOException {
      this.file = file;
      this.path = path;
      this.ifAbsent = ifAbsent;
      this.spool = Files.createTempFile("aquifer-s3-put-", ".tmp");
      this.out = new BufferedOutputStream(Files.newOutputStream(spool));
    }

    @Override
    public long getPos() {
      return pos;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      pos++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      pos += len;
    }

    @Override
    public void close() throws IOException {
      if (closed) {
        return;
      }
      closed = true;
      try {
        out.close();
        put(file, path, RequestBody.fromFile(spool), ifAbsent);
      } finally {
        Files.deleteIfExists(spool);
      }
    }
  }
}

package io.aquifer.storage.objects;

import static java.util.Objects.requireNonNull;

import io.aquifer.storage.StorageErrorCode;
import io.aquifer.storage.StorageException;
import io.aquifer.storage.files.FileEntry;
import io.aquifer.storage.files.FileStore;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A {@link FileStore} on an S3 bucket and prefix. Directories are key prefixes; {@link
 * #createDirectories} leaves a zero-byte marker object ({@code dir/}) so that an empty directory
 * exists, as on a file system. A write is one PUT, or above the part size (64 MiB by default) a
 * multipart upload that is aborted if anything fails, so readers see the whole object or none and
 * no parts are left behind; a write without overwrite is conditional ({@code If-None-Match: *}, on
 * the PUT or the upload's completion), so of two writers of one name exactly one wins.
 */
public final class S3FileStore implements FileStore {
  private final S3Client client;
  private final S3Location location;
  private final long partSize;

  public S3FileStore(S3Client client, S3Location location) {
    this(client, location, S3MultipartUpload.DEFAULT_PART_SIZE);
  }

  /**
   * A store whose writes of more than {@code partSize} bytes are multipart uploads in parts of that
   * size (at least S3's 5 MiB; 64 MiB by default).
   */
  public S3FileStore(S3Client client, S3Location location, long partSize) {
    this.client = requireNonNull(client, "client");
    this.location = requireNonNull(location, "location");
    if (partSize < S3MultipartUpload.MIN_PART_SIZE) {
      throw new IllegalArgumentException(
          "S3 parts must be at least " + S3MultipartUpload.MIN_PART_SIZE + " bytes: " + partSize);
    }
    this.partSize = partSize;
  }

  /** A store on {@code s3://bucket/prefix} through the process's shared client. */
  public static S3FileStore of(URI location) {
    return new S3FileStore(S3Clients.shared(), S3Location.of(location));
  }

  @Override
  public URI root() {
    return location.uri();
  }

  @Override
  public Optional<FileEntry> stat(String path) {
    check(path);
    if (path.isEmpty()) {
      return Optional.of(new FileEntry("", true, 0, Instant.EPOCH));
    }
    String key = location.key(path);
    try {
      HeadObjectResponse head = client.headObject(b -> b.bucket(location.bucket()).key(key));
      return Optional.of(new FileEntry(path, false, head.contentLength(), head.lastModified()));
    } catch (SdkException e) {
      if (!S3Errors.isNotFound(e)) {
        throw S3Errors.ioError("read", location.resolve(path), e);
      }
    }
    return isDirectory(key)
        ? Optional.of(new FileEntry(path, true, 0, Instant.EPOCH))
        : Optional.empty();
  }

  @Override
  public List<FileEntry> list(String path) {
    check(path);
    String dir = dirKey(path);
    TreeMap<String, FileEntry> out = new TreeMap<>();
    boolean any = path.isEmpty();
    try {
      ListObjectsV2Request request =
          ListObjectsV2Request.builder()
              .bucket(location.bucket())
              .prefix(dir)
              .delimiter("/")
              .build();
      for (ListObjectsV2Response page : client.listObjectsV2Paginator(request)) {
        for (CommonPrefix p : page.commonPrefixes()) {
          any = true;
          String name = p.prefix().substring(dir.length(), p.prefix().length() - 1);
          String rel = join(path, name);
          out.put(rel, new FileEntry(rel, true, 0, Instant.EPOCH));
        }
        for (S3Object o : page.contents()) {
          any = true;
          String name = o.key().substring(dir.length());
          if (name.isEmpty()) {
            continue; // the directory's own marker
          }
          String rel = join(path, name);
          out.put(rel, new FileEntry(rel, false, o.size(), o.lastModified()));
        }
      }
    } catch (SdkException e) {
      throw S3Errors.ioError("list", location.resolve(path), e);
    }
    if (!any) {
      throw notFound("directory", path);
    }
    return new ArrayList<>(out.values());
  }

  @Override
  public List<FileEntry> listFilesRecursively(String path) {
    check(path);
    String dir = dirKey(path);
    List<FileEntry> out = new ArrayList<>();
    boolean any = path.isEmpty();
    try {
      ListObjectsV2Request request =
          ListObjectsV2Request.builder().bucket(location.bucket()).prefix(dir).build();
      for (ListObjectsV2Response page : client.listObjectsV2Paginator(request)) {
        for (S3Object o : page.contents()) {
          any = true;
          String relative = o.key().substring(dir.length());
          if (relative.isEmpty() || relative.endsWith("/") || hidden(relative)) {
            continue;
          }
          out.add(new FileEntry(join(path, relative), false, o.size(), o.lastModified()));
        }
      }
    } catch (SdkException e) {
      throw S3Errors.ioError("list", location.resolve(path), e);
    }
    if (!any) {
      throw notFound("directory", path);
    }
    out.sort(java.util.Comparator.comparing(FileEntry::path));
    return out;
  }

  @Override
  public FileEntry write(String path, InputStream data, boolean overwrite) {
    requireNonNull(data, "data");
    check(path);
    if (path.isEmpty()) {
      throw new StorageException(
          StorageErrorCode.INVALID_FILE_PATH, "the path '' is not allowed: a file needs a name");
    }
    String key = location.key(path);
    if (isDirectory(key)) {
      throw new StorageException(
          StorageErrorCode.FILE_ALREADY_EXISTS, "'" + path + "' is a directory, not a file");
    }
    // The SDK's synchronous PUT needs the length first: spool the first part to a local file,
    // never memory. A stream longer than one part goes up as a multipart upload, part by part.
    Path spool = null;
    try {
      spool = Files.createTempFile("aquifer-s3-put-", ".tmp");
      try (java.io.OutputStream out = Files.newOutputStream(spool)) {
        S3MultipartUpload.copy(data, out, partSize);
      }
      int next = data.read();
      if (next >= 0) {
        InputStream rest =
            new java.io.SequenceInputStream(
                new java.io.ByteArrayInputStream(new byte[] {(byte) next}), data);
        long size =
            S3MultipartUpload.upload(
                client,
                location.bucket(),
                key,
                overwrite,
                S3Errors.newWriteId(),
                S3MultipartUpload.ofStream(spool, rest, partSize));
        return new FileEntry(path, false, size, Instant.now());
      }
      return put(path, key, spool, overwrite);
    } catch (SdkException e) {
      if (!overwrite && S3Errors.isPreconditionFailed(e)) {
        throw alreadyExists(path);
      }
      throw S3Errors.ioError("write", location.resolve(path), e);
    } catch (IOException e) {
      throw new StorageException(
          StorageErrorCode.STORAGE_IO_ERROR,
          "cannot write " + location.resolve(path) + ": " + e.getMessage(),
          e);
    } finally {
      if (spool != null) {
        try {
          Files.deleteIfExists(spool);
        } catch (IOException ignored) {
          // a temporary file left behind is harmless
        }
      }
    }
  }

  /** One PUT of a local file; without overwrite a conditional one. */
  private FileEntry put(String path, String key, Path file, boolean overwrite) throws IOException {
    PutObjectRequest.Builder put = PutObjectRequest.builder().bucket(location.bucket()).key(key);
    String writeId = S3Errors.newWriteId();
    if (!overwrite) {
      put.ifNoneMatch("*").metadata(java.util.Map.of(S3Errors.WRITE_ID, writeId));
    }
    PutObjectRequest request = put.build();
    try {
      S3Errors.retryingConflicts(() -> client.putObject(request, RequestBody.fromFile(file)));
    } catch (SdkException e) {
      if (overwrite
          || !S3Errors.isPreconditionFailed(e)
          || !S3Errors.writtenBy(client, location.bucket(), key, writeId)) {
        throw e;
      }
    }
    return new FileEntry(path, false, Files.size(file), Instant.now());
  }

  /**
   * Uploads the local file {@code file} to {@code path}; without {@code overwrite} a conditional
   * PUT that fails with FILE_ALREADY_EXISTS when the object exists.
   */
  public FileEntry upload(String path, Path file, boolean overwrite) {
    check(path);
    String key = location.key(path);
    try {
      if (Files.size(file) > partSize) {
        long size =
            S3MultipartUpload.upload(
                client,
                location.bucket(),
                key,
                overwrite,
                S3Errors.newWriteId(),
                S3MultipartUpload.ofFile(file, partSize));
        return new FileEntry(path, false, size, Instant.now());
      }
      return put(path, key, file, overwrite);
    } catch (SdkException e) {
      if (!overwrite && S3Errors.isPreconditionFailed(e)) {
        throw alreadyExists(path);
      }
      throw S3Errors.ioError("write", location.resolve(path), e);
    } catch (IOException e) {
      throw new StorageException(
          StorageErrorCode.STORAGE_IO_ERROR,
          "cannot upload " + file + " to " + location.resolve(path) + ": " + e.getMessage(),
          e);
    }
  }

  /** Deletes the object {@code path} if it exists; no error when it does not. */
  public void deleteIfExists(String path) {
    check(path);
    try {
      client.deleteObject(b -> b.bucket(location.bucket()).key(location.key(path)));
    } catch (SdkException e) {
      throw S3Errors.ioError("delete", location.resolve(path), e);
    }
  }

  @Override
  public InputStream open(String path) {
    check(path);
    try {
      return client.getObject(b -> b.bucket(location.bucket()).key(location.key(path)));
    } catch (SdkException e) {
      if (S3Errors.isNotFound(e)) {
        throw notFound("file", path);
      }
      throw S3Errors.ioError("read", location.resolve(path), e);
    }
  }

  @Override
  public URI uri(String path) {
    check(path);
    return location.uriOfKey(location.key(path));
  }

  @Override
  public void createDirectories(String path) {
    check(path);
    if (path.isEmpty()) {
      return;
    }
    if (stat(path).filter(e -> !e.directory()).isPresent()) {
      throw new StorageException(
          StorageErrorCode.FILE_ALREADY_EXISTS, "'" + path + "' is a file, not a directory");
    }
    try {
      client.putObject(b -> b.bucket(location.bucket()).key(dirKey(path)), RequestBody.empty());
    } catch (SdkException e) {
      throw S3Errors.ioError("create the directory", location.resolve(path), e);
    }
  }

  @Override
  public void deleteFile(String path) {
    check(path);
    if (stat(path).filter(e -> !e.directory()).isEmpty()) {
      throw notFound("file", path);
    }
    try {
      client.deleteObject(b -> b.bucket(location.bucket()).key(location.key(path)));
      keepDirectory(path.contains("/") ? path.substring(0, path.lastIndexOf('/')) : "");
    } catch (SdkException e) {
      throw S3Errors.ioError("delete", location.resolve(path), e);
    }
  }

  /**
   * A directory outlives its last file, as on a file system: S3 has no directories, only keys, so
   * when {@code path} holds nothing any more it gets a marker object (what {@link
   * #createDirectories} writes).
   */
  private void keepDirectory(String path) {
    if (path.isEmpty()) {
      return;
    }
    String dir = dirKey(path);
    boolean empty =
        !client
            .listObjectsV2(b -> b.bucket(location.bucket()).prefix(dir).maxKeys(1))
            .hasContents();
    if (empty) {
      client.putObject(b -> b.bucket(location.bucket()).key(dir), RequestBody.empty());
    }
  }

  @Override
  public void deleteDirectory(String path, boolean recursive) {
    check(path);
    String dir = dirKey(path);
    List<String> keys = new ArrayList<>();
    try {
      ListObjectsV2Request request =
          ListObjectsV2Request.builder().bucket(location.bucket()).prefix(dir).build();
      for (ListObjectsV2Response page : client.listObjectsV2Paginator(request)) {
        for (S3Object o : page.contents()) {
          keys.add(o.key());
        }
      }
      if (keys.isEmpty()) {
        throw notFound("directory", path);
      }
      if (!recursive && !(keys.size() == 1 && keys.get(0).equals(dir))) {
        throw new StorageException(
            StorageErrorCode.DIRECTORY_NOT_EMPTY,
            "the directory '" + path + "' is not empty; delete its files first");
      }
      for (int i = 0; i < keys.size(); i += 1000) {
        List<ObjectIdentifier> batch =
            keys.subList(i, Math.min(keys.size(), i + 1000)).stream()
                .map(k -> ObjectIdentifier.builder().key(k).build())
                .toList();
        client.deleteObjects(b -> b.bucket(location.bucket()).delete(d -> d.objects(batch)));
      }
    } catch (SdkException e) {
      throw S3Errors.ioError("delete the directory", location.resolve(path), e);
    }
  }

  private boolean isDirectory(String key) {
    try {
      return client
          .listObjectsV2(b -> b.bucket(location.bucket()).prefix(key + "/").maxKeys(1))
          .hasContents();
    } catch (SdkException e) {
      throw S3Errors.ioError("list", location, e);
    }
  }

  private String dirKey(String path) {
    String key = location.key(path);
    return key.isEmpty() ? "" : key + "/";
  }

  private static String join(String dir, String name) {
    return dir.isEmpty() ? name : dir + "/" + name;
  }

  private static boolean hidden(String relative) {
    for (String part : relative.split("/")) {
      if (part.startsWith("_") || part.startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  /** The same path rules as the local store: no {@code ..}, {@code .}, empty parts or controls. */
  private static void check(String path) {
    requireNonNull(path, "path");
    if (path.isEmpty()) {
      return;
    }
    for (String part : path.split("/", -1)) {
      if (part.isEmpty() || part.equals(".") || part.equals("..")) {
        throw invalid(path, "'" + part + "' parts are not allowed");
      }
      for (int i = 0; i < part.length(); i++) {
        char ch = part.charAt(i);
        if (ch < 0x20 || ch == 0x7f || ch == '\\') {
          throw invalid(path, "control characters and backslashes are not allowed");
        }
      }
    }
  }

  private static StorageException invalid(String path, String why) {
    return new StorageException(
        StorageErrorCode.INVALID_FILE_PATH, "the path '" + path + "' is not allowed: " + why);
  }

  private static StorageException notFound(String what, String path) {
    return new StorageException(
        StorageErrorCode.FILE_NOT_FOUND, "the " + what + " '" + path + "' does not exist");
  }

  private static StorageException alreadyExists(String path) {
    return new StorageException(
        StorageErrorCode.FILE_ALREADY_EXISTS,
        "the file '" + path + "' already exists; write it with overwrite to replace it");
  }
}

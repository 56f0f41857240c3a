package io.aquifer.storage.objects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.storage.StorageErrorCode;
import io.aquifer.storage.StorageException;
import io.aquifer.storage.files.FileEntry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/** The file store on S3 (S3Proxy 4.1.0, filesystem backend, on loopback). */
class S3FileStoreTest {
  @TempDir static Path s3Directory;
  private static S3ProxyProcess s3;
  private static S3Client client;

  @BeforeAll
  static void startS3() throws Exception {
    S3ProxyProcess.useTestCredentials();
    s3 = S3ProxyProcess.start(s3Directory);
    client = s3.client();
    client.createBucket(b -> b.bucket("files"));
  }

  @AfterAll
  static void stopS3() throws Exception {
    if (client != null) {
      client.close();
    }
    if (s3 != null) {
      s3.close();
    }
  }

  private static final int PART = 5 << 20;

  /** Bytes 0..size-1 of a repeating pattern, produced as read (never held whole). */
  private static InputStream pattern(long size, long failAfter) {
    return new InputStream() {
      long position;

      @Override
      public int read() throws IOException {
        if (position >= failAfter) {
          throw new IOException("the client's connection dropped");
        }
        return position < size ? (int) (position++ % 251) : -1;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (position >= size) {
          return -1;
        }
        if (position >= failAfter) {
          throw new IOException("the client's connection dropped");
        }
        int n = (int) Math.min(len, Math.min(size, failAfter) - position);
        for (int i = 0; i < n; i++) {
          b[off + i] = (byte) (position++ % 251);
        }
        return n;
      }
    };
  }

  private static List<String> multipartUploads(String prefix) {
    List<String> keys = new ArrayList<>();
    client
        .listMultipartUploads(b -> b.bucket("files").prefix(prefix))
        .uploads()
        .forEach(u -> keys.add(u.key() + " " + u.uploadId()));
    return keys;
  }

  @Test
  void aStreamLongerThanOnePartIsAMultipartUploadAndReadsBackWhole() throws IOException {
    S3FileStore store =
        new S3FileStore(client, S3Location.of(URI.create("s3://files/multi/")), PART);
    long size = 2L * PART + 12345;
    FileEntry written = store.write("big.bin", pattern(size, Long.MAX_VALUE), false);
    assertEquals(size, written.size());
    assertEquals(size, store.stat("big.bin").orElseThrow().size());
    try (InputStream in = store.open("big.bin")) {
      byte[] buffer = new byte[1 << 16];
      long position = 0;
      for (int n; (n = in.read(buffer)) > 0; ) {
        for (int i = 0; i < n; i++, position++) {
          if (buffer[i] != (byte) (position % 251)) {
            throw new AssertionError("byte " + position + " differs");
          }
        }
      }
      assertEquals(size, position);
    }
    // A multipart object's ETag names its parts: "<md5>-3".
    String etag = client.headObject(h -> h.bucket("files").key("multi/big.bin")).eTag();
    assertTrue(etag.endsWith("-3\""), etag);
    // Without overwrite the completion is conditional: a second write of the name fails.
    StorageException exists =
        assertThrows(
            StorageException.class,
            () -> store.write("big.bin", pattern(size, Long.MAX_VALUE), false));
    assertEquals(StorageErrorCode.FILE_ALREADY_EXISTS, exists.code());
    assertEquals(List.of(), multipartUploads("multi/"));
  }

  @Test
  void aLargeLocalFileIsUploadedInParts(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("data.parquet");
    long size = PART + 777;
    try (InputStream in = pattern(size, Long.MAX_VALUE)) {
      java.nio.file.Files.copy(in, file);
    }
    S3FileStore store =
        new S3FileStore(client, S3Location.of(URI.create("s3://files/uploads/")), PART);
    assertEquals(size, store.upload("data.parquet", file, false).size());
    String etag = client.headObject(h -> h.bucket("files").key("uploads/data.parquet")).eTag();
    assertTrue(etag.endsWith("-2\""), etag);
    try (InputStream in = store.open("data.parquet")) {
      assertEquals(size, in.transferTo(java.io.OutputStream.nullOutputStream()));
    }
  }

  @Test
  void aFailedMultipartUploadIsAbortedAndLeavesNoParts() {
    // The listing does show an upload nobody finished or aborted...
    String open =
        client.createMultipartUpload(b -> b.bucket("files").key("broken/other.bin")).uploadId();
    client.uploadPart(
        b -> b.bucket("files").key("broken/other.bin").uploadId(open).partNumber(1),
        software.amazon.awssdk.core.sync.RequestBody.fromBytes(new byte[100]));
    assertEquals(1, multipartUploads("broken/").size(), multipartUploads("broken/").toString());
    client.abortMultipartUpload(b -> b.bucket("files").key("broken/other.bin").uploadId(open));
    assertEquals(List.of(), multipartUploads("broken/"));
    // ... and none is left by a write that failed.
    S3FileStore store =
        new S3FileStore(client, S3Location.of(URI.create("s3://files/broken/")), PART);
    // The source breaks in the third part, after two parts were uploaded.
    StorageException e =
        assertThrows(
            StorageException.class,
            () -> store.write("big.bin", pattern(3L * PART, 2L * PART + 100), false));
    assertEquals(StorageErrorCode.STORAGE_IO_ERROR, e.code());
    assertTrue(e.getMessage().contains("connection dropped"), e.getMessage());
    assertEquals(List.of(), multipartUploads("broken/"));
    assertTrue(store.stat("big.bin").isEmpty());
  }

  /**
   * A conditional write stores its write id, so that a PUT the SDK retried after a lost response
   * (whose retry then fails with 412) is recognised as this write's own, not another writer's.
   */
  @Test
  void conditionalWritesCarryTheirWriteId() throws IOException {
    S3FileStore store = new S3FileStore(client, S3Location.of(URI.create("s3://files/ids/")));
    store.write("one.txt", bytes("1"), false);
    String stored =
        client
            .headObject(h -> h.bucket("files").key("ids/one.txt"))
            .metadata()
            .get(S3Errors.WRITE_ID);
    assertTrue(stored != null && !stored.isBlank(), "no write id stored: " + stored);
    assertTrue(S3Errors.writtenBy(client, "files", "ids/one.txt", stored));
    assertFalse(S3Errors.writtenBy(client, "files", "ids/one.txt", S3Errors.newWriteId()));
    assertFalse(S3Errors.writtenBy(client, "files", "ids/missing.txt", stored));
    // Another writer's object under the same name is still "already exists" for this one.
    assertEquals(
        StorageErrorCode.FILE_ALREADY_EXISTS,
        assertThrows(StorageException.class, () -> store.write("one.txt", bytes("2"), false))
            .code());
  }

  @Test
  void writesReadsListsAndDeletes() throws IOException {
    S3FileStore store = new S3FileStore(client, S3Location.of(URI.create("s3://files/v1/")));
    assertEquals(URI.create("s3://files/v1/"), store.root());
    FileEntry written = store.write("a/b/c.txt", bytes("hello"), false);
    assertEquals(5, written.size());
    try (InputStream in = store.open("a/b/c.txt")) {
      assertEquals("hello", new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    assertEquals(
        StorageErrorCode.FILE_ALREADY_EXISTS,
        assertThrows(StorageException.class, () -> store.write("a/b/c.txt", bytes("x"), false))
            .code());
    try (InputStream in = store.open("a/b/c.txt")) {
      assertEquals("hello", new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    store.write("a/b/c.txt", bytes("hi"), true);
    assertEquals(2, store.stat("a/b/c.txt").orElseThrow().size());
    assertTrue(store.stat("a/b").orElseThrow().directory());
    store.write("a/_hidden/x.txt", bytes("x"), false);
    store.write("a/.dot", bytes("x"), false);
    assertEquals(
        List.of("a/b/c.txt"),
        store.listFilesRecursively("a").stream().map(FileEntry::path).toList());
    assertEquals(
        List.of("a/.dot", "a/_hidden", "a/b"),
        store.list("a").stream().map(FileEntry::path).toList());
    assertEquals(URI.create("s3://files/v1/a/b/c.txt"), store.uri("a/b/c.txt"));
    assertEquals(
        StorageErrorCode.DIRECTORY_NOT_EMPTY,
        assertThrows(StorageException.class, () -> store.deleteDirectory("a/b", false)).code());
    store.deleteFile("a/b/c.txt");
    assertTrue(store.stat("a/b/c.txt").isEmpty());
    assertEquals(
        StorageErrorCode.FILE_NOT_FOUND,
        assertThrows(StorageException.class, () -> store.open("a/b/c.txt")).code());
    // As on a file system, the directory outlives its last file, empty, and can then be deleted.
    assertTrue(store.stat("a/b").orElseThrow().directory());
    assertEquals(List.of(), store.list("a/b"));
    store.deleteDirectory("a/b", false);
    assertTrue(store.stat("a/b").isEmpty());
    store.createDirectories("empty/dir");
    assertTrue(store.stat("empty/dir").orElseThrow().directory());
    assertEquals(List.of(), store.list("empty/dir"));
    store.deleteDirectory("empty/dir", false);
    store.deleteDirectory("a", true);
    assertTrue(store.stat("a").isEmpty());
    assertEquals(
        StorageErrorCode.FILE_NOT_FOUND,
        assertThrows(StorageException.class, () -> store.list("a")).code());
  }

  @Test
  void refusesBadPaths() {
    S3FileStore store = new S3FileStore(client, S3Location.of(URI.create("s3://files/v2")));
    for (String bad : List.of("..", "a/../../x", "./x", "a//b", "/etc/passwd", "a\\b", "a\u0001")) {
      StorageException e =
          assertThrows(StorageException.class, () -> store.write(bad, bytes("x"), true), bad);
      assertEquals(StorageErrorCode.INVALID_FILE_PATH, e.code(), bad);
    }
  }

  @Test
  void ofManyWritersOfOneNameWithoutOverwriteExactlyOneWins() throws Exception {
    S3FileStore store = new S3FileStore(client, S3Location.of(URI.create("s3://files/race")));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      for (int round = 0; round < 5; round++) {
        String name = "commit-" + round;
        List<Future<String>> writers = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
          String content = "writer " + w;
          writers.add(
              pool.submit(
                  () -> {
                    try {
                      store.write(name, bytes(content), false);
                      return content;
                    } catch (StorageException e) {
                      assertEquals(StorageErrorCode.FILE_ALREADY_EXISTS, e.code());
                      return null;
                    }
                  }));
        }
        List<String> winners = new ArrayList<>();
        for (Future<String> f : writers) {
          if (f.get() != null) {
            winners.add(f.get());
          }
        }
        assertEquals(1, winners.size(), "winners of " + name + ": " + winners);
        try (InputStream in = store.open(name)) {
          assertEquals(winners.get(0), new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static InputStream bytes(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }
}

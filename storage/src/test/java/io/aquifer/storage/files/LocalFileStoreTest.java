package io.aquifer.storage.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.storage.StorageErrorCode;
import io.aquifer.storage.StorageException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalFileStoreTest {
  @TempDir Path root;
  @TempDir Path outside;

  @Test
  void writesReadsListsAndDeletes() throws IOException {
    LocalFileStore store = new LocalFileStore(root.resolve("v"));
    FileEntry written = store.write("a/b/c.txt", bytes("hello"), false);
    assertEquals("a/b/c.txt", written.path());
    assertEquals(5, written.size());
    try (InputStream in = store.open("a/b/c.txt")) {
      assertEquals("hello", new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    assertEquals(
        StorageErrorCode.FILE_ALREADY_EXISTS,
        assertThrows(StorageException.class, () -> store.write("a/b/c.txt", bytes("x"), false))
            .code());
    store.write("a/b/c.txt", bytes("hi"), true);
    assertEquals(2, store.stat("a/b/c.txt").orElseThrow().size());
    store.write("a/_hidden/x.txt", bytes("x"), false);
    store.write("a/.dot", bytes("x"), false);
    assertEquals(
        List.of("a/b/c.txt"),
        store.listFilesRecursively("a").stream().map(FileEntry::path).toList());
    assertEquals(
        List.of("a/.dot", "a/_hidden", "a/b"),
        store.list("a").stream().map(FileEntry::path).toList());
    assertEquals(
        StorageErrorCode.DIRECTORY_NOT_EMPTY,
        assertThrows(StorageException.class, () -> store.deleteDirectory("a/b", false)).code());
    store.deleteFile("a/b/c.txt");
    store.deleteDirectory("a/b", false);
    assertTrue(store.stat("a/b").isEmpty());
  }

  @Test
  void refusesPathsThatLeaveTheRoot() throws IOException {
    LocalFileStore store = new LocalFileStore(root.resolve("v"));
    for (String bad : List.of("..", "a/../../x", "./x", "a//b", "/etc/passwd", "a\\b", "a\u0001")) {
      StorageException e =
          assertThrows(StorageException.class, () -> store.write(bad, bytes("x"), true), bad);
      assertEquals(StorageErrorCode.INVALID_FILE_PATH, e.code(), bad);
    }
    Files.writeString(outside.resolve("secret"), "s");
    Files.createSymbolicLink(root.resolve("v").resolve("link"), outside);
    for (String viaLink : List.of("link/secret", "link/new", "link")) {
      assertEquals(
          StorageErrorCode.INVALID_FILE_PATH,
          assertThrows(StorageException.class, () -> store.stat(viaLink)).code());
    }
    assertEquals(
        StorageErrorCode.INVALID_FILE_PATH,
        assertThrows(StorageException.class, () -> store.write("link/new", bytes("x"), false))
            .code());
    assertFalse(Files.exists(outside.resolve("new")));
    Files.createSymbolicLink(root.resolve("v").resolve("file-link"), outside.resolve("secret"));
    assertTrue(store.listFilesRecursively("").isEmpty(), "a link to a file outside is not listed");
  }

  private static InputStream bytes(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
  }
}

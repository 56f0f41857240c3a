package io.aquifer.gateway.results;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.results.ResultStoreErrorCode;
import io.aquifer.results.ResultStoreException;
import io.aquifer.storage.files.LocalFileStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spill tier of stored results over a file store (S3 in production; the local store here, the
 * S3 one in {@code ObjectStorageEndToEndTest}): chunks written, read back, gone with their result,
 * and results a stopped gateway left behind deleted by age only.
 */
class FileStoreSpillTierTest {
  @TempDir Path root;

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void chunksAreReadBackAndDeletedWithTheirResult() {
    FileStoreSpillTier tier = new FileStoreSpillTier(new LocalFileStore(root));
    tier.write("r-1", 0, bytes("zero"));
    tier.write("r-1", 1, bytes("one"));
    tier.write("r-2", 0, bytes("other"));
    assertArrayEquals(bytes("one"), tier.read("r-1", 1));
    assertTrue(Files.exists(root.resolve("r-1").resolve("0.arrows")));
    tier.delete("r-1");
    ResultStoreException gone = assertThrows(ResultStoreException.class, () -> tier.read("r-1", 0));
    assertEquals(ResultStoreErrorCode.RESULT_CLOSED, gone.code());
    assertArrayEquals(bytes("other"), tier.read("r-2", 0));
    tier.delete("r-1"); // a result with no chunks left: no-op
    tier.delete("never-written");
    assertThrows(IllegalArgumentException.class, () -> tier.write("../x", 0, bytes("x")));
  }

  @Test
  void onlyResultsWhoseNewestChunkIsOlderThanTheCutoffAreDeleted() throws Exception {
    FileStoreSpillTier tier = new FileStoreSpillTier(new LocalFileStore(root));
    tier.write("old", 0, bytes("a"));
    tier.write("mixed", 0, bytes("b"));
    tier.write("mixed", 1, bytes("c"));
    tier.write("new", 0, bytes("d"));
    FileTime longAgo = FileTime.from(Instant.now().minus(Duration.ofHours(3)));
    Files.setLastModifiedTime(root.resolve("old").resolve("0.arrows"), longAgo);
    Files.setLastModifiedTime(root.resolve("mixed").resolve("0.arrows"), longAgo);
    assertEquals(1, tier.deleteOlderThan(Instant.now().minus(Duration.ofHours(2))));
    assertFalse(Files.exists(root.resolve("old")));
    assertArrayEquals(bytes("b"), tier.read("mixed", 0));
    assertArrayEquals(bytes("d"), tier.read("new", 0));
  }
}

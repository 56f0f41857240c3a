package io.aquifer.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageRootRecordTest {
  @TempDir Path dir;

  @Test
  void theFirstRootIsKeptAndAnotherIsRefusedNamingBoth() throws Exception {
    Path file = dir.resolve("catalog.db");
    try (CatalogDatabase database = CatalogDatabase.open(file)) {
      assertEquals("s3://lake/a", StorageRootRecord.checkOrRecord(database, "s3://lake/a"));
      assertEquals("s3://lake/a", StorageRootRecord.checkOrRecord(database, "s3://lake/a"));
    }
    try (CatalogDatabase database = CatalogDatabase.open(file)) {
      IllegalArgumentException other =
          assertThrows(
              IllegalArgumentException.class,
              () -> StorageRootRecord.checkOrRecord(database, "s3://lake/b"));
      assertTrue(other.getMessage().contains("s3://lake/a"), other.getMessage());
      assertTrue(other.getMessage().contains("s3://lake/b"), other.getMessage());
      IllegalArgumentException local =
          assertThrows(
              IllegalArgumentException.class,
              () -> StorageRootRecord.checkOrRecord(database, StorageRootRecord.LOCAL));
      assertTrue(local.getMessage().contains("--storage-root s3://lake/a"), local.getMessage());
      assertEquals(
          "[s3://lake/a]",
          SqliteFiles.query(file, "SELECT value FROM store_metadata WHERE key = 'storage_root'")
              .toString());
    }
  }

  @Test
  void aLocalCatalogRefusesAnS3Root() {
    try (CatalogDatabase database = CatalogDatabase.open(dir.resolve("catalog.db"))) {
      StorageRootRecord.checkOrRecord(database, StorageRootRecord.LOCAL);
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> StorageRootRecord.checkOrRecord(database, "s3://lake/x"));
      assertTrue(e.getMessage().contains("no storage-root"), e.getMessage());
    }
  }
}

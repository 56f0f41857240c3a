package io.aquifer.catalog;

import static java.util.Objects.requireNonNull;

import java.sql.PreparedStatement;
import java.sql.ResultSet;

/**
 * The storage root a catalog's managed tables, volumes and results live under, recorded in the
 * catalog ({@code store_metadata}, key {@value #KEY}) on the first start and checked on every later
 * one: a start that names another root would look for the tables in the wrong place and write new
 * ones beside them (two halves of one warehouse), so it is refused.
 */
public final class StorageRootRecord {
  static final String KEY = "storage_root";

  /** The recorded value for tables below the data directory. */
  public static final String LOCAL = "local";

  private StorageRootRecord() {}

  /**
   * Records {@code configured} if the catalog has no storage root yet; otherwise checks that it is
   * the one recorded.
   *
   * @param configured {@value #LOCAL} or an {@code s3://bucket/prefix} URI
   * @return the recorded root, equal to {@code configured}
   * @throws IllegalArgumentException naming both roots when the catalog records another
   */
  public static String checkOrRecord(CatalogDatabase database, String configured) {
    requireNonNull(configured, "configured");
    String recorded =
        database.writeRecord(
            connection -> {
              try (PreparedStatement select =
                  connection.prepareStatement("SELECT value FROM store_metadata WHERE key = ?")) {
                select.setString(1, KEY);
                try (ResultSet rows = select.executeQuery()) {
                  if (rows.next()) {
                    return rows.getString(1);
                  }
                }
              }
              try (PreparedStatement insert =
                  connection.prepareStatement(
                      "INSERT INTO store_metadata (key, value) VALUES (?, ?)")) {
                insert.setString(1, KEY);
                insert.setString(2, configured);
                insert.executeUpdate();
              }
              return configured;
            });
    if (!recorded.equals(configured)) {
      throw new IllegalArgumentException(
          "storage-root is "
              + describe(configured)
              + ", but this data directory's catalog was first started with "
              + describe(recorded)
              + " and its tables live there; start it with "
              + (recorded.equals(LOCAL) ? "no storage-root" : "--storage-root " + recorded)
              + ", or use a new data directory for the other root");
    }
    return recorded;
  }

  private static String describe(String root) {
    return root.equals(LOCAL) ? "the local data directory (no storage-root)" : root;
  }
}

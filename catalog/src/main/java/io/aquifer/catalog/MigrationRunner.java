package io.aquifer.catalog;

import static io.aquifer.catalog.CatalogErrorCode.CATALOG_STORE_ERROR;
import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a catalog database to the schema version of this code. Migrations are SQL resources named
 * {@code V<n>__<description>.sql}, numbered 1, 2, 3, ... without gaps; each is applied once, in one
 * transaction together with its row in {@code schema_version}. A database whose version is newer
 * than the newest migration known here is refused, as is one where an applied migration's text has
 * since changed.
 *
 * <p>Statements in a migration end with {@code ;} at the end of a line; lines starting with {@code
 * --} are comments. (So no trigger bodies with inner semicolons: write them on one line.)
 */
final class MigrationRunner {
  private static final Logger log = LoggerFactory.getLogger(MigrationRunner.class);

  /** Every catalog migration, in order. A new one is added here and under resources. */
  static final List<String> CATALOG_MIGRATIONS =
      List.of(
          "db/migration/V1__init.sql",
          "db/migration/V2__query_history.sql",
          "db/migration/V3__warehouses.sql",
          "db/migration/V4__query_history_cache_origin.sql",
          "db/migration/V5__query_history_planning_time.sql",
          "db/migration/V6__grants.sql",
          "db/migration/V7__query_history_queue_time.sql",
          "db/migration/V8__volumes.sql",
          "db/migration/V9__groups.sql",
          "db/migration/V10__audit.sql",
          "db/migration/V11__functions_and_row_filters.sql",
          "db/migration/V12__warehouse_engine.sql",
          "db/migration/V13__query_history_disk_cache.sql",
          "db/migration/V14__principal_active_and_grant_types.sql",
          "db/migration/V15__lineage_paths.sql",
          "db/migration/V16__query_history_engine_profile.sql");

  private static final Pattern FILE_NAME = Pattern.compile("V(\\d+)__(\\w+)\\.sql");
  private static final Pattern STATEMENT_END = Pattern.compile(";[ \\t]*(\\n|$)");

  private final List<Migration> migrations;

  MigrationRunner(List<String> resources) {
    requireNonNull(resources, "resources");
    if (resources.isEmpty()) {
      throw new IllegalArgumentException("no migrations");
    }
    List<Migration> loaded = new ArrayList<>();
    for (String resource : resources) {
      Migration migration = load(resource);
      if (migration.version() != loaded.size() + 1) {
        throw new IllegalArgumentException(
            "migration " + resource + " should be version " + (loaded.size() + 1));
      }
      loaded.add(migration);
    }
    this.migrations = List.copyOf(loaded);
  }

  static MigrationRunner forCatalog() {
    return new MigrationRunner(CATALOG_MIGRATIONS);
  }

  List<Migration> migrations() {
    return migrations;
  }

  int latestVersion() {
    return migrations.get(migrations.size() - 1).version();
  }

  /**
   * Applies the migrations {@code connection} lacks and returns the schema version. Each migration
   * runs in its own BEGIN IMMEDIATE transaction, so two processes opening a fresh file do not both
   * apply it.
   */
  int migrate(Connection connection, Path file, Clock clock) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("BEGIN IMMEDIATE");
      try {
        statement.execute(
            "CREATE TABLE IF NOT EXISTS schema_version ("
                + " version INTEGER PRIMARY KEY,"
                + " description TEXT NOT NULL,"
                + " checksum TEXT NOT NULL,"
                + " applied_at INTEGER NOT NULL)");
        statement.execute("COMMIT");
      } catch (SQLException | RuntimeException e) {
        rollback(statement, e);
        throw e;
      }
    }
    for (Migration migration : migrations) {
      try (Statement statement = connection.createStatement()) {
        statement.execute("BEGIN IMMEDIATE");
        try {
          Map<Integer, String> applied = appliedChecksums(connection);
          checkNotNewer(applied, file);
          String checksum = applied.get(migration.version());
          if (checksum != null) {
            if (!checksum.equals(migration.checksum())) {
              throw new CatalogException(
                  CATALOG_STORE_ERROR,
                  "catalog database "
                      + file
                      + ": migration "
                      + migration.resource()
                      + " was changed after it was applied (checksum "
                      + checksum
                      + ", now "
                      + migration.checksum()
                      + ")");
            }
          } else {
            for (String sql : migration.statements()) {
              statement.execute(sql);
            }
            try (PreparedStatement insert =
                connection.prepareStatement(
                    "INSERT INTO schema_version (version, description, checksum, applied_at)"
                        + " VALUES (?, ?, ?, ?)")) {
              insert.setInt(1, migration.version());
              insert.setString(2, migration.description());
              insert.setString(3, migration.checksum());
              insert.setLong(4, CatalogDatabase.toEpochMicros(CatalogDatabase.now(clock)));
              insert.executeUpdate();
            }
            log.info("Applied catalog migration {} to {}", migration.resource(), file);
          }
          statement.execute("COMMIT");
        } catch (SQLException | RuntimeException e) {
          rollback(statement, e);
          throw e;
        }
      }
    }
    return latestVersion();
  }

  private static void rollback(Statement statement, Exception cause) {
    try {
      statement.execute("ROLLBACK");
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  private void checkNotNewer(Map<Integer, String> applied, Path file) {
    int newest = applied.keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
    if (newest > latestVersion()) {
      throw new CatalogException(
          CATALOG_STORE_ERROR,
          "catalog database "
              + file
              + " has schema version "
              + newest
              + ", newer than this Aquifer knows ("
              + latestVersion()
              + "); run a newer Aquifer or restore a backup");
    }
  }

  private static Map<Integer, String> appliedChecksums(Connection connection) throws SQLException {
    Map<Integer, String> applied = new HashMap<>();
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT version, checksum FROM schema_version")) {
      while (rows.next()) {
        applied.put(rows.getInt(1), rows.getString(2));
      }
    }
    return applied;
  }

  private static Migration load(String resource) {
    String fileName = resource.substring(resource.lastIndexOf('/') + 1);
    Matcher matcher = FILE_NAME.matcher(fileName);
    if (!matcher.matches()) {
      throw new IllegalArgumentException(
          "migration " + resource + " is not named V<version>__<description>.sql");
    }
    String text;
    try (InputStream in = MigrationRunner.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("migration " + resource + " is not on the class path");
      }
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n");
    } catch (IOException e) {
      throw new IllegalStateException("cannot read migration " + resource, e);
    }
    return new Migration(
        Integer.parseInt(matcher.group(1)),
        matcher.group(2),
        resource,
        statements(text),
        sha256(text));
  }

  static List<String> statements(String text) {
    StringBuilder withoutComments = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      if (!line.strip().startsWith("--")) {
        withoutComments.append(line).append('\n');
      }
    }
    List<String> statements = new ArrayList<>();
    for (String statement : STATEMENT_END.split(withoutComments)) {
      if (!statement.isBlank()) {
        statements.add(statement.strip());
      }
    }
    return List.copyOf(statements);
  }

  private static String sha256(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** One versioned migration: its statements and the checksum of its text. */
  record Migration(
      int version, String description, String resource, List<String> statements, String checksum) {
    Migration {
      requireNonNull(description, "description");
      requireNonNull(resource, "resource");
      statements = List.copyOf(statements);
      requireNonNull(checksum, "checksum");
    }
  }
}

package io.aquifer.catalog;

import static io.aquifer.catalog.CatalogErrorCode.CATALOG_STORE_ERROR;
import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * The catalog's embedded SQLite file: opened with WAL, {@code synchronous=FULL} (a returned commit
 * survives power loss), foreign keys on and a busy timeout, and migrated to the schema version this
 * code knows. One connection serves all reads and writes, one transaction at a time; SQLite allows
 * one writer anyway, and catalog transactions are short.
 */
public final class CatalogDatabase implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CatalogDatabase.class);

  /** How long a statement waits for another process's lock before failing. */
  static final int BUSY_TIMEOUT_MILLIS = 10_000;

  private final Path file;
  private final Connection connection;
  private final int schemaVersion;
  private final ReentrantLock lock = new ReentrantLock();
  private final java.util.concurrent.atomic.AtomicLong changes =
      new java.util.concurrent.atomic.AtomicLong();
  private boolean closed;

  private CatalogDatabase(Path file, Connection connection, int schemaVersion) {
    this.file = file;
    this.connection = connection;
    this.schemaVersion = schemaVersion;
  }

  /** Opens (creating if missing) the database file and applies pending migrations. */
  public static CatalogDatabase open(Path file) {
    return open(file, MigrationRunner.forCatalog());
  }

  static CatalogDatabase open(Path file, MigrationRunner migrations) {
    requireNonNull(file, "file");
    Path absolute = file.toAbsolutePath();
    try {
      Path parent = absolute.getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
    } catch (IOException e) {
      throw new CatalogException(
          CATALOG_STORE_ERROR, "cannot create the directory of catalog database " + absolute, e);
    }
    Connection connection = connect(absolute);
    try {
      int version = migrations.migrate(connection, absolute, Clock.systemUTC());
      log.debug("Opened catalog database {} at schema version {}", absolute, version);
      return new CatalogDatabase(absolute, connection, version);
    } catch (SQLException | RuntimeException e) {
      try {
        connection.close();
      } catch (SQLException closeFailure) {
        e.addSuppressed(closeFailure);
      }
      if (e instanceof CatalogException catalogException) {
        throw catalogException;
      }
      throw new CatalogException(
          CATALOG_STORE_ERROR,
          "cannot migrate catalog database " + absolute + ": " + e.getMessage(),
          e);
    }
  }

  private static Connection connect(Path file) {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    config.enforceForeignKeys(true);
    config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
    Connection connection;
    try {
      connection = config.createConnection("jdbc:sqlite:" + file);
    } catch (SQLException e) {
      throw new CatalogException(
          CATALOG_STORE_ERROR, "cannot open catalog database " + file + ": " + e.getMessage(), e);
    }
    try (Statement statement = connection.createStatement()) {
      String journalMode = pragma(statement, "journal_mode");
      if (!"wal".equalsIgnoreCase(journalMode)) {
        throw new CatalogException(
            CATALOG_STORE_ERROR,
            "catalog database "
                + file
                + " cannot use write-ahead logging (journal_mode is "
                + journalMode
                + "); put it on a local file system");
      }
      if (!"1".equals(pragma(statement, "foreign_keys"))
          || !"2".equals(pragma(statement, "synchronous"))) {
        throw new CatalogException(
            CATALOG_STORE_ERROR, "catalog database " + file + " did not accept its settings");
      }
      return connection;
    } catch (SQLException | RuntimeException e) {
      try {
        connection.close();
      } catch (SQLException closeFailure) {
        e.addSuppressed(closeFailure);
      }
      if (e instanceof CatalogException catalogException) {
        throw catalogException;
      }
      throw new CatalogException(
          CATALOG_STORE_ERROR,
          "cannot configure catalog database " + file + ": " + e.getMessage(),
          e);
    }
  }

  private static String pragma(Statement statement, String name) throws SQLException {
    try (ResultSet rows = statement.executeQuery("PRAGMA " + name)) {
      return rows.next() ? rows.getString(1) : null;
    }
  }

  public Path file() {
    return file;
  }

  /** The highest migration applied to the file. */
  public int schemaVersion() {
    return schemaVersion;
  }

  /**
   * Runs {@code work} in one write transaction (BEGIN IMMEDIATE): all of it commits or none. Counts
   * a catalog change (see {@link #changeGeneration}), whether or not it committed.
   */
  <T> T write(SqlWork<T> work) {
    try {
      return inTransaction("BEGIN IMMEDIATE", work);
    } finally {
      changes.incrementAndGet();
    }
  }

  /**
   * Like {@link #write}, for records no statement's plan reads (query history, the audit log): not
   * counted as a catalog change.
   */
  <T> T writeRecord(SqlWork<T> work) {
    return inTransaction("BEGIN IMMEDIATE", work);
  }

  /**
   * Changes whenever the catalog may have changed: after every write of this process but {@link
   * #writeRecord}s, and whenever another process (a command line tool on the same file) commits.
   * Equal values mean nothing that plans read (tables, views, grants, groups, principals) changed
   * in between. Cheap: one SQLite pragma, no table read.
   */
  public String changeGeneration() {
    long local = changes.get();
    lock.lock();
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("PRAGMA data_version")) {
      long external = rs.next() ? rs.getLong(1) : -1;
      return local + ":" + external;
    } catch (SQLException e) {
      throw storeError("cannot read the data version", e);
    } finally {
      lock.unlock();
    }
  }

  /** Runs {@code work} in one read transaction, so that it sees one consistent state. */
  <T> T read(SqlWork<T> work) {
    return inTransaction("BEGIN", work);
  }

  private <T> T inTransaction(String begin, SqlWork<T> work) {
    lock.lock();
    try {
      if (closed) {
        throw new CatalogException(CATALOG_STORE_ERROR, "catalog database " + file + " is closed");
      }
      try (Statement statement = connection.createStatement()) {
        statement.execute(begin);
      } catch (SQLException e) {
        throw storeError("cannot begin a transaction", e);
      }
      T result;
      try {
        result = work.run(connection);
      } catch (SQLException e) {
        CatalogException failure = storeError("statement failed", e);
        rollback(failure);
        throw failure;
      } catch (RuntimeException | Error e) {
        rollback(e);
        throw e;
      }
      try (Statement statement = connection.createStatement()) {
        statement.execute("COMMIT");
      } catch (SQLException e) {
        CatalogException failure = storeError("cannot commit", e);
        rollback(failure);
        throw failure;
      }
      return result;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Rolls back the open transaction. SQLite ends a transaction by itself after a few errors (disk
   * full, I/O); the ROLLBACK then fails with "no transaction is active", kept as suppressed.
   */
  private void rollback(Throwable cause) {
    try (Statement statement = connection.createStatement()) {
      statement.execute("ROLLBACK");
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  private CatalogException storeError(String what, SQLException e) {
    return new CatalogException(
        CATALOG_STORE_ERROR, "catalog database " + file + ": " + what + ": " + e.getMessage(), e);
  }

  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      connection.close();
    } catch (SQLException e) {
      throw storeError("cannot close", e);
    } finally {
      lock.unlock();
    }
  }

  /** Times are stored as microseconds since the epoch; the stores truncate to match. */
  static long toEpochMicros(Instant instant) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
  }

  static Instant fromEpochMicros(long micros) {
    return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
  }

  /** The current time of {@code clock} at the precision the database keeps. */
  static Instant now(Clock clock) {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  /** Work done inside one transaction on the catalog's connection. */
  @FunctionalInterface
  interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
  }
}

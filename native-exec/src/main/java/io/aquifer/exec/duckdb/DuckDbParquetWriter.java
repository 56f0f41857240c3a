package io.aquifer.exec.duckdb;

import static io.aquifer.exec.duckdb.DuckDbQuoting.identifier;
import static io.aquifer.exec.duckdb.DuckDbQuoting.string;

import io.aquifer.exec.ExecErrorCode;
import io.aquifer.exec.ExecException;
import io.aquifer.exec.WriteFragment;
import io.aquifer.exec.duckdb.DuckDbTypes.FieldNames;
import io.aquifer.storage.delta.NewDataFile;
import io.aquifer.storage.types.Column;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a fragment's rows as Parquet files of a Delta table.
 *
 * <p>DuckDB writes into a private staging directory below the table root ({@code
 * _aquifer_staging_<uuid>}, ignored by Delta readers because of the underscore), rolling over to a
 * new file every {@code targetFileRows} rows or so. When the query succeeded, each file's
 * statistics are read back from its footer and the file is moved (atomic rename) directly below the
 * table root. If anything fails or the write is canceled, the staging directory and every file
 * already moved are deleted.
 */
final class DuckDbParquetWriter {
  private static final Logger LOG = LoggerFactory.getLogger(DuckDbParquetWriter.class);
  static final String STAGING_PREFIX = "_aquifer_staging_";

  /** DuckDB's default row group size; smaller files get one row group. */
  private static final long MAX_ROW_GROUP_ROWS = 122_880;

  private final DuckDbErrorTranslator errors;
  private final RunningQueries queries;
  private final List<Path> dataDirectories;

  DuckDbParquetWriter(
      DuckDbErrorTranslator errors, RunningQueries queries, List<Path> dataDirectories) {
    this.errors = errors;
    this.queries = queries;
    this.dataDirectories =
        dataDirectories.stream().map(p -> p.toAbsolutePath().normalize()).toList();
  }

  List<NewDataFile> write(WriteFragment fragment, DuckDBConnection template) {
    RunningQuery query = queries.start(fragment.query().queryId());
    Path tableDirectory;
    try {
      tableDirectory = DuckDbQuoting.localDirectory(fragment.targetDirectory());
    } catch (IllegalArgumentException e) {
      queries.finish(query);
      throw new ExecException(
          ExecErrorCode.NOT_SUPPORTED,
          "Writes go to the local file system only: " + fragment.targetDirectory());
    }
    try {
      checkBelowDataDirectory(tableDirectory);
    } catch (ExecException e) {
      queries.finish(query);
      throw e;
    }
    Path staging = tableDirectory.resolve(STAGING_PREFIX + UUID.randomUUID());
    List<Path> published = new ArrayList<>();
    DuckDBConnection connection = null;
    try {
      query.throwIfCanceled();
      connection = template.duplicate();
      query.attach(connection);
      EngineSqlGuard.checkSingleSelect(connection, fragment.query().engineSql());
      DuckDbEngine.createViews(connection, fragment.query().scans());
      Files.createDirectories(staging);
      query.throwIfCanceled();
      List<Path> written = copy(connection, query, fragment, staging);
      query.throwIfCanceled();
      List<NewDataFile> files = new ArrayList<>();
      if (fragment.partitionColumns().isEmpty()) {
        for (Path file : written) {
          WrittenParquetFiles.publish(
                  connection, file, fragment.targetSchema(), tableDirectory, published)
              .ifPresent(files::add);
        }
      } else {
        PartitionDirectories partitions =
            new PartitionDirectories(fragment.targetSchema(), fragment.partitionColumns());
        for (Path file : written) {
          java.util.Map<String, String> values = partitions.valuesOfStaged(staging, file);
          WrittenParquetFiles.publish(
                  connection,
                  file,
                  partitions.dataSchema(),
                  tableDirectory.resolve(partitions.directoryOf(values)),
                  values,
                  published)
              .ifPresent(files::add);
        }
      }
      query.throwIfCanceled();
      deleteRecursively(staging);
      return List.copyOf(files);
    } catch (Throwable t) {
      deleteRecursively(staging);
      for (Path file : published) {
        deleteQuietly(file);
      }
      if (query.isCanceled()) {
        throw query.canceledException(t);
      }
      if (t instanceof IOException io) {
        throw errors.translate(
            new ExecException(
                io.getMessage() != null && io.getMessage().contains("No space left")
                    ? ExecErrorCode.DISK_FULL
                    : ExecErrorCode.ENGINE_ERROR,
                "Writing data files to " + tableDirectory + " failed: " + io,
                io));
      }
      throw errors.translate(t);
    } finally {
      if (connection != null) {
        query.detach(connection);
        DuckDbEngine.closeQuietly(connection);
      }
      queries.finish(query);
    }
  }

  /**
   * A write goes strictly below one of the node's data directories, also once symbolic links are
   * followed; checked before anything is created, so a refused write leaves no directory behind.
   */
  private void checkBelowDataDirectory(Path tableDirectory) {
    for (Path data : dataDirectories) {
      if (!tableDirectory.startsWith(data) || tableDirectory.equals(data)) {
        continue;
      }
      Path existing = tableDirectory;
      while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
        existing = existing.getParent();
      }
      try {
        Path realData = data.toRealPath();
        Path realExisting = existing == null ? null : existing.toRealPath();
        if (realExisting != null
            && realExisting.startsWith(realData)
            && (!realExisting.equals(realData) || !existing.equals(tableDirectory))) {
          return;
        }
      } catch (IOException e) {
        // an ancestor vanished or cannot be resolved: refused below
      }
    }
    throw new ExecException(
        ExecErrorCode.ACCESS_DENIED,
        "The node writes only below its data directories; refused " + tableDirectory);
  }

  private List<Path> copy(
      DuckDBConnection connection, RunningQuery query, WriteFragment fragment, Path staging)
      throws SQLException {
    try (Statement statement = connection.createStatement()) {
      query.running(connection, statement);
      try (ResultSet rs = statement.executeQuery(copySql(fragment, staging))) {
        List<Path> files = new ArrayList<>();
        if (rs.next()) {
          Array array = rs.getArray(2);
          if (array != null) {
            for (Object path : (Object[]) array.getArray()) {
              files.add(Paths.get(path.toString()));
            }
          }
        }
        return files;
      }
    }
  }

  static String copySql(WriteFragment fragment, Path staging) {
    List<Column> columns = fragment.targetSchema().columns();
    List<String> aliases = new ArrayList<>();
    List<String> values = new ArrayList<>();
    List<String> partitionValues = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      Column column = columns.get(i);
      String alias = identifier("_c" + i);
      aliases.add(alias);
      int partition = indexOfIgnoreCase(fragment.partitionColumns(), column.name());
      if (partition >= 0) {
        String value = PartitionDirectories.deltaPartitionValue("q." + alias, column.type());
        if (!column.nullable()) {
          value = notNull("q." + alias, column, value);
        }
        partitionValues.add(
            value + " AS " + identifier(PartitionDirectories.STAGING_COLUMN_PREFIX + partition));
        continue;
      }
      String value =
          DuckDbValueConversion.convert(
              "q." + alias, column.type(), FieldNames.LOGICAL, FieldNames.PHYSICAL);
      if (!column.nullable()) {
        value = notNull("q." + alias, column, value);
      }
      values.add(value + " AS " + identifier(column.physicalName()));
    }
    List<String> partitionBy = new ArrayList<>();
    for (int p = 0; p < fragment.partitionColumns().size(); p++) {
      partitionBy.add(identifier(PartitionDirectories.STAGING_COLUMN_PREFIX + p));
    }
    values.addAll(partitionValues);
    long rowGroupRows = Math.min(fragment.targetFileRows(), MAX_ROW_GROUP_ROWS);
    long rowGroupsPerFile = (fragment.targetFileRows() + rowGroupRows - 1) / rowGroupRows;
    return "COPY (SELECT "
        + String.join(", ", values)
        + " FROM (\n"
        + EngineSqlGuard.withoutTrailingSemicolons(fragment.query().engineSql())
        + "\n) AS q("
        + String.join(", ", aliases)
        + ")) TO "
        + string(staging.toString())
        + " (FORMAT parquet, ROW_GROUP_SIZE "
        + rowGroupRows
        + ", ROW_GROUPS_PER_FILE "
        + rowGroupsPerFile
        + (partitionBy.isEmpty()
            ? ""
            : ", PARTITION_BY (" + String.join(", ", partitionBy) + "), OVERWRITE_OR_IGNORE true")
        + ", FILENAME_PATTERN 'part-{uuid}', RETURN_FILES true)";
  }

  private static String notNull(String reference, Column column, String value) {
    return "CASE WHEN "
        + reference
        + " IS NULL THEN error("
        + string(
            DuckDbErrorTranslator.NOT_NULL_MARKER
                + "NOT NULL constraint violated for column: "
                + column.name()
                + ".")
        + ") ELSE "
        + value
        + " END";
  }

  private static int indexOfIgnoreCase(List<String> names, String name) {
    for (int i = 0; i < names.size(); i++) {
      if (names.get(i).equalsIgnoreCase(name)) {
        return i;
      }
    }
    return -1;
  }

  static void deleteRecursively(Path directory) {
    if (!Files.exists(directory)) {
      return;
    }
    try {
      Files.walkFileTree(
          directory,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.deleteIfExists(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
              Files.deleteIfExists(dir);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (NoSuchFileException e) {
      // already gone
    } catch (IOException e) {
      LOG.error("could not delete the staging directory {} of a failed write", directory, e);
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.error("could not delete {} of a failed write", file, e);
    }
  }
}

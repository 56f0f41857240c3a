package io.aquifer.gateway.execution;

import static io.aquifer.gateway.results.LocalResultStream.longField;
import static io.aquifer.gateway.results.LocalResultStream.stringField;

import io.aquifer.catalog.Securable;
import io.aquifer.catalog.TableInfo;
import io.aquifer.catalog.TableName;
import io.aquifer.gateway.GatewayErrorCode;
import io.aquifer.gateway.SessionSettings;
import io.aquifer.gateway.StatementResult;
import io.aquifer.gateway.results.LocalResultStream;
import io.aquifer.planner.parse.ParsedStatement;
import io.aquifer.storage.StorageErrorCode;
import io.aquifer.storage.StorageException;
import io.aquifer.storage.delta.CommitRequest;
import io.aquifer.storage.delta.DataFile;
import io.aquifer.storage.delta.DeltaSnapshot;
import io.aquifer.storage.delta.HistoryEntry;
import io.aquifer.storage.delta.NewDataFile;
import io.aquifer.storage.files.FileEntry;
import io.aquifer.storage.files.FileStore;
import io.aquifer.storage.objects.TableFiles;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * Delta table maintenance: {@code RESTORE TABLE} (one commit that makes the table's files those of
 * an earlier version) and {@code VACUUM} (deletes files below the table's location that neither the
 * latest version nor time travel within the retention period reads). Both need MODIFY on the table.
 */
final class TableMaintenanceExecutor {
  /** Databricks' RESTORE result columns. */
  static final List<Field> RESTORE_FIELDS =
      List.of(
          longField("table_size_after_restore"),
          longField("num_of_files_after_restore"),
          longField("num_removed_files"),
          longField("num_restored_files"),
          longField("removed_files_size"),
          longField("restored_files_size"));

  /**
   * OPTIMIZE's result: the table's location and its metrics (Databricks returns them as a STRUCT;
   * here they are a JSON object in a STRING).
   */
  static final List<Field> OPTIMIZE_FIELDS = List.of(stringField("path"), stringField("metrics"));

  /** Files at least this large are left alone by OPTIMIZE without ZORDER BY (Databricks: 1 GB). */
  static final long OPTIMIZE_MIN_FILE_BYTES = 1L << 30;

  /** VACUUM's result: the table's location, or with DRY RUN the files it would delete. */
  static final List<Field> VACUUM_FIELDS = List.of(stringField("path"));

  /** Delta's property for how long removed files stay for time travel. */
  static final String RETENTION_PROPERTY = "delta.deletedFileRetentionDuration";

  /** Delta's default for {@link #RETENTION_PROPERTY}. */
  static final Duration DEFAULT_RETENTION = Duration.ofDays(7);

  /** DRY RUN lists at most this many files, as Databricks does. */
  static final int DRY_RUN_LIMIT = 1000;

  private static final Pattern INTERVAL =
      Pattern.compile(
          "(?i)\\s*(?:interval\\s+)?(\\d+)\\s*(weeks?|days?|hours?|minutes?|seconds?)\\s*");

  private TableMaintenanceExecutor() {}

  static List<Field> resultFields(ParsedStatement statement) {
    if (statement instanceof ParsedStatement.Restore) {
      return RESTORE_FIELDS;
    }
    if (statement instanceof ParsedStatement.Vacuum) {
      return VACUUM_FIELDS;
    }
    if (statement instanceof ParsedStatement.Optimize) {
      return OPTIMIZE_FIELDS;
    }
    if (statement instanceof ParsedStatement.ShallowClone) {
      return DdlExecutor.CLONE_FIELDS;
    }
    return List.of();
  }

  // ---- RESTORE ------------------------------------------------------------------------------

  static StatementResult restore(StatementContext ctx, ParsedStatement.Restore s) {
    TableName name = ctx.tableName(s.table());
    TableInfo info = writableTable(ctx, name, "restore");
    ResolvedTable table = ResolvedTable.latest(ctx, info);
    DeltaSnapshot current = table.snapshot();
    DeltaSnapshot target = target(ctx, table, s);
    if (!target.schema().equals(current.schema())
        || !target.partitionColumns().equals(current.partitionColumns())) {
      throw GatewayErrorCode.UNSUPPORTED_FEATURE.exception(
          "cannot restore "
              + name
              + " to version "
              + target.version()
              + ": its columns or partitioning differ from the table's now, and RESTORE across a"
              + " schema change is not supported yet");
    }
    Map<URI, DataFile> before = byPath(current.files());
    Map<URI, DataFile> after = byPath(target.files());
    List<DataFile> removed = new ArrayList<>();
    List<DataFile> restored = new ArrayList<>();
    for (DataFile f : current.files()) {
      DataFile kept = after.get(f.path());
      if (kept == null) {
        removed.add(f);
      } else if (!Arrays.equals(kept.deletedRowPositions(), f.deletedRowPositions())) {
        throw deletionVectors(name, target.version());
      }
    }
    for (DataFile f : target.files()) {
      if (!before.containsKey(f.path())) {
        restored.add(f);
      }
    }
    List<NewDataFile> adds = new ArrayList<>(restored.size());
    List<String> missing = new ArrayList<>();
    for (DataFile f : restored) {
      if (f.hasDeletionVector()) {
        throw deletionVectors(name, target.version());
      }
      if (f.stats().isEmpty()) {
        throw GatewayErrorCode.UNSUPPORTED_FEATURE.exception(
            "cannot restore "
                + name
                + " to version "
                + target.version()
                + ": its file "
                + f.pathInLog()
                + " has no statistics in the log");
      }
      if (!exists(f.path())) {
        missing.add(f.pathInLog());
      }
      adds.add(
          new NewDataFile(
              f.path(), f.size(), f.modificationTime(), f.partitionValues(), f.stats().get()));
    }
    if (!missing.isEmpty()) {
      throw GatewayErrorCode.DELTA_FILE_NOT_FOUND_DETAILED.exception(
          "cannot restore "
              + name
              + " to version "
              + target.version()
              + ": "
              + missing.size()
              + " of its data files are gone (VACUUM deleted them), for example "
              + String.join(", ", missing.subList(0, Math.min(3, missing.size())))
              + "; restore a more recent version");
    }
    if (!adds.isEmpty() || !removed.isEmpty()) {
      Map<String, String> parameters = new LinkedHashMap<>();
      parameters.put("version", Long.toString(target.version()));
      s.timestampMillis()
          .ifPresent(
              t -> parameters.put("timestamp", java.time.Instant.ofEpochMilli(t).toString()));
      ctx.execution().beginCommit();
      // Not DmlExecutor.commitNewFiles: on a conflict that deletes the added files, which here
      // are files of older versions.
      ctx.deltaTables()
          .commit(
              table.location(),
              new CommitRequest(current.version(), "RESTORE", parameters, adds, removed, true));
    }
    List<Object> row =
        Arrays.asList(
            target.files().stream().mapToLong(DataFile::size).sum(),
            (long) target.files().size(),
            (long) removed.size(),
            (long) restored.size(),
            removed.stream().mapToLong(DataFile::size).sum(),
            restored.stream().mapToLong(DataFile::size).sum());
    return new StatementResult.Rows(
        LocalResultStream.of(ctx.allocator(), RESTORE_FIELDS, List.of(row)));
  }

  private static DeltaSnapshot target(
      StatementContext ctx, ResolvedTable table, ParsedStatement.Restore s) {
    DeltaSnapshot current = table.snapshot();
    if (s.version().isPresent()) {
      long version = s.version().getAsLong();
      if (version > current.version()) {
        throw GatewayErrorCode.DELTA_CANNOT_RESTORE_TABLE_VERSION.exception(
            "cannot restore table "
                + table.info().name()
                + " to version "
                + version
                + ": its latest version is "
                + current.version());
      }
      try {
        return ctx.deltaTables().atVersion(table.location(), version);
      } catch (StorageException e) {
        if (e.code() == StorageErrorCode.DELTA_VERSION_NOT_FOUND) {
          throw GatewayErrorCode.DELTA_CANNOT_RESTORE_TABLE_VERSION.exception(
              "cannot restore table "
                  + table.info().name()
                  + " to version "
                  + version
                  + ": the log no longer has it");
        }
        throw e;
      }
    }
    long millis = s.timestampMillis().orElseThrow();
    if (millis > current.timestampMillis()) {
      throw GatewayErrorCode.DELTA_CANNOT_RESTORE_TIMESTAMP_GREATER.exception(
          "cannot restore table "
              + table.info().name()
              + " to "
              + java.time.Instant.ofEpochMilli(millis)
              + ": it is after the latest version, committed at "
              + java.time.Instant.ofEpochMilli(current.timestampMillis()));
    }
    return ctx.deltaTables().atTimestamp(table.location(), millis);
  }

  private static RuntimeException deletionVectors(TableName name, long version) {
    return GatewayErrorCode.UNSUPPORTED_FEATURE.exception(
        "cannot restore "
            + name
            + " to version "
            + version
            + ": files with deletion vectors differ between the versions, which RESTORE does not"
            + " support yet");
  }

  private static Map<URI, DataFile> byPath(List<DataFile> files) {
    Map<URI, DataFile> map = new HashMap<>();
    for (DataFile f : files) {
      map.put(f.path(), f);
    }
    return map;
  }

  private static boolean exists(URI file) {
    String text = file.toString();
    int slash = text.lastIndexOf('/');
    try {
      FileStore dir = TableFiles.store(URI.create(text.substring(0, slash)));
      Optional<FileEntry> entry = dir.stat(fileName(file));
      return entry.isPresent() && !entry.get().directory();
    } catch (StorageException e) {
      if (e.code() == StorageErrorCode.FILE_NOT_FOUND) {
        return false;
      }
      throw e;
    }
  }

  private static String fileName(URI file) {
    String path = file.getPath();
    return path.substring(path.lastIndexOf('/') + 1);
  }

  // ---- OPTIMIZE -----------------------------------------------------------------------------

  static StatementResult optimize(StatementContext ctx, ParsedStatement.Optimize s) {
    TableName name = ctx.tableName(s.table());
    TableInfo info = writableTable(ctx, name, "optimize");
    if (!ctx.catalog().functions().policies(name).isEmpty()) {
      // Its rewrite would read through the filter and masks and write what the caller sees.
      throw GatewayErrorCode.UNSUPPORTED_FEATURE.exception(
          "OPTIMIZE is not supported on table "
              + name
              + " because it has a row filter or column mask; drop it first (ALTER TABLE ..."
              + " DROP ROW FILTER / ALTER COLUMN ... DROP MASK)");
    }
    URI location = URI.create(info.location().orElseThrow());
    io.aquifer.planner.QueryPlanner planner = ctx.newPlanner();
    org.apache.calcite.sql.parser.SqlParserPos pos =
        org.apache.calcite.sql.parser.SqlParserPos.ZERO;
    org.apache.calcite.sql.SqlNode table =
        new org.apache.calcite.sql.SqlIdentifier(
            List.of(name.catalog(), name.schema(), name.table()), pos);
    org.apache.calcite.sql.SqlNodeList order = new org.apache.calcite.sql.SqlNodeList(pos);
    for (String column : s.zorderBy()) {
      order.add(new org.apache.calcite.sql.SqlIdentifier(column, pos));
    }
    org.apache.calcite.sql.SqlSelect select =
        new org.apache.calcite.sql.SqlSelect(
            pos,
            null,
            org.apache.calcite.sql.SqlNodeList.of(org.apache.calcite.sql.SqlIdentifier.star(pos)),
            table,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null);
    io.aquifer.planner.PlannedQuery plan =
        planner.plan(
            order.size() == 0
                ? select
                : new org.apache.calcite.sql.SqlOrderBy(pos, select, order, null, null));
    io.aquifer.planner.calcite.DeltaTableScan scan =
        DmlExecutor.topScan(plan.rel(), location, name);
    DeltaSnapshot snapshot = scan.snapshot();
    if (!snapshot.partitionColumns().isEmpty()) {
      throw GatewayErrorCode.UNSUPPORTED_FEATURE.exception(
          "OPTIMIZE of partitioned table " + name + " is not supported yet");
    }
    for (String column : s.zorderBy()) {
      if (snapshot.schema().column(column).isEmpty()) {
        throw GatewayErrorCode.UNRESOLVED_COLUMN.exception(
            "ZORDER BY column `" + column + "` does not exist in " + name);
      }
    }
    // Without ZORDER BY, only files below the target size are compacted, and only if there are
    // two or more (or one with deleted rows to purge); ZORDER BY rewrites every file.
    List<DataFile> candidates = new ArrayList<>();
    for (DataFile f : snapshot.files()) {
      if (!s.zorderBy().isEmpty() || f.size() < OPTIMIZE_MIN_FILE_BYTES) {
        candidates.add(f);
      }
    }
    boolean worthIt =
        !s.zorderBy().isEmpty()
            ? !candidates.isEmpty()
            : candidates.size() > 1 || candidates.stream().anyMatch(DataFile::hasDeletionVector);
    List<NewDataFile> written = List.of();
    if (worthIt) {
      long expectedRows = rowsOf(candidates);
      org.apache.calcite.rel.RelNode rel = DmlExecutor.restrictScan(plan.rel(), scan, candidates);
      written =
          DmlExecutor.write(ctx, rel, location, snapshot.schema(), snapshot.partitionColumns());
      long writtenRows = written.stream().mapToLong(f -> f.stats().numRecords()).sum();
      if (expectedRows >= 0 && writtenRows != expectedRows) {
        // Something between the files and the rewrite (a row filter, a bug) changed the rows.
        DmlExecutor.deleteFiles(written);
        throw io.aquifer.gateway.execution.GatewayErrors.internal(
            "OPTIMIZE of "
                + name
                + " wrote "
                + writtenRows
                + " rows for "
                + expectedRows
                + "; nothing was committed",
            null);
      }
      Map<String, String> parameters = new LinkedHashMap<>();
      parameters.put("predicate", "[]");
      parameters.put("zOrderBy", zorderJson(s.zorderBy()));
      DmlExecutor.commitNewFiles(
          ctx,
          location,
          new CommitRequest(snapshot.version(), "OPTIMIZE", parameters, written, candidates, true));
    }
    long removedBytes = worthIt ? candidates.stream().mapToLong(DataFile::size).sum() : 0L;
    long addedBytes = written.stream().mapToLong(NewDataFile::size).sum();
    String metrics =
        "{\"numFilesAdded\":"
            + written.size()
            + ",\"numFilesRemoved\":"
            + (worthIt ? candidates.size() : 0)
            + ",\"numBytesAdded\":"
            + addedBytes
            + ",\"numBytesRemoved\":"
            + removedBytes
            + ",\"totalConsideredFiles\":"
            + snapshot.files().size()
            + ",\"totalFilesSkipped\":"
            + (snapshot.files().size() - (worthIt ? candidates.size() : 0))
            + ",\"zOrderBy\":"
            + zorderJson(s.zorderBy())
            + "}";
    return new StatementResult.Rows(
        LocalResultStream.of(
            ctx.allocator(),
            OPTIMIZE_FIELDS,
            List.of(List.of(info.location().orElseThrow(), metrics))));
  }

  /** The rows the files hold after deletion vectors, or -1 if a file has no statistics. */
  private static long rowsOf(List<DataFile> files) {
    long rows = 0;
    for (DataFile f : files) {
      if (f.stats().isEmpty()) {
        return -1;
      }
      rows += f.stats().get().numRecords() - f.deletedRowPositions().length;
    }
    return rows;
  }

  private static String zorderJson(List<String> columns) {
    StringBuilder out = new StringBuilder("[");
    for (int i = 0; i < columns.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      out.append('"')
          .append(columns.get(i).replace("\\", "\\\\").replace("\"", "\\\""))
          .append('"');
    }
    return out.append(']').toString();
  }

  // ---- VACUUM -------------------------------------------------------------------------------

  static StatementResult vacuum(StatementContext ctx, ParsedStatement.Vacuum s) {
    TableName name = ctx.tableName(s.table());
    TableInfo info = writableTable(ctx, name, "vacuum");
    ResolvedTable table = ResolvedTable.latest(ctx, info);
    URI location = table.location();
    Duration configured = retention(ctx.deltaTables().properties(location), name);
    Duration retention = s.retainHours().map(TableMaintenanceExecutor::hours).orElse(configured);
    if (retention.compareTo(configured) < 0
        && SessionSettings.retentionDurationCheck(ctx.session())) {
      throw GatewayErrorCode.DELTA_VACUUM_RETENTION_PERIOD_TOO_SHORT.exception(
          "VACUUM "
              + name
              + " RETAIN "
              + s.retainHours().orElseThrow().toPlainString()
              + " HOURS would delete files that time travel within the table's retention ("
              + RETENTION_PROPERTY
              + " = "
              + configured.toHours()
              + " hours) and running readers or writers may still need. If no statement is using"
              + " the table, turn the check off with SET "
              + SessionSettings.RETENTION_DURATION_CHECK
              + " = false");
    }
    long cutoff = System.currentTimeMillis() - retention.toMillis();
    Set<String> keep = new HashSet<>();
    for (DataFile f : table.snapshot().files()) {
      keep.add(relative(location, f.path()));
    }
    // Files removed by commits made within the retention are still read by time travel.
    long firstProtected = table.snapshot().version() + 1;
    for (HistoryEntry entry : ctx.deltaTables().history(location)) {
      if (entry.timestampMillis() >= cutoff) {
        firstProtected = Math.min(firstProtected, entry.version());
      }
    }
    if (firstProtected <= table.snapshot().version()) {
      for (URI f : ctx.deltaTables().removedFiles(location, firstProtected)) {
        keep.add(relative(location, f));
      }
    }
    FileStore files = TableFiles.store(location);
    List<FileEntry> doomed = new ArrayList<>();
    for (FileEntry f : files.listFilesRecursively("")) {
      if (!keep.contains(f.path())
          && f.modified().toEpochMilli() < cutoff
          // Aquifer does not know which deletion vector files the log points at: keep them all.
          && !f.name().startsWith("deletion_vector_")) {
        doomed.add(f);
      }
    }
    List<List<Object>> rows = new ArrayList<>();
    if (s.dryRun()) {
      for (FileEntry f : doomed.subList(0, Math.min(DRY_RUN_LIMIT, doomed.size()))) {
        rows.add(List.of(files.uri(f.path()).toString()));
      }
      return new StatementResult.Rows(LocalResultStream.of(ctx.allocator(), VACUUM_FIELDS, rows));
    }
    ctx.execution().beginCommit();
    for (FileEntry f : doomed) {
      try {
        files.deleteFile(f.path());
      } catch (StorageException e) {
        if (e.code() != StorageErrorCode.FILE_NOT_FOUND) {
          throw e;
        }
      }
    }
    rows.add(List.of(info.location().orElseThrow()));
    return new StatementResult.Rows(LocalResultStream.of(ctx.allocator(), VACUUM_FIELDS, rows));
  }

  /** The table's {@code delta.deletedFileRetentionDuration}, Delta's default if unset. */
  static Duration retention(Map<String, String> properties, TableName name) {
    String value = properties.get(RETENTION_PROPERTY);
    if (value == null) {
      return DEFAULT_RETENTION;
    }
    Matcher m = INTERVAL.matcher(value);
    if (!m.matches()) {
      throw GatewayErrorCode.INVALID_SETTING.exception(
          "table "
              + name
              + " has "
              + RETENTION_PROPERTY
              + " = '"
              + value
              + "', which is not an interval such as 'interval 7 days'");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2).toLowerCase(Locale.ROOT);
    if (unit.startsWith("week")) {
      return Duration.ofDays(7 * n);
    }
    if (unit.startsWith("day")) {
      return Duration.ofDays(n);
    }
    if (unit.startsWith("hour")) {
      return Duration.ofHours(n);
    }
    if (unit.startsWith("minute")) {
      return Duration.ofMinutes(n);
    }
    return Duration.ofSeconds(n);
  }

  private static Duration hours(BigDecimal hours) {
    return Duration.ofMillis(hours.multiply(BigDecimal.valueOf(3_600_000L)).longValue());
  }

  /** A file's path below the table's location, parts separated by {@code /}, decoded. */
  static String relative(URI location, URI file) {
    String root = location.getPath();
    String path = file.getPath();
    if (root == null || path == null) {
      return file.toString();
    }
    if (!root.endsWith("/")) {
      root = root + "/";
    }
    return path.startsWith(root) ? path.substring(root.length()) : file.toString();
  }

  /** The table (not a view), visible to the caller, who needs MODIFY on it. */
  private static TableInfo writableTable(StatementContext ctx, TableName name, String action) {
    TableInfo info = ResolvedTable.table(ctx, name, action);
    ctx.access().requireVisible(Securable.table(name));
    ctx.access().requireModify(name);
    return info;
  }
}

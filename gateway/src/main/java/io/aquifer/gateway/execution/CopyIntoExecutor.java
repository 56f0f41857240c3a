package io.aquifer.gateway.execution;

import io.aquifer.catalog.TableInfo;
import io.aquifer.catalog.TableKind;
import io.aquifer.catalog.TableName;
import io.aquifer.exec.QueryFragment;
import io.aquifer.exec.ScanColumn;
import io.aquifer.exec.ScanFile;
import io.aquifer.exec.ScanSpec;
import io.aquifer.exec.WriteFragment;
import io.aquifer.gateway.GatewayErrorCode;
import io.aquifer.gateway.StatementResult;
import io.aquifer.planner.PlannerErrorCode;
import io.aquifer.planner.PlannerException;
import io.aquifer.planner.parse.ParsedStatement;
import io.aquifer.storage.delta.CommitRequest;
import io.aquifer.storage.delta.DeltaSnapshot;
import io.aquifer.storage.delta.NewDataFile;
import io.aquifer.storage.types.Column;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code COPY INTO table FROM 'directory' FILEFORMAT = PARQUET}: a warehouse node reads the Parquet
 * files below the directory (columns matched by name, cast to the table's types) and writes them as
 * new files of the table; the gateway commits them in one Delta transaction. The directory must be
 * below an external location the server allows. Unlike Databricks, files are not remembered:
 * copying the same directory twice appends its rows twice.
 */
final class CopyIntoExecutor {
  static final String SOURCE_RELATION = "copy_source";

  private CopyIntoExecutor() {}

  static StatementResult run(
      StatementContext ctx, ParsedStatement.CopyInto s, ExternalLocations externalLocations) {
    TableName name = ctx.tableName(s.table());
    TableInfo info =
        ctx.catalog()
            .getTable(name)
            .orElseThrow(
                () ->
                    new PlannerException(
                        PlannerErrorCode.TABLE_OR_VIEW_NOT_FOUND,
                        "table " + name + " does not exist"));
    if (info.kind() == TableKind.VIEW) {
      throw GatewayErrorCode.EXPECT_TABLE_NOT_VIEW.exception(
          name + " is a view; views cannot be written");
    }
    ctx.access().requireModify(name);
    URI source = externalLocations.resolve(s.source(), ctx.locations().root());
    List<ScanFile> files = parquetFiles(Path.of(source), s.source());
    URI location = URI.create(info.location().orElseThrow());
    DeltaSnapshot snapshot = ctx.deltaTables().latest(location);
    if (!snapshot.partitionColumns().isEmpty()) {
      throw new PlannerException(
          PlannerErrorCode.UNSUPPORTED_FEATURE,
          "writing to partitioned table " + name + " is not supported yet");
    }
    List<ScanColumn> columns = new ArrayList<>();
    for (Column c : snapshot.schema().columns()) {
      // The source files name their columns as the table does.
      columns.add(new ScanColumn(c.name(), c.name(), c.type(), false));
    }
    QueryFragment read =
        new QueryFragment(
            ctx.nodeQueryId(),
            "SELECT * FROM \"" + SOURCE_RELATION + "\"",
            List.of(new ScanSpec(SOURCE_RELATION, columns, files)));
    ctx.execution().statistics().compiled(java.time.Instant.now());
    ctx.checkCanceled();
    List<NewDataFile> added =
        ctx.warehouse()
            .write(
                new WriteFragment(read, location, snapshot.schema(), DdlExecutor.TARGET_FILE_ROWS));
    long rows = added.stream().mapToLong(f -> f.stats().numRecords()).sum();
    commit(ctx, location, snapshot, s.source(), files.size(), added);
    return new StatementResult.UpdateCount(rows);
  }

  /** The Parquet files below a directory, in name order (hidden and {@code _} files skipped). */
  private static List<ScanFile> parquetFiles(Path directory, String source) {
    if (!Files.isDirectory(directory)) {
      throw GatewayErrorCode.PATH_NOT_FOUND.exception(
          "COPY INTO source '" + source + "' is not a directory");
    }
    List<ScanFile> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(directory)) {
      for (Path p : walk.sorted().toList()) {
        String file = p.getFileName().toString();
        boolean hidden =
            directory.relativize(p).toString().startsWith("_")
                || directory.relativize(p).toString().startsWith(".")
                || file.startsWith("_")
                || file.startsWith(".");
        if (Files.isRegularFile(p) && !hidden && file.endsWith(".parquet")) {
          files.add(new ScanFile(p.toUri().toString(), Map.of(), new long[0]));
        }
      }
    } catch (IOException e) {
      throw GatewayErrorCode.PATH_NOT_READABLE.exception(
          "cannot list COPY INTO source '" + source + "': " + e.getMessage());
    }
    if (files.isEmpty()) {
      throw GatewayErrorCode.COPY_INTO_NO_FILES.exception(
          "no .parquet files below '" + source + "'");
    }
    return files;
  }

  private static void commit(
      StatementContext ctx,
      URI location,
      DeltaSnapshot snapshot,
      String source,
      int sourceFiles,
      List<NewDataFile> added) {
    DmlExecutor.commitNewFiles(
        ctx,
        location,
        new CommitRequest(
            snapshot.version(),
            "COPY INTO",
            Map.of("source", source, "sourceFiles", Integer.toString(sourceFiles)),
            added,
            List.of()));
  }
}

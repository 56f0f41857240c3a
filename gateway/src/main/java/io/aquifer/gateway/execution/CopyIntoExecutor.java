package io.aquifer.gateway.execution;

import static io.aquifer.gateway.results.LocalResultStream.longField;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import io.aquifer.gateway.results.LocalResultStream;
import io.aquifer.gateway.volumes.VolumeFile;
import io.aquifer.gateway.volumes.VolumeFiles;
import io.aquifer.gateway.volumes.VolumePath;
import io.aquifer.planner.PlannerErrorCode;
import io.aquifer.planner.PlannerException;
import io.aquifer.planner.parse.ParsedStatement;
import io.aquifer.storage.StorageException;
import io.aquifer.storage.delta.CommitRequest;
import io.aquifer.storage.delta.DeltaSnapshot;
import io.aquifer.storage.delta.HistoryEntry;
import io.aquifer.storage.delta.NewDataFile;
import io.aquifer.storage.files.FileEntry;
import io.aquifer.storage.files.LocalFileStore;
import io.aquifer.storage.types.Column;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * {@code COPY INTO table FROM 'directory' FILEFORMAT = PARQUET}: a warehouse node reads the Parquet
 * files below the directory (a volume path, or a directory below an external location; columns
 * matched by name, cast to the table's types) and writes them as new files of the table; the
 * gateway commits them in one Delta transaction.
 *
 * <p>Idempotent as in Databricks: each commit records the files it loaded in its commit info
 * ({@code operationParameters.loadedFiles}), and a later COPY INTO of the same table skips every
 * file an earlier one loaded (unless {@code COPY_OPTIONS ('force' = 'true')}). The record lives in
 * the table's Delta log, so it survives restarts; it lasts as long as the log keeps those commits.
 */
final class CopyIntoExecutor {
  static final String SOURCE_RELATION = "copy_source";
  static final String OPERATION = "COPY INTO";
  static final String LOADED_FILES = "loadedFiles";

  private static final ObjectMapper JSON = new ObjectMapper();

  private CopyIntoExecutor() {}

  static StatementResult run(
      StatementContext ctx,
      ParsedStatement.CopyInto s,
      ExternalLocations externalLocations,
      VolumeFiles volumeFiles) {
    boolean force = copyOptions(s);
    io.aquifer.exec.SourceFormat format = formatOptions(s);
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
    String extension = "." + s.fileFormat().toLowerCase(Locale.ROOT);
    List<SourceFile> files =
        sourceFiles(ctx, extension, s.source(), externalLocations, volumeFiles);
    URI location = URI.create(info.location().orElseThrow());
    DeltaSnapshot snapshot = ctx.deltaTables().latest(location);
    if (!snapshot.partitionColumns().isEmpty()) {
      throw new PlannerException(
          PlannerErrorCode.UNSUPPORTED_FEATURE,
          "writing to partitioned table " + name + " is not supported yet");
    }
    Set<String> loaded = force ? Set.of() : loadedFiles(ctx, location);
    List<SourceFile> toLoad = files.stream().filter(f -> !loaded.contains(f.key())).toList();
    if (toLoad.isEmpty()) {
      return result(ctx, 0);
    }
    List<ScanColumn> columns = new ArrayList<>();
    for (Column c : snapshot.schema().columns()) {
      // The source files name their columns as the table does.
      columns.add(new ScanColumn(c.name(), c.name(), c.type(), false));
    }
    List<ScanFile> scanFiles =
        toLoad.stream().map(f -> new ScanFile(f.uri().toString(), Map.of(), new long[0])).toList();
    QueryFragment read =
        new QueryFragment(
            ctx.nodeQueryId(),
            "SELECT * FROM \"" + SOURCE_RELATION + "\"",
            List.of(new ScanSpec(SOURCE_RELATION, columns, scanFiles, format)));
    ctx.execution().statistics().compiled(java.time.Instant.now());
    ctx.checkCanceled();
    List<NewDataFile> added =
        ctx.warehouse()
            .write(
                new WriteFragment(read, location, snapshot.schema(), DdlExecutor.TARGET_FILE_ROWS));
    long rows = added.stream().mapToLong(f -> f.stats().numRecords()).sum();
    ctx.execution().statistics().writtenRows(rows);
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("source", s.source());
    parameters.put("fileFormat", s.fileFormat());
    parameters.put("sourceFiles", Integer.toString(toLoad.size()));
    parameters.put(LOADED_FILES, json(toLoad.stream().map(SourceFile::key).toList()));
    DmlExecutor.commitNewFiles(
        ctx,
        location,
        new CommitRequest(snapshot.version(), OPERATION, parameters, added, List.of()));
    return result(ctx, rows);
  }

  /** Databricks' answer to COPY INTO: one row of counts. */
  static final List<Field> RESULT_FIELDS =
      List.of(longField("num_affected_rows"), longField("num_inserted_rows"));

  /**
   * The rows loaded, as Databricks answers them: one row ({@code num_affected_rows}, {@code
   * num_inserted_rows}). A client that runs COPY INTO as an update (JDBC {@code executeUpdate} over
   * Flight SQL) receives {@code num_affected_rows} as the update count.
   */
  static StatementResult result(StatementContext ctx, long rows) {
    return new StatementResult.Rows(
        LocalResultStream.of(ctx.allocator(), RESULT_FIELDS, List.of(List.<Object>of(rows, rows))),
        OptionalLong.of(rows));
  }

  /**
   * A file to load: {@code key} names it in the record of loaded files (its {@code /Volumes} path,
   * or its URI below an external location).
   */
  private record SourceFile(String key, URI uri) {}

  private static List<SourceFile> sourceFiles(
      StatementContext ctx,
      String extension,
      String source,
      ExternalLocations externalLocations,
      VolumeFiles volumeFiles) {
    List<SourceFile> files = new ArrayList<>();
    if (VolumePath.isVolumePath(source)) {
      VolumePath.parse(source);
      for (VolumeFile f : volumeFiles.filesBelow(ctx.session().principal(), source)) {
        if (f.name().toLowerCase(Locale.ROOT).endsWith(extension)) {
          files.add(new SourceFile(f.path(), f.uri()));
        }
      }
    } else {
      URI directory = externalLocations.resolve(source, ctx.locations().root());
      LocalFileStore store;
      List<FileEntry> entries;
      try {
        store = LocalFileStore.of(directory);
        entries = store.listFilesRecursively("");
      } catch (StorageException e) {
        throw GatewayErrorCode.PATH_NOT_READABLE.exception(
            "cannot list COPY INTO source '" + source + "': " + e.getMessage(), e);
      }
      for (FileEntry e : entries) {
        if (e.name().toLowerCase(Locale.ROOT).endsWith(extension)) {
          URI uri = store.uri(e.path());
          files.add(new SourceFile(uri.toString(), uri));
        }
      }
    }
    if (files.isEmpty()) {
      throw GatewayErrorCode.COPY_INTO_NO_FILES.exception(
          "no " + extension + " files below '" + source + "'");
    }
    return files;
  }

  /** The files earlier COPY INTO commits of the table loaded, from its Delta log. */
  private static Set<String> loadedFiles(StatementContext ctx, URI location) {
    Set<String> loaded = new HashSet<>();
    for (HistoryEntry h : ctx.deltaTables().history(location)) {
      String list = h.operationParameters().get(LOADED_FILES);
      if (OPERATION.equals(h.operation()) && list != null) {
        try {
          loaded.addAll(JSON.readValue(list, new TypeReference<List<String>>() {}));
        } catch (JsonProcessingException e) {
          throw GatewayErrorCode.INTERNAL_ERROR.exception(
              "the COPY INTO record of version " + h.version() + " is not readable", e);
        }
      }
    }
    return loaded;
  }

  private static String json(List<String> values) {
    try {
      return JSON.writeValueAsString(values);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** COPY_OPTIONS: {@code force} (boolean); {@code mergeSchema} is not supported yet. */
  private static boolean copyOptions(ParsedStatement.CopyInto s) {
    boolean force = false;
    for (Map.Entry<String, String> e : s.copyOptions().entrySet()) {
      switch (e.getKey()) {
        case "force" -> force = bool("COPY_OPTIONS", e.getKey(), e.getValue());
        default -> throw unsupportedOption("COPY_OPTIONS", e.getKey(), "force");
      }
    }
    return force;
  }

  /**
   * FORMAT_OPTIONS: none for PARQUET; for CSV {@code header} (boolean, default false) and {@code
   * delimiter} or {@code sep} (one character, default {@code ,}).
   */
  private static io.aquifer.exec.SourceFormat formatOptions(ParsedStatement.CopyInto s) {
    if (s.fileFormat().equals("PARQUET")) {
      for (String key : s.formatOptions().keySet()) {
        throw unsupportedOption("FORMAT_OPTIONS", key, "none for PARQUET");
      }
      return io.aquifer.exec.SourceFormat.PARQUET;
    }
    boolean header = false;
    char delimiter = ',';
    for (Map.Entry<String, String> e : s.formatOptions().entrySet()) {
      switch (e.getKey()) {
        case "header" -> header = bool("FORMAT_OPTIONS", e.getKey(), e.getValue());
        case "delimiter", "sep" -> {
          String v = e.getValue().equals("\\t") ? "\t" : e.getValue();
          if (v.length() != 1 || v.equals("\"") || v.equals("\n") || v.equals("\r")) {
            throw GatewayErrorCode.INVALID_COPY_INTO_OPTION.exception(
                "FORMAT_OPTIONS option '"
                    + e.getKey()
                    + "' must be one character other than a quote or line break, not '"
                    + e.getValue()
                    + "'");
          }
          delimiter = v.charAt(0);
        }
        default -> throw unsupportedOption("FORMAT_OPTIONS", e.getKey(), "header, delimiter, sep");
      }
    }
    return io.aquifer.exec.SourceFormat.csv(header, delimiter);
  }

  private static boolean bool(String clause, String key, String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw GatewayErrorCode.INVALID_COPY_INTO_OPTION.exception(
              clause + " option '" + key + "' must be true or false, not '" + value + "'");
    };
  }

  private static RuntimeException unsupportedOption(String clause, String key, String supported) {
    return GatewayErrorCode.COPY_INTO_UNSUPPORTED_OPTION.exception(
        clause + " option '" + key + "' is not supported (supported: " + supported + ")");
  }
}

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
 * {@code COPY INTO table FROM 'directory' FILEFORMAT = PARQUET|CSV|JSON [FILES | PATTERN]}: a
 * warehouse node reads the chosen files below the directory (a volume path, or a directory below an
 * external location; columns matched by name, cast to the table's types) and writes them as new
 * files of the table; the gateway commits them in one Delta transaction.
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
    List<SourceFile> files =
        select(s, sourceFiles(ctx, s.source(), externalLocations, volumeFiles));
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
    List<NewDataFile> added;
    try {
      added =
          ctx.warehouse()
              .write(
                  new WriteFragment(
                      read, location, snapshot.schema(), DdlExecutor.TARGET_FILE_ROWS),
                  ctx.execution().statistics()::diskCacheReads);
    } catch (io.aquifer.exec.ExecException e) {
      throw new io.aquifer.exec.ExecException(e.code(), namedAsGiven(e.getMessage(), toLoad), e);
    }
    long rows = added.stream().mapToLong(f -> f.stats().numRecords()).sum();
    ctx.execution().statistics().writtenRows(rows);
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("source", s.source());
    parameters.put("fileFormat", s.fileFormat());
    s.pattern().ifPresent(p -> parameters.put("pattern", p));
    parameters.put("sourceFiles", Integer.toString(toLoad.size()));
    parameters.put(LOADED_FILES, json(toLoad.stream().map(SourceFile::key).toList()));
    DmlExecutor.commitNewFiles(
        ctx,
        location,
        new CommitRequest(snapshot.version(), OPERATION, parameters, added, List.of()));
    return result(ctx, rows);
  }

  /**
   * A node names a file it could not read by where it read it (a path on the server); the user
   * named it by its {@code /Volumes} path or its URI below an external location. The message says
   * the user's name and never a server path.
   */
  static String namedAsGiven(String message, List<SourceFile> files) {
    String out = message;
    for (SourceFile f : files) {
      out = out.replace(f.uri().toString(), f.key());
      if (f.uri().getPath() != null && !f.uri().getPath().isEmpty()) {
        out = out.replace(f.uri().getPath(), f.key());
      }
    }
    return out;
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
  private record SourceFile(String key, URI uri, String relative) {}

  /** Extensions of the files a COPY INTO without FILES or PATTERN reads, by FILEFORMAT. */
  private static List<String> extensions(String fileFormat) {
    return switch (fileFormat) {
      case "JSON" -> List.of(".json", ".jsonl", ".ndjson");
      default -> List.of("." + fileFormat.toLowerCase(Locale.ROOT));
    };
  }

  /**
   * The files to read: those FILES names, those PATTERN's glob matches (both relative to the source
   * directory), or else every file with the format's extension.
   */
  private static List<SourceFile> select(ParsedStatement.CopyInto s, List<SourceFile> all) {
    List<SourceFile> out = new ArrayList<>();
    if (!s.files().isEmpty()) {
      Map<String, SourceFile> byPath = new LinkedHashMap<>();
      for (SourceFile f : all) {
        byPath.put(f.relative(), f);
      }
      List<String> missing = new ArrayList<>();
      for (String name : s.files()) {
        String relative = relativeName(name);
        SourceFile f = byPath.get(relative);
        if (f == null) {
          missing.add(name);
        } else if (!out.contains(f)) {
          out.add(f);
        }
      }
      if (!missing.isEmpty()) {
        throw GatewayErrorCode.COPY_INTO_NO_FILES.exception(
            "FILES names files that are not below '" + s.source() + "': " + missing);
      }
      return out;
    }
    if (s.pattern().isPresent()) {
      java.nio.file.PathMatcher matcher;
      try {
        matcher =
            java.nio.file.FileSystems.getDefault().getPathMatcher("glob:" + s.pattern().get());
      } catch (IllegalArgumentException e) {
        throw GatewayErrorCode.INVALID_COPY_INTO_OPTION.exception(
            "PATTERN '" + s.pattern().get() + "' is not a valid glob: " + e.getMessage());
      }
      for (SourceFile f : all) {
        if (matcher.matches(java.nio.file.Path.of(f.relative()))) {
          out.add(f);
        }
      }
      if (out.isEmpty()) {
        throw GatewayErrorCode.COPY_INTO_NO_FILES.exception(
            "no files below '" + s.source() + "' match PATTERN '" + s.pattern().get() + "'");
      }
      return out;
    }
    List<String> extensions = extensions(s.fileFormat());
    for (SourceFile f : all) {
      String lower = f.relative().toLowerCase(Locale.ROOT);
      if (extensions.stream().anyMatch(lower::endsWith)) {
        out.add(f);
      }
    }
    if (out.isEmpty()) {
      throw GatewayErrorCode.COPY_INTO_NO_FILES.exception(
          "no " + String.join(" or ", extensions) + " files below '" + s.source() + "'");
    }
    return out;
  }

  /** A FILES entry as a path relative to the source: no scheme, no {@code ..} or empty parts. */
  private static String relativeName(String name) {
    String n = name.startsWith("./") ? name.substring(2) : name;
    boolean bad = n.startsWith("/") || n.contains("\\") || n.contains(":") || n.endsWith("/");
    for (String part : n.split("/", -1)) {
      bad |= part.isEmpty() || part.equals(".") || part.equals("..");
    }
    if (bad) {
      throw GatewayErrorCode.INVALID_VOLUME_PATH.exception(
          "FILES names files relative to the source directory, without '..', '.' or empty parts:"
              + " '"
              + name
              + "'");
    }
    return n;
  }

  /** Every file below the source directory (names starting with _ or . left out by the lister). */
  private static List<SourceFile> sourceFiles(
      StatementContext ctx,
      String source,
      ExternalLocations externalLocations,
      VolumeFiles volumeFiles) {
    List<SourceFile> files = new ArrayList<>();
    if (VolumePath.isVolumePath(source)) {
      VolumePath.parse(source);
      String prefix = source.endsWith("/") ? source : source + "/";
      for (VolumeFile f : volumeFiles.filesBelow(ctx.session().principal(), source)) {
        String relative =
            f.path().startsWith(prefix) ? f.path().substring(prefix.length()) : f.name();
        files.add(new SourceFile(f.path(), f.uri(), relative));
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
        URI uri = store.uri(e.path());
        files.add(new SourceFile(uri.toString(), uri, e.path()));
      }
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
        case "mergeschema" ->
            throw GatewayErrorCode.COPY_INTO_UNSUPPORTED_OPTION.exception(
                "COPY_OPTIONS option 'mergeSchema' is not supported (supported: force); add the"
                    + " new columns with ALTER TABLE ... ADD COLUMNS before the COPY INTO");
        default -> throw unsupportedOption("COPY_OPTIONS", e.getKey(), "force");
      }
    }
    return force;
  }

  /**
   * FORMAT_OPTIONS: none for PARQUET; for CSV {@code header} (boolean, default false), {@code
   * delimiter} or {@code sep}, {@code quote} and {@code escape} (one character each, defaults
   * {@code ,} {@code "} {@code "}) and {@code mode}; for JSON {@code multiLine} (boolean, default
   * false) and {@code mode}.
   */
  private static io.aquifer.exec.SourceFormat formatOptions(ParsedStatement.CopyInto s) {
    if (s.fileFormat().equals("PARQUET")) {
      for (String key : s.formatOptions().keySet()) {
        throw unsupportedOption("FORMAT_OPTIONS", key, "none for PARQUET");
      }
      return io.aquifer.exec.SourceFormat.PARQUET;
    }
    boolean json = s.fileFormat().equals("JSON");
    boolean header = false;
    boolean multiLine = false;
    char delimiter = ',';
    char quote = '"';
    char escape = '"';
    io.aquifer.exec.SourceFormat.Mode mode = io.aquifer.exec.SourceFormat.Mode.FAILFAST;
    String supported = json ? "multiLine, mode" : "header, delimiter, sep, quote, escape, mode";
    for (Map.Entry<String, String> e : s.formatOptions().entrySet()) {
      String key = e.getKey();
      switch (key) {
        case "mode" -> mode = mode(e.getValue());
        case "multiline" -> {
          if (!json) {
            throw unsupportedOption("FORMAT_OPTIONS", "multiLine", supported);
          }
          multiLine = bool("FORMAT_OPTIONS", "multiLine", e.getValue());
        }
        case "header" -> {
          if (json) {
            throw unsupportedOption("FORMAT_OPTIONS", key, supported);
          }
          header = bool("FORMAT_OPTIONS", key, e.getValue());
        }
        case "delimiter", "sep" -> {
          if (json) {
            throw unsupportedOption("FORMAT_OPTIONS", key, supported);
          }
          delimiter = character(key, e.getValue());
        }
        case "quote" -> {
          if (json) {
            throw unsupportedOption("FORMAT_OPTIONS", key, supported);
          }
          quote = character(key, e.getValue());
        }
        case "escape" -> {
          if (json) {
            throw unsupportedOption("FORMAT_OPTIONS", key, supported);
          }
          escape = character(key, e.getValue());
        }
        default -> throw unsupportedOption("FORMAT_OPTIONS", key, supported);
      }
    }
    if (json) {
      return io.aquifer.exec.SourceFormat.json(multiLine, mode);
    }
    if (delimiter == quote) {
      throw GatewayErrorCode.INVALID_COPY_INTO_OPTION.exception(
          "FORMAT_OPTIONS 'delimiter' and 'quote' must differ");
    }
    return io.aquifer.exec.SourceFormat.csv(header, delimiter, quote, escape, mode);
  }

  private static io.aquifer.exec.SourceFormat.Mode mode(String value) {
    try {
      return io.aquifer.exec.SourceFormat.Mode.valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw GatewayErrorCode.INVALID_COPY_INTO_OPTION.exception(
          "FORMAT_OPTIONS option 'mode' must be FAILFAST, DROPMALFORMED or PERMISSIVE, not '"
              + value
              + "'");
    }
  }

  /** One character other than a line break; {@code \t} is a tab. */
  private static char character(String key, String value) {
    String v = value.equals("\\t") ? "\t" : value;
    if (v.length() != 1 || v.equals("\n") || v.equals("\r")) {
      throw GatewayErrorCode.INVALID_COPY_INTO_OPTION.exception(
          "FORMAT_OPTIONS option '"
              + key
              + "' must be one character other than a line break, not '"
              + value
              + "'");
    }
    return v.charAt(0);
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

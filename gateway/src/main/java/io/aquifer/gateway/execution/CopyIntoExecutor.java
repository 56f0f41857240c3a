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
import io.aquifer.planner.functions.SparkDateTimePattern;
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
    Set<String> loaded = force ? Set.of() : loadedFiles(ctx, location);
    List<SourceFile> toLoad = files.stream().filter(f -> !loaded.contains(f.key())).toList();
    if (toLoad.isEmpty()) {
      return result(ctx, 0);
    }
    // Table lineage: the table it loads, from the path as the user wrote it.
    ctx.execution().statistics().writeTable(name.toString());
    ctx.execution().statistics().readPath(s.source());
    if (s.query().isPresent()
        || mergeSchema(s)
        || rescuedDataColumn(s) != null
        || format.kind() == io.aquifer.exec.SourceFormat.Kind.TEXT
        || format.kind() == io.aquifer.exec.SourceFormat.Kind.BINARYFILE) {
      List<Column> added = new ArrayList<>();
      DeltaSnapshot[] current = {snapshot};
      List<NewDataFile> written = writeSelected(ctx, s, format, toLoad, location, current, added);
      return commit(ctx, s, location, current[0], toLoad, written, added);
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
                      read,
                      location,
                      snapshot.schema(),
                      DdlExecutor.TARGET_FILE_ROWS,
                      snapshot.partitionColumns()),
                  ctx.execution().statistics()::diskCacheReads);
    } catch (io.aquifer.exec.ExecException e) {
      throw new io.aquifer.exec.ExecException(e.code(), namedAsGiven(e.getMessage(), toLoad), e);
    }
    return commit(ctx, s, location, snapshot, toLoad, added, List.of());
  }

  /** Commits the written files with the record of the loaded ones; the answer row. */
  private static StatementResult commit(
      StatementContext ctx,
      ParsedStatement.CopyInto s,
      URI location,
      DeltaSnapshot snapshot,
      List<SourceFile> toLoad,
      List<NewDataFile> added,
      List<Column> newColumns) {
    long rows = added.stream().mapToLong(f -> f.stats().numRecords()).sum();
    ctx.execution().statistics().writtenRows(rows);
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("source", s.source());
    parameters.put("fileFormat", s.fileFormat());
    s.pattern().ifPresent(p -> parameters.put("pattern", p));
    parameters.put("sourceFiles", Integer.toString(toLoad.size()));
    parameters.put(LOADED_FILES, json(toLoad.stream().map(SourceFile::key).toList()));
    if (!newColumns.isEmpty()) {
      parameters.put("mergedColumns", json(newColumns.stream().map(Column::name).toList()));
    }
    DmlExecutor.commitNewFiles(
        ctx,
        location,
        new CommitRequest(
            snapshot.version(),
            OPERATION,
            parameters,
            added,
            List.of(),
            false,
            java.util.Optional.empty(),
            newColumns.isEmpty()
                ? java.util.Optional.empty()
                : java.util.Optional.of(
                    new io.aquifer.storage.delta.TableChange.AddColumns(newColumns))));
    return result(ctx, rows);
  }

  /**
   * {@code FROM (SELECT ... FROM 'path')}, and TEXT and BINARYFILE files: the files' columns
   * (inferred by a node as read_files infers them, or TEXT's and BINARYFILE's fixed ones) go
   * through the SELECT (or {@code SELECT *}); its columns are matched to the table's by name (a
   * table column the SELECT lacks is NULL) and cast to their types. A SELECT column the table lacks
   * fails the COPY.
   */
  private static List<NewDataFile> writeSelected(
      StatementContext ctx,
      ParsedStatement.CopyInto s,
      io.aquifer.exec.SourceFormat format,
      List<SourceFile> toLoad,
      URI location,
      DeltaSnapshot[] current,
      List<Column> newColumns) {
    DeltaSnapshot snapshot = current[0];
    Map<String, String> userPaths = new LinkedHashMap<>();
    List<io.aquifer.storage.delta.DataFile> dataFiles = new ArrayList<>();
    for (SourceFile f : toLoad) {
      userPaths.put(f.uri().toString(), f.key());
      dataFiles.add(
          new io.aquifer.storage.delta.DataFile(
              f.uri(),
              f.uri().toString(),
              f.size(),
              f.modified(),
              Map.of(),
              java.util.Optional.empty(),
              new long[0]));
    }
    io.aquifer.planner.FileSource source =
        new io.aquifer.planner.FileSource(
            io.aquifer.planner.FileSource.Kind.valueOf(format.kind().name()),
            format.text().header(),
            format.text().delimiter(),
            format.text().quote(),
            format.text().escape(),
            format.text().multiLine(),
            format.text().wholeText(),
            format.mode().name(),
            userPaths,
            format.text().dateFormat(),
            format.text().timestampFormat(),
            format.text().encoding(),
            format.text().xml());
    String inferSchema = s.formatOptions().get("inferschema");
    io.aquifer.storage.types.TableSchema fileSchema =
        ReadFilesResolver.schema(
            ctx,
            source,
            dataFiles,
            inferSchema == null || bool("FORMAT_OPTIONS", "inferSchema", inferSchema));
    if (s.query().isEmpty() && rescuedDataColumn(s) != null) {
      // Read as the table's columns, so that a value that does not convert to one is rescued.
      fileSchema = ReadFilesResolver.withTypes(fileSchema, snapshot.schema().columns(), false);
      if (format.kind() == io.aquifer.exec.SourceFormat.Kind.JSON && !mergeSchema(s)) {
        // JSON keys the table lacks are not read as columns: they go to the rescued data.
        Set<String> tableColumns = new java.util.HashSet<>();
        snapshot
            .schema()
            .columns()
            .forEach(c -> tableColumns.add(c.name().toLowerCase(Locale.ROOT)));
        fileSchema =
            new io.aquifer.storage.types.TableSchema(
                fileSchema.columns().stream()
                    .filter(c -> tableColumns.contains(c.name().toLowerCase(Locale.ROOT)))
                    .toList());
      }
    }
    if (rescuedDataColumn(s) != null) {
      if (fileSchema.column(rescuedDataColumn(s)).isPresent()) {
        throw GatewayErrorCode.INVALID_COPY_INTO_OPTION.exception(
            "FORMAT_OPTIONS 'rescuedDataColumn' names '"
                + rescuedDataColumn(s)
                + "', which the files already have as a column");
      }
      List<Column> withRescued = new ArrayList<>(fileSchema.columns());
      withRescued.add(
          new Column(
              rescuedDataColumn(s),
              io.aquifer.storage.types.PrimitiveType.STRING,
              true,
              io.aquifer.planner.FileSource.RESCUED_DATA_COLUMN,
              java.util.Optional.empty()));
      fileSchema = new io.aquifer.storage.types.TableSchema(withRescued);
    }
    if (s.query().isPresent()
        && s.query()
            .get()
            .toLowerCase(Locale.ROOT)
            .contains(io.aquifer.planner.parse.ReadFilesRewriter.METADATA)) {
      fileSchema = ReadFilesResolver.withMetadata(fileSchema);
    }
    io.aquifer.planner.PlannerCatalog.FileSourceEntry entry =
        new io.aquifer.planner.PlannerCatalog.FileSourceEntry(fileSchema, dataFiles, source);
    String query =
        s.query().orElse("SELECT * FROM read_files('" + s.source().replace("'", "''") + "')");
    io.aquifer.planner.QueryPlanner inner = ctx.newPlanner(call -> entry);
    org.apache.calcite.rel.type.RelDataType rowType =
        inner.plan(inner.parse(query)).rel().getRowType();
    Map<String, String> selected = new LinkedHashMap<>();
    boolean merge = mergeSchema(s);
    for (org.apache.calcite.rel.type.RelDataTypeField f : rowType.getFieldList()) {
      String key = f.getName().toLowerCase(Locale.ROOT);
      if (snapshot.schema().columns().stream()
              .noneMatch(c -> c.name().toLowerCase(Locale.ROOT).equals(key))
          && merge) {
        if (selected.containsKey(key)) {
          throw GatewayErrorCode.COPY_INTO_SCHEMA_MISMATCH.exception(
              "COPY INTO: the source has two columns named '" + f.getName() + "'");
        }
        // Named as Kernel will record them: the files are written before the commit adds them.
        newColumns.add(
            new Column(
                f.getName(),
                io.aquifer.planner.calcite.CalciteTypes.fromCalcite(f.getType()),
                true,
                "col-" + java.util.UUID.randomUUID(),
                java.util.Optional.empty()));
      } else if (snapshot.schema().columns().stream()
          .noneMatch(c -> c.name().toLowerCase(Locale.ROOT).equals(key))) {
        throw GatewayErrorCode.COPY_INTO_SCHEMA_MISMATCH.exception(
            "COPY INTO "
                + String.join(".", s.table())
                + ": the source has column '"
                + f.getName()
                + "', which the table does not have (columns are matched by name; COPY_OPTIONS"
                + " ('mergeSchema' = 'true') adds it)");
      }
      selected.put(key, f.getName());
    }
    // New columns (and column mapping, on a table without it) come with the files in the COPY's
    // one commit: a COPY that fails leaves the table's schema as it was.
    List<Column> target = new ArrayList<>(snapshot.schema().columns());
    target.addAll(newColumns);
    io.aquifer.storage.types.TableSchema written = new io.aquifer.storage.types.TableSchema(target);
    List<String> items = new ArrayList<>();
    for (Column c : target) {
      String from = selected.get(c.name().toLowerCase(Locale.ROOT));
      String value = from == null ? "NULL" : "`copy_source`." + quote(from);
      items.add("CAST(" + value + " AS " + c.type().sql() + ") AS " + quote(c.name()));
    }
    String sql = "SELECT " + String.join(", ", items) + " FROM (" + query + ") AS `copy_source`";
    io.aquifer.planner.QueryPlanner planner = ctx.newPlanner(call -> entry);
    org.apache.calcite.rel.RelNode rel = planner.plan(planner.parse(sql)).rel();
    ctx.execution().statistics().compiled(java.time.Instant.now());
    try {
      org.apache.calcite.rel.RelNode checked =
          CheckConstraintEnforcer.enforce(
              ctx,
              GeneratedColumnValues.compute(ctx, rel, written),
              written,
              CheckConstraintEnforcer.of(ctx, location, snapshot.version()));
      return DmlExecutor.write(ctx, checked, location, written, snapshot.partitionColumns());
    } catch (io.aquifer.exec.ExecException e) {
      throw new io.aquifer.exec.ExecException(e.code(), namedAsGiven(e.getMessage(), toLoad), e);
    }
  }

  private static String quote(String name) {
    return "`" + name.replace("`", "``") + "`";
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
  private record SourceFile(String key, URI uri, String relative, long size, long modified) {}

  /** Extensions of the files a COPY INTO without FILES or PATTERN reads, by FILEFORMAT. */
  private static List<String> extensions(String fileFormat) {
    return switch (fileFormat) {
      case "JSON" -> List.of(".json", ".jsonl", ".ndjson");
      case "TEXT" -> List.of(".txt", ".text", ".log");
      case "BINARYFILE" -> List.of("");
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
        files.add(
            new SourceFile(
                f.path(),
                f.uri(),
                relative,
                f.entry().size(),
                f.entry().modified().toEpochMilli()));
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
        files.add(
            new SourceFile(uri.toString(), uri, e.path(), e.size(), e.modified().toEpochMilli()));
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

  /** COPY_OPTIONS: {@code force} (boolean). */
  private static boolean copyOptions(ParsedStatement.CopyInto s) {
    boolean force = false;
    for (Map.Entry<String, String> e : s.copyOptions().entrySet()) {
      switch (e.getKey()) {
        case "force" -> force = bool("COPY_OPTIONS", e.getKey(), e.getValue());
        case "mergeschema" -> bool("COPY_OPTIONS", "mergeSchema", e.getValue());
        default -> throw unsupportedOption("COPY_OPTIONS", e.getKey(), "force, mergeSchema");
      }
    }
    return force;
  }

  /**
   * COPY_OPTIONS {@code mergeSchema}: source columns the table lacks are added to its schema in the
   * COPY's commit.
   */
  private static boolean mergeSchema(ParsedStatement.CopyInto s) {
    String v = s.copyOptions().get("mergeschema");
    return v != null && bool("COPY_OPTIONS", "mergeSchema", v);
  }

  /**
   * FORMAT_OPTIONS: none for PARQUET; for CSV {@code header} (boolean, default false), {@code
   * delimiter} or {@code sep}, {@code quote} and {@code escape} (one character each, defaults
   * {@code ,} {@code "} {@code "}) and {@code mode}; for JSON {@code multiLine} (boolean, default
   * false) and {@code mode}.
   */
  private static io.aquifer.exec.SourceFormat formatOptions(ParsedStatement.CopyInto s) {
    if (s.fileFormat().equals("BINARYFILE")) {
      for (String key : s.formatOptions().keySet()) {
        throw unsupportedOption("FORMAT_OPTIONS", key, "none for BINARYFILE");
      }
      return io.aquifer.exec.SourceFormat.PARQUET.withKind(
          io.aquifer.exec.SourceFormat.Kind.BINARYFILE);
    }
    if (s.fileFormat().equals("TEXT")) {
      boolean wholeText = false;
      for (Map.Entry<String, String> e : s.formatOptions().entrySet()) {
        if (!e.getKey().equals("wholetext")) {
          throw unsupportedOption("FORMAT_OPTIONS", e.getKey(), "wholeText for TEXT");
        }
        wholeText = bool("FORMAT_OPTIONS", "wholeText", e.getValue());
      }
      return io.aquifer.exec.SourceFormat.of(
          io.aquifer.exec.SourceFormat.Kind.TEXT,
          new io.aquifer.exec.SourceFormat.TextOptions(
              false, ',', '"', '"', false, wholeText, null, null, null, null),
          io.aquifer.exec.SourceFormat.Mode.FAILFAST);
    }
    if (s.fileFormat().equals("XML")) {
      for (String key : s.formatOptions().keySet()) {
        if (!key.equals("rowtag") && !ReadFilesResolver.XML_OPTIONS.contains(key)) {
          throw unsupportedOption(
              "FORMAT_OPTIONS",
              key,
              "rowTag, attributePrefix, valueTag, excludeAttribute, ignoreNamespace for XML");
        }
      }
      return io.aquifer.exec.SourceFormat.of(
          io.aquifer.exec.SourceFormat.Kind.XML,
          io.aquifer.exec.SourceFormat.TextOptions.xml(
              ReadFilesResolver.xmlOptions(
                  io.aquifer.planner.FileSource.Kind.XML,
                  s.formatOptions(),
                  GatewayErrorCode.INVALID_COPY_INTO_OPTION,
                  "FORMAT_OPTIONS option")),
          io.aquifer.exec.SourceFormat.Mode.FAILFAST);
    }
    if (s.fileFormat().equals("PARQUET")
        || s.fileFormat().equals("AVRO")
        || s.fileFormat().equals("ORC")) {
      for (String key : s.formatOptions().keySet()) {
        throw unsupportedOption("FORMAT_OPTIONS", key, "none for " + s.fileFormat());
      }
      return switch (s.fileFormat()) {
        case "AVRO" ->
            io.aquifer.exec.SourceFormat.PARQUET.withKind(io.aquifer.exec.SourceFormat.Kind.AVRO);
        case "ORC" ->
            io.aquifer.exec.SourceFormat.PARQUET.withKind(io.aquifer.exec.SourceFormat.Kind.ORC);
        default -> io.aquifer.exec.SourceFormat.PARQUET;
      };
    }
    boolean json = s.fileFormat().equals("JSON");
    boolean header = false;
    boolean multiLine = false;
    char delimiter = ',';
    char quote = '"';
    char escape = '"';
    String dateFormat = null;
    String timestampFormat = null;
    String encoding = null;
    io.aquifer.exec.SourceFormat.Mode mode = io.aquifer.exec.SourceFormat.Mode.FAILFAST;
    String common =
        "mode, inferSchema, dateFormat, timestampFormat, encoding, charset, rescuedDataColumn";
    String supported =
        json ? "multiLine, " + common : "header, delimiter, sep, quote, escape, " + common;
    for (Map.Entry<String, String> e : s.formatOptions().entrySet()) {
      String key = e.getKey();
      switch (key) {
        case "mode" -> mode = mode(e.getValue());
        case "inferschema" -> bool("FORMAT_OPTIONS", "inferSchema", e.getValue());
        case "dateformat" -> dateFormat = datetimeFormat("dateFormat", e.getValue());
        case "timestampformat" -> timestampFormat = datetimeFormat("timestampFormat", e.getValue());
        case "encoding", "charset" ->
            encoding =
                ReadFilesResolver.encoding(
                    key,
                    e.getValue(),
                    json
                        ? io.aquifer.planner.FileSource.Kind.JSON
                        : io.aquifer.planner.FileSource.Kind.CSV,
                    GatewayErrorCode.INVALID_COPY_INTO_OPTION,
                    "FORMAT_OPTIONS option");
        case "rescueddatacolumn" -> {
          if (e.getValue().isBlank()) {
            throw GatewayErrorCode.INVALID_COPY_INTO_OPTION.exception(
                "FORMAT_OPTIONS option 'rescuedDataColumn' names a column, e.g. '_rescued_data'");
          }
        }
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
      return io.aquifer.exec.SourceFormat.of(
          io.aquifer.exec.SourceFormat.Kind.JSON,
          io.aquifer.exec.SourceFormat.TextOptions.json(multiLine)
              .withConversions(dateFormat, timestampFormat, encoding),
          mode);
    }
    if (delimiter == quote) {
      throw GatewayErrorCode.INVALID_COPY_INTO_OPTION.exception(
          "FORMAT_OPTIONS 'delimiter' and 'quote' must differ");
    }
    return io.aquifer.exec.SourceFormat.of(
        io.aquifer.exec.SourceFormat.Kind.CSV,
        io.aquifer.exec.SourceFormat.TextOptions.csv(header, delimiter, quote, escape)
            .withConversions(dateFormat, timestampFormat, encoding),
        mode);
  }

  /** FORMAT_OPTIONS {@code rescuedDataColumn}: the column values that do not convert go to. */
  private static String rescuedDataColumn(ParsedStatement.CopyInto s) {
    return s.formatOptions().get("rescueddatacolumn");
  }

  /** dateFormat / timestampFormat: a Spark datetime pattern as the engine's strptime format. */
  private static String datetimeFormat(String key, String value) {
    try {
      return SparkDateTimePattern.toStrptime(value);
    } catch (IllegalArgumentException e) {
      throw GatewayErrorCode.INVALID_COPY_INTO_OPTION.exception(
          "FORMAT_OPTIONS option '"
              + key
              + "' is not a supported datetime pattern '"
              + value
              + "': "
              + e.getMessage());
    }
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

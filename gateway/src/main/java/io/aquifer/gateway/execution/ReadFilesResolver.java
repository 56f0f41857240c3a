package io.aquifer.gateway.execution;

import io.aquifer.exec.QueryFragment;
import io.aquifer.exec.ScanFile;
import io.aquifer.exec.ScanSpec;
import io.aquifer.exec.SourceFormat;
import io.aquifer.gateway.GatewayErrorCode;
import io.aquifer.gateway.GatewayException;
import io.aquifer.gateway.ResultStream;
import io.aquifer.gateway.volumes.VolumeFile;
import io.aquifer.gateway.volumes.VolumeFiles;
import io.aquifer.gateway.volumes.VolumePath;
import io.aquifer.planner.FileSource;
import io.aquifer.planner.PlannerCatalog.FileSourceEntry;
import io.aquifer.planner.PlannerException;
import io.aquifer.planner.ReadFilesCall;
import io.aquifer.planner.functions.SparkDateTimePattern;
import io.aquifer.storage.StorageException;
import io.aquifer.storage.delta.DataFile;
import io.aquifer.storage.files.FileEntry;
import io.aquifer.storage.files.LocalFileStore;
import io.aquifer.storage.types.ArrayType;
import io.aquifer.storage.types.Column;
import io.aquifer.storage.types.DataType;
import io.aquifer.storage.types.DecimalType;
import io.aquifer.storage.types.MapType;
import io.aquifer.storage.types.PrimitiveType;
import io.aquifer.storage.types.StructType;
import io.aquifer.storage.types.TableSchema;
import java.net.URI;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * Resolves a {@code read_files(path, option => value, ...)} call for the planner: checks the path
 * (a volume path, with the caller's READ VOLUME, or a path below an external location), lists the
 * files, decides the format (the {@code format} option, or the files' extension) and the columns
 * (the {@code schema} option, a fixed schema for TEXT and BINARYFILE, or inferred by a warehouse
 * node reading the files with the engine's type detection). Nodes read only the files listed here.
 */
final class ReadFilesResolver {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(ReadFilesResolver.class);

  /** Options read_files accepts, by lower-case name. */
  private static final Set<String> OPTIONS =
      Set.of(
          "format",
          "header",
          "attributeprefix",
          "valuetag",
          "excludeattribute",
          "ignorenamespace",
          "sep",
          "delimiter",
          "quote",
          "escape",
          "multiline",
          "mode",
          "inferschema",
          "infercolumntypes",
          "schema",
          "pathglobfilter",
          "filenamepattern",
          "recursivefilelookup",
          "wholetext",
          "schemahints",
          "dateformat",
          "timestampformat",
          "encoding",
          "charset",
          "rescueddatacolumn",
          "rowtag");

  private static final String INFER_RELATION = "read_files_source";

  private final ExternalLocations externalLocations;
  private final VolumeFiles volumeFiles;

  ReadFilesResolver(ExternalLocations externalLocations, VolumeFiles volumeFiles) {
    this.externalLocations = externalLocations;
    this.volumeFiles = volumeFiles;
  }

  FileSourceEntry resolve(StatementContext ctx, ReadFilesCall call) {
    for (String key : call.options().keySet()) {
      if (!OPTIONS.contains(key)) {
        throw GatewayErrorCode.UNSUPPORTED_FEATURE.exception(
            "read_files option '"
                + key
                + "' is not supported (supported: format, header, sep, delimiter, quote, escape,"
                + " multiLine, mode, inferSchema, inferColumnTypes, schema, pathGlobFilter,"
                + " fileNamePattern, recursiveFileLookup, wholeText, schemaHints, dateFormat,"
                + " timestampFormat, encoding, rescuedDataColumn, rowTag, attributePrefix,"
                + " valueTag, excludeAttribute, ignoreNamespace)");
      }
    }
    Map<String, String> o = call.options();
    Optional<FileSource.Kind> named =
        o.containsKey("format") ? Optional.of(kind(o.get("format"))) : Optional.empty();
    List<Listed> files = filter(call, list(ctx, call.path()));
    ctx.execution().statistics().readPath(call.path()); // table lineage
    FileSource.Kind kind = named.orElseGet(() -> kindFromExtensions(call.path(), files));
    boolean csv = kind == FileSource.Kind.CSV;
    boolean json = kind == FileSource.Kind.JSON;
    boolean header = csv && bool(o, "header", false);
    char delimiter = csv ? character(o, o.containsKey("sep") ? "sep" : "delimiter", ',') : ',';
    char quote = csv ? character(o, "quote", '"') : '"';
    char escape = csv ? character(o, "escape", '"') : '"';
    if (delimiter == quote) {
      throw invalid("read_files options 'sep' and 'quote' must differ");
    }
    boolean multiLine = json && bool(o, "multiline", false);
    boolean wholeText = kind == FileSource.Kind.TEXT && bool(o, "wholetext", false);
    bool(o, "recursivefilelookup", true);
    boolean inferTypes = bool(o, "infercolumntypes", true) && bool(o, "inferschema", true);
    String mode = mode(o.getOrDefault("mode", "PERMISSIVE"));
    boolean text = csv || json;
    String dateFormat = datetimeFormat(o, "dateformat", "dateFormat", text);
    String timestampFormat = datetimeFormat(o, "timestampformat", "timestampFormat", text);
    String encoding =
        encoding(
            o.containsKey("encoding") ? "encoding" : "charset",
            o.getOrDefault("encoding", o.get("charset")),
            kind,
            GatewayErrorCode.INVALID_OPTIONS,
            "read_files option");
    io.aquifer.planner.XmlOptions xml =
        xmlOptions(kind, o, GatewayErrorCode.INVALID_OPTIONS, "read_files option");
    String rescued = o.get("rescueddatacolumn");
    if (rescued != null && (!text || rescued.isBlank())) {
      throw invalid(
          "read_files option 'rescuedDataColumn' names a column (e.g. '_rescued_data') and is for"
              + " CSV and JSON files, not '"
              + rescued
              + "' for "
              + kind);
    }
    Map<String, String> userPaths = new LinkedHashMap<>();
    List<DataFile> dataFiles = new ArrayList<>();
    for (Listed f : files) {
      userPaths.put(f.uri().toString(), f.userPath());
      dataFiles.add(
          new DataFile(
              f.uri(),
              f.uri().toString(),
              f.entry().size(),
              f.entry().modified().toEpochMilli(),
              Map.of(),
              Optional.empty(),
              new long[0]));
    }
    FileSource source =
        new FileSource(
            kind,
            header,
            delimiter,
            quote,
            escape,
            multiLine,
            wholeText,
            mode,
            userPaths,
            dateFormat,
            timestampFormat,
            encoding,
            xml);
    TableSchema schema;
    if (kind == FileSource.Kind.TEXT) {
      schema = schema(ctx, source, dataFiles, true);
    } else if (kind == FileSource.Kind.BINARYFILE) {
      schema = schema(ctx, source, dataFiles, true);
    } else if (o.containsKey("schema")) {
      try {
        schema = new TableSchema(io.aquifer.planner.parse.DataTypeParser.columns(o.get("schema")));
      } catch (PlannerException e) {
        throw invalid("read_files option 'schema' is not a list of columns: " + e.getMessage());
      }
    } else {
      schema = schema(ctx, source, dataFiles, inferTypes);
    }
    if (o.containsKey("schemahints")) {
      if (!text
          && kind != FileSource.Kind.PARQUET
          && kind != FileSource.Kind.AVRO
          && kind != FileSource.Kind.ORC
          && kind != FileSource.Kind.XML) {
        throw invalid(
            "read_files option 'schemaHints' is for CSV, JSON, Parquet, Avro, ORC and XML files");
      }
      schema = withHints(schema, o.get("schemahints"));
    }
    if (rescued != null) {
      schema = withRescuedData(schema, rescued);
    }
    if (call.metadata()) {
      schema = withMetadata(schema);
    }
    return new FileSourceEntry(schema, dataFiles, source);
  }

  /**
   * {@code schemaHints => 'a INT, b DATE'}: the named columns get these types instead of the
   * inferred ones (matched case-insensitively); a named column the files lack is added.
   */
  static TableSchema withHints(TableSchema schema, String hints) {
    List<Column> hinted;
    try {
      hinted = io.aquifer.planner.parse.DataTypeParser.columns(hints);
    } catch (PlannerException e) {
      throw invalid(
          "read_files option 'schemaHints' is not a list of columns and types ('a INT, b DATE'): "
              + e.getMessage());
    }
    return withTypes(schema, hinted, true);
  }

  /**
   * The columns with the types of the same-named {@code typed} columns; one the files lack is added
   * when {@code add}.
   */
  static TableSchema withTypes(TableSchema schema, List<Column> hinted, boolean add) {
    List<Column> columns = new ArrayList<>(schema.columns());
    for (Column h : hinted) {
      boolean found = false;
      for (int i = 0; i < columns.size(); i++) {
        if (columns.get(i).name().equalsIgnoreCase(h.name())) {
          columns.set(i, Column.of(columns.get(i).name(), h.type()));
          found = true;
        }
      }
      if (!found && add) {
        columns.add(Column.of(h.name(), h.type()));
      }
    }
    return new TableSchema(columns);
  }

  /**
   * The rescued data column: a STRING holding, as a JSON object, the values of a row that did not
   * convert to their columns' types (and {@code _file_path}); NULL for a row without any.
   */
  static TableSchema withRescuedData(TableSchema schema, String name) {
    if (schema.column(name).isPresent()) {
      throw invalid(
          "read_files option 'rescuedDataColumn' names '"
              + name
              + "', which the files already have as a column");
    }
    List<Column> columns = new ArrayList<>(schema.columns());
    columns.add(
        new Column(
            name, PrimitiveType.STRING, true, FileSource.RESCUED_DATA_COLUMN, Optional.empty()));
    return new TableSchema(columns);
  }

  /** dateFormat / timestampFormat: a Spark pattern as the engine's strptime format. */
  private static String datetimeFormat(
      Map<String, String> o, String key, String name, boolean text) {
    String v = o.get(key);
    if (v == null) {
      return null;
    }
    if (!text) {
      throw invalid("read_files option '" + name + "' is for CSV and JSON files");
    }
    try {
      return SparkDateTimePattern.toStrptime(v);
    } catch (IllegalArgumentException e) {
      throw invalid(
          "read_files option '"
              + name
              + "' is not a supported datetime pattern '"
              + v
              + "': "
              + e.getMessage());
    }
  }

  /**
   * The encoding (or charset) option as the engine names it: UTF-8 (null, the default), and for CSV
   * also UTF-16 and ISO-8859-1 (latin-1); the engine reads no other.
   */
  static String encoding(
      String key, String value, FileSource.Kind kind, GatewayErrorCode error, String what) {
    if (value == null) {
      return null;
    }
    String v = value.toLowerCase(Locale.ROOT).replace("_", "-");
    String engine =
        switch (v) {
          case "utf-8", "utf8" -> "utf-8";
          case "utf-16", "utf16" -> "utf-16";
          case "iso-8859-1", "iso8859-1", "latin1", "latin-1" -> "latin-1";
          default -> null;
        };
    if (engine == null
        || (!engine.equals("utf-8") && kind != FileSource.Kind.CSV)
        || (kind != FileSource.Kind.CSV && kind != FileSource.Kind.JSON)) {
      throw error.exception(
          what
              + " '"
              + key
              + "' = '"
              + value
              + "' is not supported: CSV files are read as UTF-8, UTF-16 or ISO-8859-1, JSON"
              + " files as UTF-8");
    }
    return engine.equals("utf-8") ? null : engine;
  }

  /** Databricks' {@code _metadata} STRUCT: the file of each row. */
  static final StructType METADATA_TYPE =
      new StructType(
          List.of(
              Column.of("file_path", PrimitiveType.STRING),
              Column.of("file_name", PrimitiveType.STRING),
              Column.of("file_size", PrimitiveType.BIGINT),
              Column.of("file_block_start", PrimitiveType.BIGINT),
              Column.of("file_block_length", PrimitiveType.BIGINT),
              Column.of("file_modification_time", PrimitiveType.TIMESTAMP)));

  /**
   * The files' columns and the hidden {@code _metadata} column (the validator leaves it out of
   * {@code SELECT *}); a file column of that name wins, as in Databricks.
   */
  static TableSchema withMetadata(TableSchema schema) {
    String name = io.aquifer.planner.parse.ReadFilesRewriter.METADATA;
    if (schema.columns().stream().anyMatch(c -> c.name().equalsIgnoreCase(name))) {
      return schema;
    }
    List<Column> columns = new ArrayList<>(schema.columns());
    columns.add(
        new Column(name, METADATA_TYPE, true, SourceFormat.METADATA_COLUMN, Optional.empty()));
    return new TableSchema(columns);
  }

  /** A file found below the path: where the node reads it and what the user calls it. */
  private record Listed(String userPath, URI uri, String relative, FileEntry entry) {}

  /**
   * The files the path names: the file itself, or every file below the directory (recursively,
   * names starting with {@code _} or {@code .} left out). A glob in the path ({@code *}, {@code ?},
   * {@code [...]}, {@code {a,b}}) filters the files below the directory before it.
   */
  private List<Listed> list(StatementContext ctx, String path) {
    int glob = firstGlobCharacter(path);
    String directory = path;
    String pattern = null;
    if (glob >= 0) {
      int slash = path.lastIndexOf('/', glob);
      if (slash <= 0) {
        throw GatewayErrorCode.INVALID_VOLUME_PATH.exception(
            "read_files path '" + path + "' has a glob before its first directory");
      }
      directory = path.substring(0, slash);
      pattern = path.substring(slash + 1);
    }
    List<Listed> all = glob >= 0 ? below(ctx, directory, path) : fileOrBelow(ctx, path);
    if (pattern == null) {
      return all;
    }
    PathMatcher matcher = matcher(pattern, path);
    List<Listed> out = new ArrayList<>();
    for (Listed f : all) {
      if (matcher.matches(Path.of(f.relative())) || matchesADirectory(matcher, f.relative())) {
        out.add(f);
      }
    }
    return out;
  }

  /**
   * Whether the glob matches a directory the file is below ({@code dir/*} reads {@code dir/x/f}).
   */
  private static boolean matchesADirectory(PathMatcher matcher, String relative) {
    int slash = relative.indexOf('/');
    while (slash > 0) {
      if (matcher.matches(Path.of(relative.substring(0, slash)))) {
        return true;
      }
      slash = relative.indexOf('/', slash + 1);
    }
    return false;
  }

  private List<Listed> fileOrBelow(StatementContext ctx, String path) {
    if (VolumePath.isVolumePath(path)) {
      VolumePath.parse(path);
      try {
        VolumeFile f = volumeFiles.fileMetadata(ctx.session().principal(), path);
        return List.of(new Listed(f.path(), f.uri(), f.name(), f.entry()));
      } catch (GatewayException e) {
        if (!"FILE_NOT_FOUND".equals(e.errorClass())) {
          throw e;
        }
      }
      return below(ctx, path, path);
    }
    URI uri = externalLocations.resolve(path, ctx.locations().root());
    Path local = Path.of(uri);
    if (java.nio.file.Files.isRegularFile(local)) {
      LocalFileStore store = LocalFileStore.of(local.getParent().toUri());
      String name = local.getFileName().toString();
      FileEntry e = store.stat(name).orElseThrow(() -> notFound(path));
      return List.of(new Listed(path, store.uri(name), name, e));
    }
    return below(ctx, path, path);
  }

  /** Every file below a directory. */
  private List<Listed> below(StatementContext ctx, String directory, String asWritten) {
    List<Listed> out = new ArrayList<>();
    if (VolumePath.isVolumePath(directory)) {
      VolumePath.parse(directory);
      String prefix = directory.endsWith("/") ? directory : directory + "/";
      List<VolumeFile> files;
      try {
        files = volumeFiles.filesBelow(ctx.session().principal(), directory);
      } catch (GatewayException e) {
        if ("FILE_NOT_FOUND".equals(e.errorClass())) {
          throw notFound(asWritten);
        }
        throw e;
      }
      for (VolumeFile f : files) {
        String relative =
            f.path().startsWith(prefix) ? f.path().substring(prefix.length()) : f.name();
        out.add(new Listed(f.path(), f.uri(), relative, f.entry()));
      }
      return out;
    }
    URI uri = externalLocations.resolve(directory, ctx.locations().root());
    if (!java.nio.file.Files.isDirectory(Path.of(uri))) {
      throw notFound(asWritten);
    }
    try {
      LocalFileStore store = LocalFileStore.of(uri);
      String base = directory.endsWith("/") ? directory : directory + "/";
      for (FileEntry e : store.listFilesRecursively("")) {
        out.add(new Listed(base + e.path(), store.uri(e.path()), e.path(), e));
      }
    } catch (StorageException e) {
      throw GatewayErrorCode.PATH_NOT_READABLE.exception(
          "cannot list read_files path '" + asWritten + "': " + e.getMessage(), e);
    }
    return out;
  }

  /** pathGlobFilter / fileNamePattern: a glob over each file's name. */
  private static List<Listed> filter(ReadFilesCall call, List<Listed> files) {
    String glob = call.options().get("pathglobfilter");
    if (glob == null) {
      glob = call.options().get("filenamepattern");
    }
    List<Listed> out = files;
    if (glob != null) {
      PathMatcher matcher = matcher(glob, glob);
      out = new ArrayList<>();
      for (Listed f : files) {
        if (matcher.matches(Path.of(f.entry().name()))) {
          out.add(f);
        }
      }
    }
    if (out.isEmpty()) {
      throw GatewayErrorCode.UNABLE_TO_INFER_SCHEMA.exception(
          "read_files found no files to read at '"
              + call.path()
              + "'"
              + (glob == null ? "" : " matching '" + glob + "'")
              + "; the schema cannot be inferred");
    }
    return out;
  }

  private static PathMatcher matcher(String glob, String where) {
    try {
      return FileSystems.getDefault().getPathMatcher("glob:" + glob);
    } catch (IllegalArgumentException e) {
      throw invalid("'" + where + "' is not a valid glob: " + e.getMessage());
    }
  }

  private static int firstGlobCharacter(String path) {
    for (int i = 0; i < path.length(); i++) {
      if ("*?[{".indexOf(path.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }

  /**
   * XML's {@code rowTag} option: required for XML files (XML_ROW_TAG_MISSING), an element name;
   * null for other formats, which do not take it.
   */
  static String rowTag(FileSource.Kind kind, String value, String what) {
    if (kind != FileSource.Kind.XML) {
      if (value != null) {
        throw GatewayErrorCode.INVALID_OPTIONS.exception(
            what + " 'rowTag' is for XML files, not " + kind);
      }
      return null;
    }
    if (value == null) {
      throw GatewayErrorCode.XML_ROW_TAG_MISSING.exception(
          "rowTag option is required for reading files in XML format");
    }
    if (!value.matches("[A-Za-z_][A-Za-z0-9_.\\-]*")) {
      throw GatewayErrorCode.INVALID_OPTIONS.exception(
          what + " 'rowTag' = '" + value + "' is not an XML element name");
    }
    return value;
  }

  /** The XML options beside {@code rowTag} (keys in lower case), spark-xml's names. */
  static final List<String> XML_OPTIONS =
      List.of("attributeprefix", "valuetag", "excludeattribute", "ignorenamespace");

  /**
   * XML's options (keys in lower case): {@code rowTag} (required), {@code attributePrefix} (default
   * {@code _}), {@code valueTag} (default {@code _VALUE}, not empty, not the prefix), {@code
   * excludeAttribute} and {@code ignoreNamespace} (booleans); null for other formats, which take
   * none of them.
   */
  static io.aquifer.planner.XmlOptions xmlOptions(
      FileSource.Kind kind, Map<String, String> o, GatewayErrorCode code, String what) {
    String rowTag = rowTag(kind, o.get("rowtag"), what);
    if (kind != FileSource.Kind.XML) {
      for (String key : XML_OPTIONS) {
        if (o.containsKey(key)) {
          throw code.exception(what + " '" + key + "' is for XML files, not " + kind);
        }
      }
      return null;
    }
    String prefix =
        o.getOrDefault("attributeprefix", io.aquifer.planner.XmlOptions.DEFAULT_ATTRIBUTE_PREFIX);
    String valueTag = o.getOrDefault("valuetag", io.aquifer.planner.XmlOptions.DEFAULT_VALUE_TAG);
    if (valueTag.isEmpty() || valueTag.equals(prefix)) {
      throw code.exception(
          what
              + " 'valueTag' = '"
              + valueTag
              + "' must not be empty nor the same as 'attributePrefix'");
    }
    return new io.aquifer.planner.XmlOptions(
        rowTag,
        prefix,
        valueTag,
        bool(o, "excludeattribute", false, code, what),
        bool(o, "ignorenamespace", true, code, what));
  }

  private static boolean bool(
      Map<String, String> o, String key, boolean otherwise, GatewayErrorCode code, String what) {
    String v = o.get(key);
    if (v == null) {
      return otherwise;
    }
    return switch (v.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw code.exception(what + " '" + key + "' must be true or false, not '" + v + "'");
    };
  }

  /** The format option's value. */
  static FileSource.Kind kind(String format) {
    String f = format.toLowerCase(Locale.ROOT);
    return switch (f) {
      case "csv" -> FileSource.Kind.CSV;
      case "json" -> FileSource.Kind.JSON;
      case "parquet" -> FileSource.Kind.PARQUET;
      case "text" -> FileSource.Kind.TEXT;
      case "binaryfile" -> FileSource.Kind.BINARYFILE;
      case "avro" -> FileSource.Kind.AVRO;
      case "orc" -> FileSource.Kind.ORC;
      case "xml" -> FileSource.Kind.XML;
      default ->
          throw GatewayErrorCode.DATA_SOURCE_NOT_FOUND.exception(
              "Failed to find the data source: "
                  + format
                  + " (read_files reads csv, json, parquet, avro, orc, xml, text and binaryFile)");
    };
  }

  /** The format of files by their extensions, all the same; else ask for {@code format =>}. */
  private static FileSource.Kind kindFromExtensions(String path, List<Listed> files) {
    Set<FileSource.Kind> kinds = new LinkedHashSet<>();
    for (Listed f : files) {
      String name = f.entry().name().toLowerCase(Locale.ROOT);
      int dot = name.lastIndexOf('.');
      String ext = dot < 0 ? "" : name.substring(dot + 1);
      switch (ext) {
        case "csv", "tsv" -> kinds.add(FileSource.Kind.CSV);
        case "json", "jsonl", "ndjson" -> kinds.add(FileSource.Kind.JSON);
        case "parquet" -> kinds.add(FileSource.Kind.PARQUET);
        case "txt" -> kinds.add(FileSource.Kind.TEXT);
        case "avro" -> kinds.add(FileSource.Kind.AVRO);
        case "orc" -> kinds.add(FileSource.Kind.ORC);
        case "xml" -> kinds.add(FileSource.Kind.XML);
        default ->
            throw GatewayErrorCode.UNABLE_TO_INFER_SCHEMA.exception(
                "read_files cannot tell the format of '"
                    + f.userPath()
                    + "' from its name; name it with format => 'csv' (or json, parquet, avro,"
                    + " orc, xml, text, binaryFile)");
      }
    }
    if (kinds.size() != 1) {
      throw GatewayErrorCode.UNABLE_TO_INFER_SCHEMA.exception(
          "the files at '"
              + path
              + "' are of several formats "
              + kinds
              + "; name one with format => '...' and pathGlobFilter");
    }
    return kinds.iterator().next();
  }

  /**
   * The columns, as a warehouse node's engine detects them across all the files (by column name);
   * without type inference every CSV and JSON column is a STRING. CSV files without a header have
   * columns {@code _c0}, {@code _c1}, ...
   */
  static TableSchema schema(
      StatementContext ctx, FileSource source, List<DataFile> dataFiles, boolean inferTypes) {
    if (source.kind() == FileSource.Kind.TEXT) {
      return new TableSchema(List.of(Column.of("value", PrimitiveType.STRING)));
    }
    if (source.kind() == FileSource.Kind.BINARYFILE) {
      return new TableSchema(
          List.of(
              Column.of("path", PrimitiveType.STRING),
              Column.of("modificationTime", PrimitiveType.TIMESTAMP),
              Column.of("length", PrimitiveType.BIGINT),
              Column.of("content", PrimitiveType.BINARY)));
    }
    // Parquet, Avro and ORC files carry their types; the node infers XML's as spark-xml does.
    boolean fileTyped =
        source.kind() == FileSource.Kind.PARQUET
            || source.kind() == FileSource.Kind.AVRO
            || source.kind() == FileSource.Kind.ORC
            || source.kind() == FileSource.Kind.XML;
    boolean typed = inferTypes || fileTyped;
    SourceFormat format =
        io.aquifer.exec.compile.DuckDbPlanCompiler.sourceFormat(source, dataFiles).inferring();
    List<ScanFile> scanFiles =
        dataFiles.stream()
            .map(f -> new ScanFile(f.path().toString(), Map.of(), new long[0]))
            .toList();
    ScanSpec scan = new ScanSpec(INFER_RELATION, List.of(), scanFiles, format);
    List<Column> columns = new ArrayList<>();
    List<String> engineNames = new ArrayList<>();
    onNode(
        ctx,
        source,
        new QueryFragment(
            ctx.nodeQueryId(), "SELECT * FROM \"" + INFER_RELATION + "\" LIMIT 0", List.of(scan)),
        rows -> {
          int i = 0;
          for (Field f : rows.schema().getFields()) {
            String name =
                source.kind() == FileSource.Kind.CSV && !source.header() ? "_c" + i : f.getName();
            DataType type = typed ? dataType(f, fileTyped) : PrimitiveType.STRING;
            columns.add(Column.of(name, type));
            engineNames.add(f.getName());
            i++;
          }
        });
    if (source.kind() == FileSource.Kind.CSV && typed) {
      narrowIntegers(ctx, source, scan, columns, engineNames);
    }
    return new TableSchema(columns);
  }

  /**
   * CSV integer columns are INT where every value fits, else BIGINT, as Spark infers them (the
   * engine detects every integer column as BIGINT): one more pass over the files for their bounds.
   */
  private static void narrowIntegers(
      StatementContext ctx,
      FileSource source,
      ScanSpec scan,
      List<Column> columns,
      List<String> engineNames) {
    List<Integer> integers = new ArrayList<>();
    List<String> bounds = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).type() == PrimitiveType.BIGINT) {
        String column = "\"" + engineNames.get(i).replace("\"", "\"\"") + "\"";
        integers.add(i);
        bounds.add(
            "coalesce(min("
                + column
                + ") >= -2147483648 AND max("
                + column
                + ") <= 2147483647, true)");
      }
    }
    if (integers.isEmpty()) {
      return;
    }
    List<Boolean> fits = new ArrayList<>();
    try {
      onNode(
          ctx,
          source,
          new QueryFragment(
              ctx.nodeQueryId(),
              "SELECT " + String.join(", ", bounds) + " FROM \"" + INFER_RELATION + "\"",
              List.of(scan)),
          rows -> {
            while (rows.next()) {
              if (rows.root().getRowCount() == 0) {
                continue;
              }
              for (int k = 0; k < integers.size(); k++) {
                fits.add(Boolean.TRUE.equals(rows.root().getVector(k).getObject(0)));
              }
              return;
            }
          });
    } catch (io.aquifer.exec.ExecException e) {
      // A value past the engine's sample that is not an integer: the columns stay BIGINT and the
      // read itself reports the value as its mode says.
      ctx.checkCanceled();
      LOG.debug("read_files: integer bounds not read: {}", e.getMessage());
      return;
    }
    for (int k = 0; k < fits.size(); k++) {
      if (fits.get(k)) {
        int i = integers.get(k);
        columns.set(i, Column.of(columns.get(i).name(), PrimitiveType.INT));
      }
    }
  }

  /** Runs an inference query on a warehouse node, its errors naming the files as the user does. */
  private static void onNode(
      StatementContext ctx,
      FileSource source,
      QueryFragment fragment,
      java.util.function.Consumer<ResultStream> reader) {
    ctx.checkCanceled();
    try (ResultStream rows = ctx.warehouse().query(fragment)) {
      reader.accept(rows);
    } catch (io.aquifer.exec.ExecException e) {
      String message = e.getMessage();
      for (Map.Entry<String, String> f : source.userPaths().entrySet()) {
        message = message.replace(f.getKey(), f.getValue());
        String path = URI.create(f.getKey()).getPath();
        if (path != null) {
          message = message.replace(path, f.getValue());
        }
      }
      throw new io.aquifer.exec.ExecException(e.code(), message, e);
    }
  }

  /** An engine column's Arrow type as a Delta type. */
  static DataType dataType(Field field, boolean parquet) {
    ArrowType t = field.getType();
    return switch (t.getTypeID()) {
      case Bool -> PrimitiveType.BOOLEAN;
      case Int -> {
        ArrowType.Int i = (ArrowType.Int) t;
        int bits = i.getBitWidth() + (i.getIsSigned() ? 0 : 1);
        yield bits <= 8
            ? PrimitiveType.TINYINT
            : bits <= 16
                ? PrimitiveType.SMALLINT
                : bits <= 32
                    ? PrimitiveType.INT
                    : bits <= 64 ? PrimitiveType.BIGINT : new DecimalType(20, 0);
      }
      case FloatingPoint ->
          ((ArrowType.FloatingPoint) t).getPrecision()
                  == org.apache.arrow.vector.types.FloatingPointPrecision.DOUBLE
              ? PrimitiveType.DOUBLE
              : PrimitiveType.FLOAT;
      case Decimal -> {
        ArrowType.Decimal d = (ArrowType.Decimal) t;
        yield new DecimalType(Math.min(d.getPrecision(), 38), d.getScale());
      }
      case Date -> PrimitiveType.DATE;
      case Timestamp ->
          parquet && ((ArrowType.Timestamp) t).getTimezone() == null
              ? PrimitiveType.TIMESTAMP_NTZ
              : PrimitiveType.TIMESTAMP;
      case Binary, LargeBinary, FixedSizeBinary -> PrimitiveType.BINARY;
      case List, LargeList, FixedSizeList ->
          new ArrayType(dataType(field.getChildren().get(0), parquet), true);
      case Struct -> {
        List<Column> fields = new ArrayList<>();
        for (Field c : field.getChildren()) {
          fields.add(Column.of(c.getName(), dataType(c, parquet)));
        }
        yield fields.isEmpty() ? PrimitiveType.STRING : new StructType(fields);
      }
      case Map -> {
        Field entries = field.getChildren().get(0);
        yield new MapType(
            dataType(entries.getChildren().get(0), parquet),
            dataType(entries.getChildren().get(1), parquet),
            true);
      }
      default -> PrimitiveType.STRING;
    };
  }

  private static GatewayException notFound(String path) {
    return GatewayErrorCode.PATH_NOT_FOUND.exception("Path does not exist: " + path);
  }

  private static String mode(String value) {
    String m = value.toUpperCase(Locale.ROOT);
    if (!Set.of("FAILFAST", "DROPMALFORMED", "PERMISSIVE").contains(m)) {
      throw invalid(
          "read_files option 'mode' must be FAILFAST, DROPMALFORMED or PERMISSIVE, not '"
              + value
              + "'");
    }
    return m;
  }

  private static boolean bool(Map<String, String> o, String key, boolean otherwise) {
    return bool(o, key, otherwise, GatewayErrorCode.INVALID_OPTIONS, "read_files option");
  }

  private static char character(Map<String, String> o, String key, char otherwise) {
    String value = o.get(key);
    if (value == null) {
      return otherwise;
    }
    String v = value.equals("\\t") ? "\t" : value;
    if (v.length() != 1 || v.equals("\n") || v.equals("\r")) {
      throw invalid(
          "read_files option '"
              + key
              + "' must be one character other than a line break, not '"
              + value
              + "'");
    }
    return v.charAt(0);
  }

  private static GatewayException invalid(String message) {
    return GatewayErrorCode.INVALID_OPTIONS.exception(message);
  }
}

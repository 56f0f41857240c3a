package io.aquifer.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code aquifer load FILE... --table c.s.t --volume c.s.v}: loads local files into a managed Delta
 * table through a running server's public REST API, as a script would: each file is uploaded with
 * the Files API into a staging folder of the volume, then one statement of the Statement Execution
 * API creates the table from them ({@code CREATE TABLE ... AS SELECT * FROM read_files(...)}),
 * replaces it ({@code CREATE OR REPLACE TABLE}) or appends to it ({@code COPY INTO}). The staged
 * files are deleted afterwards, whether the statement succeeded or not.
 */
@Command(
    name = "load",
    mixinStandardHelpOptions = true,
    description = {
      "Loads local CSV, TSV, JSON, JSON lines, Parquet or text files into a managed Delta table"
          + " of the running server, through its public REST API: each file is uploaded with the"
          + " Files API into the folder aquifer_load/<run> of the volume, then one statement"
          + " creates the table from them (CREATE TABLE ... AS SELECT * FROM read_files(...)),"
          + " replaces it (CREATE OR REPLACE TABLE) or appends to it (COPY INTO). The staged"
          + " files are deleted afterwards, whether the load succeeded or not; a failed load"
          + " changes no table.",
      "Shows the bytes uploaded per file on standard error (a bar on a terminal, a line per"
          + " file otherwise) and prints a summary line on standard output. Needs a token"
          + " (--token or AQUIFER_TOKEN) with WRITE VOLUME on the volume and the privileges to"
          + " create or modify the table."
    },
    footer = {
      "",
      "Examples:",
      "  AQUIFER_TOKEN=... aquifer load a.csv b.csv --table main.sales.orders"
          + " --volume main.sales.landing",
      "  aquifer load day2.csv --table main.sales.orders --volume main.sales.landing --mode append",
      "  aquifer load x.tsv --table main.s.t --volume main.s.v --mode overwrite"
          + " --schema-hints 'id BIGINT'",
      "  aquifer load books.xml --table main.s.books --volume main.s.v --row-tag book"
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "0:loaded",
      "1:the load failed (a missing volume, no privilege, an upload or statement error); no"
          + " table was changed",
      "2:bad arguments, a missing or unreadable file, no token, no running server"
    })
final class LoadCommand implements Callable<Integer> {
  static final int EXIT_FAILED = 1;
  static final int EXIT_USAGE = 2;

  /** The folder below the volume's root that each run stages its files in. */
  static final String STAGING_FOLDER = "aquifer_load";

  /** Set to 1 or 0 by the launcher script: whether standard error is a terminal. */
  static final String STDERR_TERMINAL_ENVIRONMENT = "AQUIFER_STDERR_IS_TERMINAL";

  private static final String TOKEN_ENVIRONMENT = "AQUIFER_TOKEN";

  enum Mode {
    CREATE,
    OVERWRITE,
    APPEND
  }

  @Parameters(paramLabel = "FILE", arity = "1..*", description = "Local files to load.")
  List<Path> files;

  @Option(
      names = "--table",
      required = true,
      paramLabel = "CATALOG.SCHEMA.TABLE",
      description = "The managed Delta table to create, replace or append to.")
  String table;

  @Option(
      names = "--volume",
      required = true,
      paramLabel = "CATALOG.SCHEMA.VOLUME",
      description =
          "The volume the files are staged in (it must exist; create it with CREATE VOLUME).")
  String volume;

  @Option(
      names = "--mode",
      paramLabel = "MODE",
      description =
          "create (default: fails with TABLE_OR_VIEW_ALREADY_EXISTS if the table exists),"
              + " overwrite (CREATE OR REPLACE TABLE) or append (COPY INTO an existing table).")
  String mode = "create";

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      description =
          "csv, tsv, json, jsonl, parquet, avro, orc, xml or txt (default: from the files' extensions, which"
              + " must agree).")
  String format;

  @Option(
      names = "--option",
      paramLabel = "KEY=VALUE",
      description =
          "A read_files option (create, overwrite) or COPY INTO FORMAT_OPTIONS entry (append),"
              + " e.g. header=false, delimiter=';', mode=DROPMALFORMED (repeatable). Defaults:"
              + " header=true for csv and tsv, delimiter=\\t for tsv, mode=FAILFAST for csv, tsv"
              + " and json.")
  List<String> options = new ArrayList<>();

  @Option(
      names = "--row-tag",
      paramLabel = "ELEMENT",
      description =
          "XML: the name of the elements that are rows (required for xml; the rowTag option).")
  String rowTag;

  @Option(
      names = "--schema-hints",
      paramLabel = "COLUMNS",
      description =
          "Types for some columns instead of the inferred ones, e.g. 'id BIGINT, day DATE'"
              + " (create and overwrite; read_files' schemaHints).")
  String schemaHints;

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      description = "Personal access token (default: the AQUIFER_TOKEN environment variable).")
  String token;

  @Option(
      names = "--host",
      paramLabel = "URL",
      description =
          "The server's HTTP endpoint, e.g. http://127.0.0.1:8080 (default: from"
              + " DIR/connection.json of the running server).")
  String host;

  @Option(
      names = "--warehouse-id",
      paramLabel = "ID",
      description =
          "The warehouse that runs the statement (default: the one in connection.json, or with"
              + " --host the first warehouse).")
  String warehouseId;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Properties file with the server's settings, as for 'aquifer start'.")
  Path configFile;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "The running server's data directory (default: ./data).")
  String dataDir;

  private final PrintStream out;
  private final PrintStream err;
  private final Map<String, String> environment;
  private final boolean stderrTerminal;

  LoadCommand() {
    this(System.out, System.err, System.getenv(), stderrIsTerminal(System.getenv()));
  }

  /** For tests: explicit output streams, environment and terminal. */
  LoadCommand(
      PrintStream out, PrintStream err, Map<String, String> environment, boolean stderrTerminal) {
    this.out = requireNonNull(out, "out");
    this.err = requireNonNull(err, "err");
    this.environment = Map.copyOf(environment);
    this.stderrTerminal = stderrTerminal;
  }

  private static boolean stderrIsTerminal(Map<String, String> environment) {
    String fromLauncher = environment.get(STDERR_TERMINAL_ENVIRONMENT);
    return fromLauncher == null ? System.console() != null : fromLauncher.equals("1");
  }

  /** A reason the load stops, with its exit status. */
  private static final class LoadFailure extends Exception {
    private final int exitCode;

    LoadFailure(int exitCode, String message) {
      super(message);
      this.exitCode = exitCode;
    }
  }

  /** A local file and the name it is staged under. */
  private record StagedFile(Path local, String stagedName, long size) {}

  @Override
  public Integer call() {
    try {
      return load();
    } catch (LoadFailure e) {
      err.println("aquifer load: " + e.getMessage());
      return e.exitCode;
    }
  }

  private int load() throws LoadFailure {
    long started = System.nanoTime();
    Mode loadMode = mode();
    List<String> tableName = name(table, "--table");
    List<String> volumeName = name(volume, "--volume");
    if (schemaHints != null && loadMode == Mode.APPEND) {
      throw usage("--schema-hints applies to create and overwrite; append keeps the table's types");
    }
    LoadFormat loadFormat = format();
    Map<String, String> given = options();
    if (rowTag != null) {
      given.keySet().removeIf(k -> k.equalsIgnoreCase("rowTag"));
      given.put("rowTag", rowTag);
    }
    if (loadFormat == LoadFormat.XML
        && given.keySet().stream().noneMatch(k -> k.equalsIgnoreCase("rowTag"))) {
      throw usage("XML files need --row-tag ELEMENT (the elements that are rows, e.g. book)");
    }
    Map<String, String> formatOptions = loadFormat.options(given);
    List<StagedFile> staged = stagedFiles();
    String accessToken = token();
    DatabricksRestClient client;
    String warehouse;
    if (host != null) {
      client = new DatabricksRestClient(uri(host), accessToken);
      warehouse = warehouseId != null ? warehouseId : firstWarehouse(client);
    } else {
      JsonNode databricks = connectionFile().path("databricks");
      String url = databricks.path("host").asText("");
      if (url.isEmpty()) {
        throw usage("connection.json names no HTTP endpoint; give --host");
      }
      client = new DatabricksRestClient(uri(url), accessToken);
      warehouse =
          warehouseId != null
              ? warehouseId
              : Optional.ofNullable(databricks.get("warehouseId"))
                  .filter(n -> !n.isNull())
                  .map(JsonNode::asText)
                  .orElseThrow(() -> usage("the server has no warehouse; give --warehouse-id"));
    }

    checkTable(client, warehouse, loadMode, tableName);
    String volumeRoot = "/Volumes/" + String.join("/", volumeName);
    String runId =
        DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT)
                .format(Instant.now().atOffset(ZoneOffset.UTC))
            + "-"
            + UUID.randomUUID().toString().substring(0, 8);
    String stagingDirectory = volumeRoot + "/" + STAGING_FOLDER + "/" + runId;
    checkVolume(client, volumeRoot, stagingDirectory);
    List<String> uploaded = new ArrayList<>();
    try {
      UploadProgress progress = new UploadProgress(err, stderrTerminal);
      for (StagedFile file : staged) {
        String target = stagingDirectory + "/" + file.stagedName();
        progress.fileStarted(file.local().getFileName().toString(), file.size());
        try {
          client.upload(target, file.local(), false, progress::uploaded);
        } catch (DatabricksRestClient.ApiError e) {
          progress.fileFailed();
          throw failed(file.local() + ": upload failed: " + describe(e));
        } catch (IOException e) {
          progress.fileFailed();
          throw failed(file.local() + ": upload failed: " + e.getMessage());
        }
        uploaded.add(target);
        progress.fileDone();
      }
      String sql =
          statement(loadMode, tableName, loadFormat, formatOptions, stagingDirectory, staged);
      String doing =
          switch (loadMode) {
            case CREATE -> "creating ";
            case OVERWRITE -> "replacing ";
            case APPEND -> "appending to ";
          };
      err.println(doing + String.join(".", tableName) + " from the staged files...");
      err.flush();
      DatabricksRestClient.StatementOutcome outcome = run(client, warehouse, sql);
      if (!outcome.succeeded()) {
        throw failed(statementError(outcome, runId, staged));
      }
      long rows;
      if (loadMode == Mode.APPEND) {
        rows = outcome.firstRow().map(r -> r.path(0).asLong()).orElse(0L);
      } else {
        DatabricksRestClient.StatementOutcome count =
            run(client, warehouse, "SELECT count(*) FROM " + quoted(tableName));
        rows = count.firstRow().map(r -> r.path(0).asLong()).orElse(-1L);
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      out.printf(
          Locale.ROOT,
          "loaded %d row%s into %s from %d file%s (%s) in %.1f s (%s)%n",
          rows,
          rows == 1 ? "" : "s",
          String.join(".", tableName),
          staged.size(),
          staged.size() == 1 ? "" : "s",
          UploadProgress.bytes(staged.stream().mapToLong(StagedFile::size).sum()),
          seconds,
          loadMode.name().toLowerCase(Locale.ROOT));
      out.flush();
      return 0;
    } finally {
      deleteStaged(client, uploaded, stagingDirectory);
    }
  }

  private Mode mode() throws LoadFailure {
    try {
      return Mode.valueOf(mode.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw usage("--mode is create, overwrite or append, not '" + mode + "'");
    }
  }

  private static List<String> name(String value, String option) throws LoadFailure {
    String[] parts = value.split("\\.", -1);
    if (parts.length != 3) {
      throw usage(option + " takes catalog.schema.name, not '" + value + "'");
    }
    for (String part : parts) {
      if (part.isEmpty() || !part.matches("[A-Za-z0-9_]+")) {
        throw usage(
            option
                + " takes catalog.schema.name of letters, digits and underscores, not '"
                + value
                + "'");
      }
    }
    return List.of(parts);
  }

  private LoadFormat format() throws LoadFailure {
    if (format != null) {
      return LoadFormat.parse(format)
          .orElseThrow(
              () ->
                  usage(
                      "--format is csv, tsv, json, jsonl, parquet, avro, orc, xml or txt, not '"
                          + format
                          + "'"));
    }
    LoadFormat found = null;
    for (Path file : files) {
      String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
      LoadFormat f =
          LoadFormat.ofFileName(name)
              .orElseThrow(
                  () ->
                      usage(
                          file
                              + ": no format for its extension (csv, tsv, json, jsonl, parquet,"
                              + " avro, orc, xml, txt); give --format"));
      if (found != null && f != found) {
        throw usage(
            "the files' extensions name different formats ("
                + found.externalName()
                + ", "
                + f.externalName()
                + "); load them separately or give --format");
      }
      found = f;
    }
    return found;
  }

  private Map<String, String> options() throws LoadFailure {
    Map<String, String> given = new LinkedHashMap<>();
    for (String option : options) {
      int eq = option.indexOf('=');
      if (eq < 1) {
        throw usage("--option takes KEY=VALUE, not '" + option + "'");
      }
      String key = option.substring(0, eq);
      if (!key.matches("[A-Za-z][A-Za-z0-9_]*")) {
        throw usage("--option: not an option name: '" + key + "'");
      }
      given.put(key, option.substring(eq + 1));
    }
    return given;
  }

  private List<StagedFile> stagedFiles() throws LoadFailure {
    List<StagedFile> staged = new ArrayList<>();
    int index = 1;
    for (Path file : files) {
      if (!Files.exists(file)) {
        throw usage(file + ": no such file");
      }
      if (Files.isDirectory(file)) {
        throw usage(file + ": is a directory; name the files in it");
      }
      if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
        throw usage(file + ": not a readable file");
      }
      String base = file.getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "_");
      try {
        staged.add(new StagedFile(file, index++ + "-" + base, Files.size(file)));
      } catch (IOException e) {
        throw usage(file + ": " + e.getMessage());
      }
    }
    return staged;
  }

  private String token() throws LoadFailure {
    if (token != null && !token.isBlank()) {
      return token;
    }
    String fromEnvironment = environment.get(TOKEN_ENVIRONMENT);
    if (fromEnvironment == null || fromEnvironment.isBlank()) {
      throw usage("no token: give --token or set AQUIFER_TOKEN ('aquifer token create' makes one)");
    }
    return fromEnvironment;
  }

  private JsonNode connectionFile() throws LoadFailure {
    Map<String, String> flags = new java.util.HashMap<>();
    flags.put(ServerConfig.DATA_DIR, dataDir);
    ServerConfig config;
    try {
      config = ServerConfig.load(configFile, environment, flags);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
    Path file = config.dataDirectory().resolve(ConnectionFile.NAME);
    if (!Files.exists(file)) {
      throw usage(
          "no running server: "
              + file
              + " is missing; start one with 'aquifer start --data-dir "
              + config.dataDirectory()
              + "' or give --host");
    }
    try {
      return new ObjectMapper().readTree(file.toFile());
    } catch (IOException e) {
      throw usage("cannot read " + file + ": " + e.getMessage());
    }
  }

  private static URI uri(String url) throws LoadFailure {
    try {
      URI uri = URI.create(url.endsWith("/") ? url : url + "/");
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
        throw usage("--host is an http:// or https:// URL, not '" + url + "'");
      }
      return uri;
    } catch (IllegalArgumentException e) {
      throw usage("--host is not a URL: '" + url + "'");
    }
  }

  private static String firstWarehouse(DatabricksRestClient client) throws LoadFailure {
    try {
      return client
          .firstWarehouseId()
          .orElseThrow(() -> usage("the server has no warehouse; give --warehouse-id"));
    } catch (DatabricksRestClient.ApiError e) {
      throw failed("cannot list warehouses: " + describe(e));
    } catch (IOException e) {
      throw unreachable(e);
    }
  }

  /**
   * Before anything is uploaded: {@code create} needs a name no table or view has (Databricks'
   * {@code TABLE_OR_VIEW_ALREADY_EXISTS}), {@code append} an existing table.
   */
  private static void checkTable(
      DatabricksRestClient client, String warehouse, Mode mode, List<String> table)
      throws LoadFailure {
    if (mode == Mode.OVERWRITE) {
      return;
    }
    DatabricksRestClient.StatementOutcome describe =
        run(client, warehouse, "DESCRIBE TABLE " + quoted(table));
    if (mode == Mode.CREATE && describe.succeeded()) {
      throw failed(
          "TABLE_OR_VIEW_ALREADY_EXISTS (SQLSTATE 42P07): Cannot create table or view "
              + quoted(table)
              + " because it already exists; use --mode overwrite or --mode append, or drop it");
    }
    if (mode == Mode.APPEND && !describe.succeeded()) {
      throw failed(statementError(describe, "", List.of()));
    }
  }

  private static void checkVolume(
      DatabricksRestClient client, String volumeRoot, String stagingDirectory) throws LoadFailure {
    String volumeName = volumeRoot.substring("/Volumes/".length()).replace('/', '.');
    try {
      if (!client.directoryExists(volumeRoot)) {
        throw failed(
            "volume "
                + volumeName
                + " does not exist (or you have no privilege on it); create it with CREATE"
                + " VOLUME "
                + volumeName);
      }
    } catch (DatabricksRestClient.ApiError e) {
      throw failed("cannot read volume " + volumeName + ": " + describe(e));
    } catch (IOException e) {
      throw unreachable(e);
    }
    try {
      client.createDirectory(stagingDirectory);
    } catch (DatabricksRestClient.ApiError e) {
      throw failed("cannot write to volume " + volumeName + ": " + describe(e));
    } catch (IOException e) {
      throw unreachable(e);
    }
  }

  private static DatabricksRestClient.StatementOutcome run(
      DatabricksRestClient client, String warehouse, String sql) throws LoadFailure {
    try {
      return client.execute(warehouse, sql);
    } catch (DatabricksRestClient.ApiError e) {
      throw failed(describe(e));
    } catch (IOException e) {
      throw unreachable(e);
    }
  }

  /** The statement that makes the table from the staged files. */
  static String loadStatement(
      Mode mode,
      List<String> table,
      LoadFormat format,
      Map<String, String> options,
      String stagingDirectory,
      List<StagedFile> files) {
    if (mode == Mode.APPEND) {
      StringBuilder sql =
          new StringBuilder("COPY INTO ")
              .append(quoted(table))
              .append(" FROM ")
              .append(literal(stagingDirectory))
              .append(" FILEFORMAT = ")
              .append(format.copyFileFormat())
              .append(" FILES = (")
              .append(
                  files.stream()
                      .map(f -> literal(f.stagedName()))
                      .collect(Collectors.joining(", ")))
              .append(")");
      if (!options.isEmpty()) {
        sql.append(" FORMAT_OPTIONS (")
            .append(
                options.entrySet().stream()
                    .map(e -> literal(e.getKey()) + " = " + literal(e.getValue()))
                    .collect(Collectors.joining(", ")))
            .append(")");
      }
      return sql.toString();
    }
    StringBuilder readFiles =
        new StringBuilder("read_files(")
            .append(literal(stagingDirectory))
            .append(", format => ")
            .append(literal(format.readFilesFormat()));
    options.forEach(
        (key, value) -> readFiles.append(", ").append(key).append(" => ").append(literal(value)));
    return (mode == Mode.OVERWRITE ? "CREATE OR REPLACE TABLE " : "CREATE TABLE ")
        + quoted(table)
        + " AS SELECT * FROM "
        + readFiles
        + ")";
  }

  private String statement(
      Mode mode,
      List<String> table,
      LoadFormat format,
      Map<String, String> options,
      String stagingDirectory,
      List<StagedFile> files) {
    Map<String, String> all = new LinkedHashMap<>(options);
    if (schemaHints != null) {
      all.put("schemaHints", schemaHints);
    }
    return loadStatement(mode, table, format, all, stagingDirectory, files);
  }

  /** The failed statement's error, naming the local file when the message names a staged one. */
  private static String statementError(
      DatabricksRestClient.StatementOutcome outcome, String runId, List<StagedFile> files) {
    String message = outcome.message().orElse("the statement failed");
    String error =
        outcome.errorCode().orElse("FAILED")
            + outcome.sqlState().map(s -> " (SQLSTATE " + s + ")").orElse("")
            + ": "
            + message;
    for (StagedFile file : files) {
      if (message.contains(runId + "/" + file.stagedName())) {
        return file.local() + ": " + error;
      }
    }
    return error;
  }

  private void deleteStaged(
      DatabricksRestClient client, List<String> uploaded, String stagingDirectory) {
    try {
      for (String file : uploaded) {
        client.deleteFile(file);
      }
      client.deleteDirectory(stagingDirectory);
    } catch (DatabricksRestClient.ApiError | IOException e) {
      // The load's outcome stands; only the staged files are left behind.
      err.println(
          "aquifer load: warning: could not delete the staged files in "
              + stagingDirectory
              + ": "
              + e.getMessage());
    }
  }

  static String quoted(List<String> name) {
    return name.stream()
        .map(p -> "`" + p.replace("`", "``") + "`")
        .collect(Collectors.joining("."));
  }

  static String literal(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  private static String describe(DatabricksRestClient.ApiError e) {
    return e.errorCode() + " (HTTP " + e.status() + "): " + e.getMessage();
  }

  private static LoadFailure usage(String message) {
    return new LoadFailure(EXIT_USAGE, message);
  }

  private static LoadFailure failed(String message) {
    return new LoadFailure(EXIT_FAILED, message);
  }

  private static LoadFailure unreachable(IOException e) {
    String why = e instanceof ConnectException ? "connection refused" : String.valueOf(e);
    return new LoadFailure(EXIT_USAGE, "cannot reach the server: " + why);
  }
}

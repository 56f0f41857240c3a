package io.aquifer.rest;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.aquifer.catalog.Principal;
import io.aquifer.catalog.Warehouse;
import io.aquifer.catalog.WarehouseException;
import io.aquifer.catalog.WarehouseSpec;
import io.aquifer.catalog.WarehouseStore;
import io.aquifer.gateway.GatewayException;
import io.aquifer.gateway.StatementService;
import io.aquifer.gateway.warehouse.Warehouses;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.arrow.memory.BufferAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Databricks' REST API on the JDK's HTTP server (HTTPS with a PEM certificate and key): the
 * Statement Execution API 2.0 and the SQL sessions of the Databricks JDBC driver's REST mode, so
 * the Databricks SDKs, CLI and JDBC driver ({@code useThriftClient=0}) work with a host and a
 * token. Every call but a signed external link needs {@code Authorization: Bearer <token>} (an
 * Aquifer access token). Errors are Databricks' JSON: {@code {"error_code", "message"}} with
 * Databricks' HTTP status.
 *
 * <p>Statements run on the warehouse their {@code warehouse_id} (or the JDBC driver's {@code
 * httpPath} {@code /sql/1.0/warehouses/<id>}) names, one of the catalog's warehouses; the
 * Warehouses API 2.0 manages them.
 */
public final class DatabricksRestFrontEnd implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DatabricksRestFrontEnd.class);

  private static final int THREADS = 64;

  private static final String STATEMENTS = "/api/2.0/sql/statements";

  /** The exchange attribute holding the authenticated caller, for auditing a refusal. */
  private static final String CALLER = "aquifer.caller";

  private static final Pattern SESSION_PREFIX =
      Pattern.compile("/api/2\\.0/sql/warehouses/([^/]+)/sessions/([^/]+)(/statements.*)");
  private static final Pattern STATEMENT = Pattern.compile(STATEMENTS + "/([^/]+)/?");
  private static final Pattern CANCEL = Pattern.compile(STATEMENTS + "/([^/]+)/cancel/?");
  private static final Pattern CHUNK =
      Pattern.compile(STATEMENTS + "/([^/]+)/result/chunks/(-?\\d+)/?");
  private static final Pattern CREATE_SESSION =
      Pattern.compile("/api/2\\.0/sql/warehouses/([^/]+)/sessions/?");
  private static final Pattern SESSION =
      Pattern.compile("/api/2\\.0/sql/(?:warehouses/[^/]+/)?sessions/([^/]+)/?");
  private static final String UNITY_CATALOG = "/api/2.1/unity-catalog";
  private static final Pattern UC_CATALOG = Pattern.compile(UNITY_CATALOG + "/catalogs/([^/]+)/?");
  private static final Pattern UC_SCHEMA = Pattern.compile(UNITY_CATALOG + "/schemas/([^/]+)/?");
  private static final Pattern UC_TABLE = Pattern.compile(UNITY_CATALOG + "/tables/([^/]+)/?");
  private static final Pattern UC_VOLUME = Pattern.compile(UNITY_CATALOG + "/volumes/([^/]+)/?");
  private static final Pattern UC_FUNCTION =
      Pattern.compile(UNITY_CATALOG + "/functions/([^/]+)/?");
  private static final Pattern UC_PERMISSIONS =
      Pattern.compile(UNITY_CATALOG + "/permissions/([^/]+)/([^/]+)/?");
  private static final Pattern UC_EFFECTIVE_PERMISSIONS =
      Pattern.compile(UNITY_CATALOG + "/effective-permissions/([^/]+)/([^/]+)/?");
  private static final Pattern UC_TABLE_EXISTS =
      Pattern.compile(UNITY_CATALOG + "/tables/([^/]+)/exists/?");
  private static final String WAREHOUSES = "/api/2.0/sql/warehouses";
  private static final Pattern WAREHOUSE = Pattern.compile(WAREHOUSES + "/([^/]+)/?");
  private static final Pattern WAREHOUSE_ACTION =
      Pattern.compile(WAREHOUSES + "/([^/]+)/(edit|start|stop)/?");
  private static final String SCIM_ME = ScimApi.PREFIX + "/Me";
  private static final Pattern SCIM_RESOURCES =
      Pattern.compile(Pattern.quote(ScimApi.PREFIX) + "/(Users|Groups|ServicePrincipals)/?");
  private static final Pattern SCIM_RESOURCE =
      Pattern.compile(Pattern.quote(ScimApi.PREFIX) + "/(Users|Groups|ServicePrincipals)/([^/]+)");
  private static final String QUERY_HISTORY = "/api/2.0/sql/history/queries";
  private static final Pattern MANAGED_TOKEN = Pattern.compile(TokenApi.MANAGED + "/([^/]+)/?");
  private static final Pattern EXTERNAL_LINK = Pattern.compile(ChunkLinks.PATH + "([^/]+)/(\\d+)");

  private final StatementService service;
  private final WarehouseStore warehouseStore;
  private final Warehouses warehouses;
  private final String host;
  private final RestServerConfig config;
  private final ChunkLinks chunkLinks;
  private final StatementExecutionApi statements;
  private final UnityCatalogApi unityCatalog;
  private final UnityCatalogChanges unityCatalogChanges;
  private final QueryHistoryApi queryHistory;
  private final WarehousesApi warehousesApi;
  private final ScimApi scim;
  private final TokenApi tokenApi;
  private final HealthProbes health;
  private final FilesApi files;
  private final java.util.List<Mount> mounts = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile StaticSite site;
  private volatile MetricsEndpoint metrics;
  private volatile MetricsAccess metricsAccess = MetricsAccess.ADMIN;
  private HttpServer server;
  private ExecutorService executor;
  private ScheduledExecutorService sweeper;

  public DatabricksRestFrontEnd(
      StatementService service,
      BufferAllocator allocator,
      String host,
      RestServerConfig config,
      WarehouseStore warehouseStore,
      Warehouses warehouses) {
    this.service = requireNonNull(service, "service");
    this.host = requireNonNull(host, "host");
    this.config = requireNonNull(config, "config");
    this.warehouseStore = requireNonNull(warehouseStore, "warehouseStore");
    this.warehouses = requireNonNull(warehouses, "warehouses");
    this.chunkLinks = new ChunkLinks(config.externalLinkExpiry());
    this.statements = new StatementExecutionApi(service, warehouseStore, allocator, chunkLinks);
    this.unityCatalog = new UnityCatalogApi(service, statements::lookupSession);
    this.unityCatalogChanges =
        new UnityCatalogChanges(new CatalogSql(service, statements::lookupSession), unityCatalog);
    this.queryHistory = new QueryHistoryApi(service);
    this.warehousesApi = new WarehousesApi(warehouseStore, warehouses, this::jdbcUrl);
    this.scim = new ScimApi(service);
    this.tokenApi = new TokenApi(service);
    this.health = new HealthProbes(warehouseStore::list, warehouses);
    this.files = new FilesApi(service);
  }

  private record Mount(Pattern path, BinaryEndpoint endpoint) {}

  /**
   * Serves another protocol by POST on this port: requests whose path matches {@code path} are
   * authenticated like REST calls and handed to {@code endpoint}. Mounts are tried before the REST
   * routes, in the order they were added.
   */
  public void mount(Pattern path, BinaryEndpoint endpoint) {
    mounts.add(new Mount(requireNonNull(path, "path"), requireNonNull(endpoint, "endpoint")));
  }

  /**
   * Serves a static site (the browser SQL editor) by GET on this port, without a token, at the
   * paths it has; API paths keep their meaning and every other path still answers 404 {@code
   * ENDPOINT_NOT_FOUND}.
   */
  public void serveSite(StaticSite site) {
    this.site = requireNonNull(site, "site");
  }

  /** The path where {@link #serveMetrics} answers. */
  public static final String METRICS = "/metrics";

  /**
   * Serves the server's metrics by GET at {@value #METRICS}: with {@link MetricsAccess#ADMIN} only
   * to a request with an admin's access token (401 without a token, 403 for a user who is not an
   * admin), with {@link MetricsAccess#OPEN} to anyone.
   */
  public void serveMetrics(MetricsEndpoint endpoint, MetricsAccess access) {
    this.metricsAccess = requireNonNull(access, "access");
    this.metrics = requireNonNull(endpoint, "endpoint");
  }

  /**
   * The signed chunk links served on this port: the Statement Execution API's EXTERNAL_LINKS, and
   * those of mounted protocols (the Thrift protocol's CloudFetch links) that register a source.
   */
  public ChunkLinks chunkLinks() {
    return chunkLinks;
  }

  /** Binds the port and starts serving. @throws UncheckedIOException if the port is taken */
  public synchronized void start() {
    if (server != null) {
      throw new IllegalStateException("REST front end already started");
    }
    try {
      InetSocketAddress address = new InetSocketAddress(host, config.port());
      if (config.tls()) {
        HttpsServer https = HttpsServer.create(address, 0);
        https.setHttpsConfigurator(
            new HttpsConfigurator(
                PemTlsContext.load(config.tlsCertificate().get(), config.tlsKey().get())));
        server = https;
      } else {
        server = HttpServer.create(address, 0);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot listen for the REST API on " + host + ":" + config.port(), e);
    }
    executor =
        Executors.newFixedThreadPool(
            THREADS,
            r -> {
              Thread t = new Thread(r, "aquifer-rest");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
    sweeper =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "aquifer-rest-sweeper");
              t.setDaemon(true);
              return t;
            });
    sweeper.scheduleWithFixedDelay(this::sweep, 1, 1, TimeUnit.MINUTES);
    LOG.info("Databricks REST API on {}", baseUrl());
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** {@code http://host:port} (https with TLS): the Databricks "host" of SDKs and the CLI. */
  public String baseUrl() {
    return (config.tls() ? "https" : "http") + "://" + host + ":" + port();
  }

  /**
   * The id of the warehouse clients are pointed at by default: the {@value
   * WarehouseSpec#STARTER_NAME}, else the first warehouse by name.
   *
   * @throws DatabricksApiException RESOURCE_DOES_NOT_EXIST if there is no warehouse
   */
  public String warehouseId() {
    try {
      return warehouseStore.resolve(WarehouseSpec.STARTER_NAME).id();
    } catch (WarehouseException e) {
      return warehouseStore.list().stream()
          .filter(Warehouse::isLive)
          .findFirst()
          .map(Warehouse::id)
          .orElseThrow(() -> DatabricksApiException.notFound("There is no warehouse"));
    }
  }

  /** The JDBC driver's {@code httpPath} of the default warehouse. */
  public String httpPath() {
    return httpPath(warehouseId());
  }

  /** The JDBC driver's {@code httpPath} of a warehouse: {@code /sql/1.0/warehouses/<id>}. */
  public static String httpPath(String warehouseId) {
    return "/sql/1.0/warehouses/" + warehouseId;
  }

  /**
   * The Databricks JDBC driver's URL for the default warehouse, in REST mode, without the token.
   */
  public String jdbcUrl() {
    return jdbcUrl(warehouseId());
  }

  /** The Databricks JDBC driver's URL for a warehouse, in REST mode, without the token. */
  public String jdbcUrl(String warehouseId) {
    return thriftJdbcUrl(warehouseId) + ";useThriftClient=0";
  }

  /**
   * The Databricks JDBC driver's URL for a warehouse in its default (Thrift) mode, the Databricks
   * SQL protocol at the warehouse's {@code httpPath}, without the token.
   */
  public String thriftJdbcUrl(String warehouseId) {
    return "jdbc:databricks://"
        + host
        + ":"
        + port()
        + "/default;transportMode=http;ssl="
        + (config.tls() ? "1" : "0")
        + ";AuthMech=3;httpPath="
        + httpPath(warehouseId);
  }

  private void sweep() {
    try {
      statements.sweep();
    } catch (RuntimeException e) {
      LOG.warn("sweeping REST statements failed", e);
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      try {
        route(exchange);
      } catch (DatabricksApiException e) {
        auditRefusal(exchange, e, e.audited());
        sendError(exchange, e);
      } catch (GatewayException e) {
        DatabricksApiException answer = DatabricksApiException.of(e);
        auditRefusal(exchange, answer, e.audited());
        sendError(exchange, answer);
      } catch (RuntimeException e) {
        LOG.error(
            "REST call {} {} failed",
            exchange.getRequestMethod(),
            exchange.getRequestURI().getPath(),
            e);
        sendError(
            exchange,
            new DatabricksApiException(
                500, "INTERNAL_ERROR", "internal error; see the server log"));
      }
    }
  }

  private void route(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
    String path = exchange.getRequestURI().getPath();
    Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
    LOG.debug("{} {}", method, path);

    if (HealthProbes.isProbe(path) && (method.equals("GET") || method.equals("HEAD"))) {
      // Probes of supervisors and load balancers: no token, nothing cached.
      HealthProbes.Answer answer = health.answer(path);
      exchange.getResponseHeaders().set("Cache-Control", "no-store");
      send(
          exchange,
          answer.status(),
          "application/json",
          method.equals("HEAD") ? new byte[0] : RestJson.bytes(answer.body()));
      return;
    }
    MetricsEndpoint metricsEndpoint = metrics;
    if (metricsEndpoint != null && path.equals(METRICS) && method.equals("GET")) {
      if (metricsAccess == MetricsAccess.ADMIN) {
        Principal principal = authenticate(exchange);
        if (!principal.admin()) {
          throw new DatabricksApiException(
              403,
              "PERMISSION_DENIED",
              "Only admins may read "
                  + METRICS
                  + "; "
                  + principal.name()
                  + " is not an admin (the server setting metrics-access=open lets anyone scrape)");
        }
      }
      exchange.getResponseHeaders().set("Cache-Control", "no-store");
      send(exchange, 200, metricsEndpoint.contentType(), metricsEndpoint.scrape());
      return;
    }
    Matcher m = EXTERNAL_LINK.matcher(path);
    if (m.matches() && method.equals("GET")) {
      // Presigned: no token, like the cloud storage URLs Databricks hands out.
      ChunkLinks.Download chunk = chunkLinks.serve(m.group(1), Integer.parseInt(m.group(2)), query);
      send(exchange, 200, chunk.contentType(), chunk.bytes());
      return;
    }
    if (method.equals("POST")) {
      for (Mount mount : mounts) {
        if (mount.path().matcher(path).matches()) {
          Principal principal = authenticate(exchange);
          send(
              exchange,
              200,
              mount.endpoint().contentType(),
              mount
                  .endpoint()
                  .post(
                      principal, baseUrl(exchange), path, body(exchange), clientAddress(exchange)));
          return;
        }
      }
    }
    if (FilesApi.handles(path)) {
      // Streams its own body and answer: large files never pass through memory.
      files.handle(exchange, authenticate(exchange), method, path, query);
      return;
    }
    StaticSite staticSite = site;
    if (staticSite != null
        && (method.equals("GET") || method.equals("HEAD"))
        && !path.startsWith("/api/")) {
      Optional<StaticAsset> asset = staticSite.asset(path);
      if (asset.isPresent()) {
        sendAsset(exchange, method, asset.get());
        return;
      }
    }
    Optional<String> pathSession = Optional.empty();
    m = SESSION_PREFIX.matcher(path);
    if (m.matches()) {
      pathSession = Optional.of(m.group(2));
      path = "/api/2.0/sql" + m.group(3);
    }
    boolean known =
        path.equals(STATEMENTS)
            || path.equals(STATEMENTS + "/")
            || path.startsWith(STATEMENTS + "/")
            || CREATE_SESSION.matcher(path).matches()
            || SESSION.matcher(path).matches()
            || path.startsWith(UNITY_CATALOG + "/")
            || path.equals(SCIM_ME)
            || SCIM_RESOURCES.matcher(path).matches()
            || SCIM_RESOURCE.matcher(path).matches()
            || path.equals(TokenApi.CREATE)
            || path.equals(TokenApi.LIST)
            || path.equals(TokenApi.DELETE)
            || path.equals(TokenApi.ON_BEHALF_OF)
            || path.equals(TokenApi.MANAGED)
            || MANAGED_TOKEN.matcher(path).matches()
            || path.equals(QUERY_HISTORY)
            || path.equals(WAREHOUSES)
            || path.equals(WAREHOUSES + "/")
            || WAREHOUSE.matcher(path).matches()
            || WAREHOUSE_ACTION.matcher(path).matches();
    if (!known) {
      throw new DatabricksApiException(
          404, "ENDPOINT_NOT_FOUND", "No API found for '" + method + " " + path + "'");
    }
    RestCall call =
        new RestCall(
            authenticate(exchange),
            baseUrl(exchange),
            query,
            body(exchange),
            Map.of(),
            clientAddress(exchange));

    Object answer;
    if ((path.equals(STATEMENTS) || path.equals(STATEMENTS + "/")) && method.equals("POST")) {
      answer = statements.execute(call, pathSession);
    } else if ((m = CHUNK.matcher(path)).matches() && method.equals("GET")) {
      answer = statements.chunk(call, m.group(1), Integer.parseInt(m.group(2)));
    } else if ((m = CANCEL.matcher(path)).matches() && method.equals("POST")) {
      answer = statements.cancel(call, m.group(1));
    } else if ((m = STATEMENT.matcher(path)).matches() && method.equals("GET")) {
      answer = statements.get(call, m.group(1));
    } else if ((m = STATEMENT.matcher(path)).matches() && method.equals("DELETE")) {
      answer = statements.close(call, m.group(1));
    } else if ((m = CREATE_SESSION.matcher(path)).matches() && method.equals("POST")) {
      answer = statements.createSession(call, m.group(1));
    } else if ((m = SESSION.matcher(path)).matches() && method.equals("DELETE")) {
      answer = statements.deleteSession(call, m.group(1));
    } else if (path.equals(WAREHOUSES) || path.equals(WAREHOUSES + "/")) {
      answer =
          switch (method) {
            case "GET" -> warehousesApi.list(call);
            case "POST" -> warehousesApi.create(call);
            default -> throw notFound(method, path);
          };
    } else if ((m = WAREHOUSE_ACTION.matcher(path)).matches() && method.equals("POST")) {
      String id = decode(m.group(1));
      answer =
          switch (m.group(2)) {
            case "edit" -> warehousesApi.edit(call, id);
            case "start" -> warehousesApi.start(call, id);
            default -> warehousesApi.stop(call, id);
          };
    } else if ((m = WAREHOUSE.matcher(path)).matches() && method.equals("GET")) {
      answer = warehousesApi.get(call, decode(m.group(1)));
    } else if ((m = WAREHOUSE.matcher(path)).matches() && method.equals("DELETE")) {
      answer = warehousesApi.delete(call, decode(m.group(1)));
    } else if (path.startsWith(UNITY_CATALOG + "/")) {
      answer = unityCatalog(call, method, path);
    } else if (method.equals("GET") && path.equals(QUERY_HISTORY)) {
      answer = queryHistory.list(call);
    } else if (method.equals("GET") && path.equals(SCIM_ME)) {
      answer = scim.me(call);
    } else if ((m = SCIM_RESOURCES.matcher(path)).matches()
        && (method.equals("GET") || method.equals("POST"))) {
      var kind = ScimApi.kind(m.group(1)).orElseThrow();
      answer = method.equals("GET") ? scim.list(call, kind) : scim.create(call, kind);
    } else if ((m = SCIM_RESOURCE.matcher(path)).matches() && method.equals("GET")) {
      answer = scim.get(call, ScimApi.kind(m.group(1)).orElseThrow(), decode(m.group(2)));
    } else if ((m = SCIM_RESOURCE.matcher(path)).matches() && method.equals("PUT")) {
      answer = scim.replace(call, ScimApi.kind(m.group(1)).orElseThrow(), decode(m.group(2)));
    } else if ((m = SCIM_RESOURCE.matcher(path)).matches()
        && (method.equals("PATCH") || method.equals("DELETE"))) {
      var kind = ScimApi.kind(m.group(1)).orElseThrow();
      if (method.equals("PATCH")) {
        scim.patch(call, kind, decode(m.group(2)));
      } else {
        scim.delete(call, kind, decode(m.group(2)));
      }
      send(exchange, 204, "application/json", new byte[0]);
      return;
    } else if (method.equals("POST") && path.equals(TokenApi.CREATE)) {
      answer = tokenApi.create(call);
    } else if (method.equals("GET") && path.equals(TokenApi.LIST)) {
      answer = tokenApi.list(call);
    } else if (method.equals("POST") && path.equals(TokenApi.DELETE)) {
      answer = tokenApi.delete(call);
    } else if (method.equals("POST") && path.equals(TokenApi.ON_BEHALF_OF)) {
      answer = tokenApi.createOnBehalfOf(call);
    } else if (method.equals("GET") && path.equals(TokenApi.MANAGED)) {
      answer = tokenApi.listAll(call);
    } else if ((m = MANAGED_TOKEN.matcher(path)).matches() && method.equals("GET")) {
      answer = tokenApi.get(call, decode(m.group(1)));
    } else if ((m = MANAGED_TOKEN.matcher(path)).matches() && method.equals("DELETE")) {
      answer = tokenApi.deleteManaged(call, decode(m.group(1)));
    } else {
      throw new DatabricksApiException(
          404, "ENDPOINT_NOT_FOUND", "No API found for '" + method + " " + path + "'");
    }
    send(exchange, 200, "application/json", RestJson.bytes(answer));
  }

  private static DatabricksApiException notFound(String method, String path) {
    return new DatabricksApiException(
        404, "ENDPOINT_NOT_FOUND", "No API found for '" + method + " " + path + "'");
  }

  private Object unityCatalog(RestCall call, String method, String path) {
    String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    Matcher m;
    if (!method.equals("GET")) {
      return unityCatalogChange(call, method, p);
    }
    if ((m = UC_PERMISSIONS.matcher(p)).matches()) {
      return unityCatalogChanges.getPermissions(call, decode(m.group(1)), decode(m.group(2)));
    } else if ((m = UC_EFFECTIVE_PERMISSIONS.matcher(p)).matches()) {
      return unityCatalogChanges.getEffectivePermissions(
          call, decode(m.group(1)), decode(m.group(2)));
    } else if (p.equals(UNITY_CATALOG + "/volumes")) {
      return unityCatalogChanges.listVolumes(call);
    } else if (p.equals(UNITY_CATALOG + "/functions")) {
      return unityCatalog.listFunctions(call);
    } else if ((m = UC_FUNCTION.matcher(p)).matches()) {
      return unityCatalog.getFunction(call, decode(m.group(1)));
    } else if ((m = UC_VOLUME.matcher(p)).matches()) {
      return unityCatalogChanges.getVolume(call, decode(m.group(1)));
    } else if (p.equals(UNITY_CATALOG + "/catalogs")) {
      return unityCatalog.listCatalogs(call);
    } else if (p.equals(UNITY_CATALOG + "/schemas")) {
      return unityCatalog.listSchemas(call);
    } else if (p.equals(UNITY_CATALOG + "/tables")) {
      return unityCatalog.listTables(call);
    } else if ((m = UC_CATALOG.matcher(p)).matches()) {
      return unityCatalog.getCatalog(call, decode(m.group(1)));
    } else if ((m = UC_SCHEMA.matcher(p)).matches()) {
      return unityCatalog.getSchema(call, decode(m.group(1)));
    } else if ((m = UC_TABLE_EXISTS.matcher(p)).matches()) {
      return unityCatalog.tableExists(call, decode(m.group(1)));
    } else if ((m = UC_TABLE.matcher(p)).matches()) {
      return unityCatalog.getTable(call, decode(m.group(1)));
    }
    throw new DatabricksApiException(
        404, "ENDPOINT_NOT_FOUND", "No API found for 'GET " + path + "'");
  }

  /** Unity Catalog's POST, PATCH and DELETE calls ({@code p} without a trailing slash). */
  private Object unityCatalogChange(RestCall call, String method, String p) {
    Matcher m;
    switch (method) {
      case "POST" -> {
        if (p.equals(UNITY_CATALOG + "/catalogs")) {
          return unityCatalogChanges.createCatalog(call);
        } else if (p.equals(UNITY_CATALOG + "/schemas")) {
          return unityCatalogChanges.createSchema(call);
        } else if (p.equals(UNITY_CATALOG + "/volumes")) {
          return unityCatalogChanges.createVolume(call);
        } else if (p.equals(UNITY_CATALOG + "/tables")) {
          return unityCatalogChanges.createTable(call);
        }
      }
      case "PATCH" -> {
        if ((m = UC_PERMISSIONS.matcher(p)).matches()) {
          return unityCatalogChanges.updatePermissions(
              call, decode(m.group(1)), decode(m.group(2)));
        } else if ((m = UC_CATALOG.matcher(p)).matches()) {
          return unityCatalogChanges.updateCatalog(call, decode(m.group(1)));
        } else if ((m = UC_SCHEMA.matcher(p)).matches()) {
          return unityCatalogChanges.updateSchema(call, decode(m.group(1)));
        } else if ((m = UC_TABLE.matcher(p)).matches()) {
          return unityCatalogChanges.updateTable(call, decode(m.group(1)));
        }
      }
      case "DELETE" -> {
        if ((m = UC_CATALOG.matcher(p)).matches()) {
          return unityCatalogChanges.deleteCatalog(call, decode(m.group(1)));
        } else if ((m = UC_SCHEMA.matcher(p)).matches()) {
          return unityCatalogChanges.deleteSchema(call, decode(m.group(1)));
        } else if ((m = UC_TABLE.matcher(p)).matches()) {
          return unityCatalogChanges.deleteTable(call, decode(m.group(1)));
        } else if ((m = UC_VOLUME.matcher(p)).matches()) {
          return unityCatalogChanges.deleteVolume(call, decode(m.group(1)));
        }
      }
      default -> {}
    }
    throw notFound(method, p);
  }

  private static String decode(String segment) {
    return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** The client's IP address, as the audit log records it. */
  private static Optional<String> clientAddress(HttpExchange exchange) {
    java.net.InetSocketAddress remote = exchange.getRemoteAddress();
    if (remote == null || remote.getAddress() == null) {
      return Optional.empty();
    }
    return Optional.of(remote.getAddress().getHostAddress());
  }

  /**
   * Records a call answered 403 in the audit log, once: a statement refused with PERMISSION_DENIED
   * is already there ({@code alreadyAudited}).
   */
  private void auditRefusal(
      HttpExchange exchange, DatabricksApiException refusal, boolean alreadyAudited) {
    if (refusal.httpStatus() != 403 || alreadyAudited) {
      return;
    }
    String path = exchange.getRequestURI().getPath();
    Map<String, String> params = new java.util.LinkedHashMap<>();
    params.put("http_method", exchange.getRequestMethod().toUpperCase(Locale.ROOT));
    params.put("path", path);
    params.put("error_code", refusal.errorCode());
    try {
      service.requestDenied(
          Optional.ofNullable((Principal) exchange.getAttribute(CALLER)),
          auditServiceName(path),
          params,
          refusal.getMessage(),
          clientAddress(exchange));
    } catch (RuntimeException e) {
      LOG.error("auditing the refused call {} {} failed", params.get("http_method"), path, e);
    }
  }

  /** The audit log's {@code service_name} of a REST call, as Databricks names its services. */
  static String auditServiceName(String path) {
    if (FilesApi.handles(path)) {
      return "filesystem";
    }
    if (path.startsWith(UNITY_CATALOG + "/")) {
      return "unityCatalog";
    }
    if (path.startsWith(ScimApi.PREFIX) || path.startsWith("/api/2.0/token")) {
      return "accounts";
    }
    return "databrickssql";
  }

  private Principal authenticate(HttpExchange exchange) {
    Principal principal = checkCredentials(exchange);
    exchange.setAttribute(CALLER, principal);
    return principal;
  }

  private Principal checkCredentials(HttpExchange exchange) {
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    if (header == null || header.isBlank()) {
      throw DatabricksApiException.unauthenticated(
          "Missing credentials: send an access token as 'Authorization: Bearer <token>'");
    }
    try {
      if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
        return service.authenticateToken(header.substring(7).trim(), clientAddress(exchange));
      }
      if (header.regionMatches(true, 0, "Basic ", 0, 6)) {
        String decoded =
            new String(
                Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        if (colon > 0) {
          return service.authenticateBasic(
              decoded.substring(0, colon), decoded.substring(colon + 1), clientAddress(exchange));
        }
      }
    } catch (IllegalArgumentException e) {
      // a malformed Basic header: fall through to the answer below
    } catch (GatewayException e) {
      throw DatabricksApiException.unauthenticated(e.getMessage());
    }
    throw DatabricksApiException.unauthenticated(
        "Unsupported authorization: send 'Authorization: Bearer <token>'");
  }

  private String baseUrl(HttpExchange exchange) {
    String hostHeader = exchange.getRequestHeaders().getFirst("Host");
    if (hostHeader == null
        || hostHeader.isBlank()
        || !hostHeader.matches("[A-Za-z0-9.:\\[\\]-]+")) {
      return baseUrl();
    }
    return (config.tls() ? "https" : "http") + "://" + hostHeader;
  }

  private static byte[] body(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      return in.readAllBytes();
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      // A repeated parameter (filter_by.statement_ids=a&filter_by.statement_ids=b) joins with ','.
      out.merge(
          URLDecoder.decode(k, StandardCharsets.UTF_8),
          URLDecoder.decode(v, StandardCharsets.UTF_8),
          (a, b) -> a + "," + b);
    }
    return out;
  }

  private static void sendError(HttpExchange exchange, DatabricksApiException e)
      throws IOException {
    Map<String, Object> body = new java.util.LinkedHashMap<>();
    body.put("error_code", e.errorCode());
    body.put("message", e.getMessage());
    e.sqlState().ifPresent(s -> body.put("sql_state", s));
    send(exchange, e.httpStatus(), "application/json", RestJson.bytes(body));
  }

  private static void sendAsset(HttpExchange exchange, String method, StaticAsset asset)
      throws IOException {
    asset.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
    exchange.getResponseHeaders().set("ETag", asset.entityTag());
    exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    String ifNoneMatch = exchange.getRequestHeaders().getFirst("If-None-Match");
    if (ifNoneMatch != null && ifNoneMatch.contains(asset.entityTag())) {
      exchange.sendResponseHeaders(304, -1);
      return;
    }
    if (method.equals("HEAD")) {
      exchange.getResponseHeaders().set("Content-Type", asset.contentType());
      exchange.sendResponseHeaders(200, -1);
      return;
    }
    send(exchange, 200, asset.contentType(), asset.body());
  }

  private static void send(HttpExchange exchange, int status, String contentType, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public synchronized void close() {
    if (server == null) {
      return;
    }
    server.stop(0);
    sweeper.shutdownNow();
    executor.shutdownNow();
    statements.closeAll();
    queryHistory.closeAll();
    server = null;
  }
}

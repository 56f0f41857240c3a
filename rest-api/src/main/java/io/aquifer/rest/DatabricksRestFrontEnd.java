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
 * <p>Every REST call is a route of one table ({@code routes()}: method and path template to a
 * handler); a known path with another method answers 405 with {@code Allow}.
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

  private static final String SESSION_STATEMENTS =
      "/api/2.0/sql/warehouses/{warehouse_id}/sessions/{session_id}/statements";
  private static final String UNITY_CATALOG = "/api/2.1/unity-catalog";
  private static final String WAREHOUSES = "/api/2.0/sql/warehouses";
  private static final String QUERY_HISTORY = "/api/2.0/sql/history/queries";

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
  private final RestRouteTable<Request> routes;
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
    this.routes = routes();
  }

  /** One HTTP request on its way through the route table. */
  private record Request(
      HttpExchange exchange, String method, String path, Map<String, String> query) {}

  /** A route's answer as JSON with status 200 ({@link #NO_CONTENT}: 204 without a body). */
  @FunctionalInterface
  private interface JsonCall {
    Object answer(RestCall call, Map<String, String> path);
  }

  private static final Object NO_CONTENT = new Object();

  /**
   * The REST API: every method and path served, to its handler. {@code docs/openapi.json} lists the
   * same operations (DatabricksRestOpenApiTest checks both ways). The Thrift mounts and the static
   * site are served outside the table.
   */
  private RestRouteTable<Request> routes() {
    String session = "/api/2.0/sql/warehouses/{warehouse_id}/sessions";
    String scimPrefix = ScimApi.PREFIX + "/";
    RestRouteTable.Builder<Request> table = RestRouteTable.builder();
    // Statement Execution API 2.0, and the same calls inside a JDBC driver's session
    for (String prefix : java.util.List.of(STATEMENTS, SESSION_STATEMENTS)) {
      boolean inSession = prefix.equals(SESSION_STATEMENTS);
      table
          .add(
              "POST",
              prefix,
              json(
                  (call, p) ->
                      statements.execute(
                          call, inSession ? Optional.of(p.get("session_id")) : Optional.empty())))
          .add(
              "GET",
              prefix + "/{statement_id}",
              json((c, p) -> statements.get(c, p.get("statement_id"))))
          .add(
              "DELETE",
              prefix + "/{statement_id}",
              json((c, p) -> statements.close(c, p.get("statement_id"))))
          .add(
              "POST",
              prefix + "/{statement_id}/cancel",
              json((c, p) -> statements.cancel(c, p.get("statement_id"))))
          .add(
              "GET",
              prefix + "/{statement_id}/result/chunks/{chunk_index}",
              json((c, p) -> statements.chunk(c, p.get("statement_id"), chunkIndex(p))));
    }
    table
        .add("POST", session, json((c, p) -> statements.createSession(c, p.get("warehouse_id"))))
        .add(
            "DELETE",
            session + "/{session_id}",
            json((c, p) -> statements.deleteSession(c, p.get("session_id"))))
        .add(
            "DELETE",
            "/api/2.0/sql/sessions/{session_id}",
            json((c, p) -> statements.deleteSession(c, p.get("session_id"))))
        // Warehouses API 2.0
        .add("GET", WAREHOUSES, json((c, p) -> warehousesApi.list(c)))
        .add("POST", WAREHOUSES, json((c, p) -> warehousesApi.create(c)))
        .add(
            "GET",
            WAREHOUSES + "/{warehouse_id}",
            json((c, p) -> warehousesApi.get(c, p.get("warehouse_id"))))
        .add(
            "DELETE",
            WAREHOUSES + "/{warehouse_id}",
            json((c, p) -> warehousesApi.delete(c, p.get("warehouse_id"))))
        .add(
            "POST",
            WAREHOUSES + "/{warehouse_id}/edit",
            json((c, p) -> warehousesApi.edit(c, p.get("warehouse_id"))))
        .add(
            "POST",
            WAREHOUSES + "/{warehouse_id}/start",
            json((c, p) -> warehousesApi.start(c, p.get("warehouse_id"))))
        .add(
            "POST",
            WAREHOUSES + "/{warehouse_id}/stop",
            json((c, p) -> warehousesApi.stop(c, p.get("warehouse_id"))))
        // Query History API
        .add("GET", QUERY_HISTORY, json((c, p) -> queryHistory.list(c)))
        .add(
            "GET",
            QUERY_HISTORY + "/{statement_id}/profile",
            json((c, p) -> queryHistory.profile(c, p.get("statement_id"))))
        // Unity Catalog
        .add("GET", UNITY_CATALOG + "/catalogs", json((c, p) -> unityCatalog.listCatalogs(c)))
        .add(
            "POST",
            UNITY_CATALOG + "/catalogs",
            json((c, p) -> unityCatalogChanges.createCatalog(c)))
        .add(
            "GET",
            UNITY_CATALOG + "/catalogs/{name}",
            json((c, p) -> unityCatalog.getCatalog(c, p.get("name"))))
        .add(
            "PATCH",
            UNITY_CATALOG + "/catalogs/{name}",
            json((c, p) -> unityCatalogChanges.updateCatalog(c, p.get("name"))))
        .add(
            "DELETE",
            UNITY_CATALOG + "/catalogs/{name}",
            json((c, p) -> unityCatalogChanges.deleteCatalog(c, p.get("name"))))
        .add("GET", UNITY_CATALOG + "/schemas", json((c, p) -> unityCatalog.listSchemas(c)))
        .add(
            "POST", UNITY_CATALOG + "/schemas", json((c, p) -> unityCatalogChanges.createSchema(c)))
        .add(
            "GET",
            UNITY_CATALOG + "/schemas/{full_name}",
            json((c, p) -> unityCatalog.getSchema(c, p.get("full_name"))))
        .add(
            "PATCH",
            UNITY_CATALOG + "/schemas/{full_name}",
            json((c, p) -> unityCatalogChanges.updateSchema(c, p.get("full_name"))))
        .add(
            "DELETE",
            UNITY_CATALOG + "/schemas/{full_name}",
            json((c, p) -> unityCatalogChanges.deleteSchema(c, p.get("full_name"))))
        .add("GET", UNITY_CATALOG + "/tables", json((c, p) -> unityCatalog.listTables(c)))
        .add("POST", UNITY_CATALOG + "/tables", json((c, p) -> unityCatalogChanges.createTable(c)))
        .add(
            "GET",
            UNITY_CATALOG + "/tables/{full_name}",
            json((c, p) -> unityCatalog.getTable(c, p.get("full_name"))))
        .add(
            "PATCH",
            UNITY_CATALOG + "/tables/{full_name}",
            json((c, p) -> unityCatalogChanges.updateTable(c, p.get("full_name"))))
        .add(
            "DELETE",
            UNITY_CATALOG + "/tables/{full_name}",
            json((c, p) -> unityCatalogChanges.deleteTable(c, p.get("full_name"))))
        .add(
            "GET",
            UNITY_CATALOG + "/tables/{full_name}/exists",
            json((c, p) -> unityCatalog.tableExists(c, p.get("full_name"))))
        .add("GET", UNITY_CATALOG + "/volumes", json((c, p) -> unityCatalogChanges.listVolumes(c)))
        .add(
            "POST", UNITY_CATALOG + "/volumes", json((c, p) -> unityCatalogChanges.createVolume(c)))
        .add(
            "GET",
            UNITY_CATALOG + "/volumes/{full_name}",
            json((c, p) -> unityCatalogChanges.getVolume(c, p.get("full_name"))))
        .add(
            "DELETE",
            UNITY_CATALOG + "/volumes/{full_name}",
            json((c, p) -> unityCatalogChanges.deleteVolume(c, p.get("full_name"))))
        .add("GET", UNITY_CATALOG + "/functions", json((c, p) -> unityCatalog.listFunctions(c)))
        .add(
            "GET",
            UNITY_CATALOG + "/functions/{full_name}",
            json((c, p) -> unityCatalog.getFunction(c, p.get("full_name"))))
        .add(
            "GET",
            UNITY_CATALOG + "/permissions/{securable_type}/{full_name}",
            json(
                (c, p) ->
                    unityCatalogChanges.getPermissions(
                        c, p.get("securable_type"), p.get("full_name"))))
        .add(
            "PATCH",
            UNITY_CATALOG + "/permissions/{securable_type}/{full_name}",
            json(
                (c, p) ->
                    unityCatalogChanges.updatePermissions(
                        c, p.get("securable_type"), p.get("full_name"))))
        .add(
            "GET",
            UNITY_CATALOG + "/effective-permissions/{securable_type}/{full_name}",
            json(
                (c, p) ->
                    unityCatalogChanges.getEffectivePermissions(
                        c, p.get("securable_type"), p.get("full_name"))))
        // SCIM 2.0
        .add("GET", scimPrefix + "Me", json((c, p) -> scim.me(c)));
    for (String kindName : java.util.List.of("Users", "Groups", "ServicePrincipals")) {
      io.aquifer.catalog.PrincipalKind kind = ScimApi.kind(kindName).orElseThrow();
      table
          .add("GET", scimPrefix + kindName, json((c, p) -> scim.list(c, kind)))
          .add("POST", scimPrefix + kindName, json((c, p) -> scim.create(c, kind)))
          .add(
              "GET",
              scimPrefix + kindName + "/{id}",
              json((c, p) -> scim.get(c, kind, p.get("id"))))
          .add(
              "PUT",
              scimPrefix + kindName + "/{id}",
              json((c, p) -> scim.replace(c, kind, p.get("id"))))
          .add(
              "PATCH",
              scimPrefix + kindName + "/{id}",
              json(
                  (c, p) -> {
                    scim.patch(c, kind, p.get("id"));
                    return NO_CONTENT;
                  }))
          .add(
              "DELETE",
              scimPrefix + kindName + "/{id}",
              json(
                  (c, p) -> {
                    scim.delete(c, kind, p.get("id"));
                    return NO_CONTENT;
                  }));
    }
    // Token API 2.0 and Token Management API 2.0
    table
        .add("POST", TokenApi.CREATE, json((c, p) -> tokenApi.create(c)))
        .add("GET", TokenApi.LIST, json((c, p) -> tokenApi.list(c)))
        .add("POST", TokenApi.DELETE, json((c, p) -> tokenApi.delete(c)))
        .add("POST", TokenApi.ON_BEHALF_OF, json((c, p) -> tokenApi.createOnBehalfOf(c)))
        .add("GET", TokenApi.MANAGED, json((c, p) -> tokenApi.listAll(c)))
        .add(
            "GET",
            TokenApi.MANAGED + "/{token_id}",
            json((c, p) -> tokenApi.get(c, p.get("token_id"))))
        .add(
            "DELETE",
            TokenApi.MANAGED + "/{token_id}",
            json((c, p) -> tokenApi.deleteManaged(c, p.get("token_id"))));
    // Files API 2.0: streams its own body and answer, so large files never pass through memory
    for (String prefix : java.util.List.of(FilesApi.FILES, FilesApi.DIRECTORIES)) {
      for (String method : java.util.List.of("GET", "PUT", "HEAD", "DELETE")) {
        table.add(
            method,
            prefix + "/{path...}",
            (r, p) ->
                files.handle(
                    r.exchange(), authenticate(r.exchange()), r.method(), r.path(), r.query()));
      }
    }
    // Without a token: health probes, signed external links; metrics (token unless open)
    for (String probe : java.util.List.of(HealthProbes.LIVENESS, HealthProbes.READINESS)) {
      table.add("GET", probe, this::probe).add("HEAD", probe, this::probe);
    }
    table
        .add("GET", ChunkLinks.PATH + "{link_id}/{chunk_index}", this::externalLink)
        .add("GET", METRICS, this::metrics);
    return table.build();
  }

  /** The method and path template of every route, as {@code docs/openapi.json} lists them. */
  public java.util.List<String> operations() {
    return routes.routes().stream().map(r -> r.method() + " " + r.openApiPath()).toList();
  }

  private record Mount(Pattern path, BinaryEndpoint endpoint) {}

  /**
   * Serves another protocol by POST on this port: requests whose path matches {@code path} are
   * authenticated like REST calls and handed to {@code endpoint}. Mounts are outside the route
   * table: they are tried, in the order they were added, when the table has no route for the
   * request's method and path.
   */
  public void mount(Pattern path, BinaryEndpoint endpoint) {
    mounts.add(new Mount(requireNonNull(path, "path"), requireNonNull(endpoint, "endpoint")));
  }

  /**
   * Serves a static site (the browser SQL editor) by GET on this port, without a token, at the
   * paths it has, outside the route table (tried when the table has no route for the request); API
   * paths keep their meaning and every other path still answers 404 {@code ENDPOINT_NOT_FOUND} (405
   * for a path of the table with another method).
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

    RestRouteTable.Match<Request> match = routes.match(method, path);
    if (match instanceof RestRouteTable.Found<Request> found) {
      Map<String, String> parameters = new HashMap<>();
      found.pathParameters().forEach((k, v) -> parameters.put(k, decode(v)));
      found.route().handler().handle(new Request(exchange, method, path, query), parameters);
      return;
    }
    // Outside the table: protocols mounted by POST (the Thrift protocol at each httpPath) and
    // the static site (GET and HEAD of paths outside /api/).
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
    if (match instanceof RestRouteTable.MethodNotAllowed<Request> notAllowed) {
      exchange.getResponseHeaders().set("Allow", notAllowed.allowHeader());
      throw new DatabricksApiException(
          405,
          "METHOD_NOT_ALLOWED",
          "'"
              + method
              + " "
              + path
              + "' is not served; this path takes "
              + notAllowed.allowHeader());
    }
    throw new DatabricksApiException(
        404, "ENDPOINT_NOT_FOUND", "No API found for '" + method + " " + path + "'");
  }

  /**
   * A route answering JSON: authenticates the request, reads its body and sends the handler's
   * answer with status 200 ({@link #NO_CONTENT}: 204).
   */
  private RestRouteTable.RequestHandler<Request> json(JsonCall handler) {
    return (request, path) -> {
      HttpExchange exchange = request.exchange();
      RestCall call =
          new RestCall(
              authenticate(exchange),
              baseUrl(exchange),
              request.query(),
              body(exchange),
              Map.of(),
              clientAddress(exchange));
      Object answer = handler.answer(call, path);
      if (answer == NO_CONTENT) {
        send(exchange, 204, "application/json", new byte[0]);
      } else {
        send(exchange, 200, "application/json", RestJson.bytes(answer));
      }
    };
  }

  private static int chunkIndex(Map<String, String> path) {
    String index = path.get("chunk_index");
    try {
      return Integer.parseInt(index);
    } catch (NumberFormatException e) {
      throw DatabricksApiException.invalidParameter(
          "chunk_index must be a whole number, not '" + index + "'");
    }
  }

  /** Probes of supervisors and load balancers: no token, nothing cached. */
  private void probe(Request request, Map<String, String> path) throws IOException {
    HealthProbes.Answer answer = health.answer(request.path());
    request.exchange().getResponseHeaders().set("Cache-Control", "no-store");
    send(
        request.exchange(),
        answer.status(),
        "application/json",
        request.method().equals("HEAD") ? new byte[0] : RestJson.bytes(answer.body()));
  }

  private void metrics(Request request, Map<String, String> path) throws IOException {
    MetricsEndpoint metricsEndpoint = metrics;
    if (metricsEndpoint == null) {
      throw new DatabricksApiException(
          404, "ENDPOINT_NOT_FOUND", "No API found for 'GET " + METRICS + "'");
    }
    if (metricsAccess == MetricsAccess.ADMIN) {
      Principal principal = authenticate(request.exchange());
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
    request.exchange().getResponseHeaders().set("Cache-Control", "no-store");
    send(request.exchange(), 200, metricsEndpoint.contentType(), metricsEndpoint.scrape());
  }

  /** A signed chunk link: no token, like the cloud storage URLs Databricks hands out. */
  private void externalLink(Request request, Map<String, String> path) throws IOException {
    ChunkLinks.Download chunk =
        chunkLinks.serve(path.get("link_id"), chunkIndex(path), request.query());
    send(request.exchange(), 200, chunk.contentType(), chunk.bytes());
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

package io.aquifer.rest;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.aquifer.catalog.Principal;
import io.aquifer.catalog.Warehouse;
import io.aquifer.catalog.WarehouseStore;
import io.aquifer.gateway.GatewayErrorCode;
import io.aquifer.gateway.GatewayException;
import io.aquifer.gateway.Session;
import io.aquifer.gateway.Statement;
import io.aquifer.gateway.StatementError;
import io.aquifer.gateway.StatementResult;
import io.aquifer.gateway.StatementService;
import io.aquifer.gateway.StatementState;
import io.aquifer.gateway.StatementStatus;
import io.aquifer.results.ResultChunk;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Databricks' Statement Execution API 2.0 ({@code /api/2.0/sql/statements}) and the SQL sessions
 * the JDBC driver opens in REST mode, over the gateway's statement service. The statement's life is
 * the gateway's; this class only keeps, per statement, how its result is to be handed out.
 */
final class StatementExecutionApi {
  private static final Pattern WAIT_TIMEOUT = Pattern.compile("(\\d+)s");
  private static final Duration DEFAULT_WAIT = Duration.ofSeconds(10);
  private static final String CLIENT_APPLICATION = "Databricks REST API";

  private final StatementService service;
  private final WarehouseStore warehouseStore;
  private final ChunkEncoder encoder;
  private final BufferAllocator allocator;
  private final ChunkLinks links;

  /** Statements submitted here: how to hand out their results. */
  private final Map<String, RestStatement> statements = new ConcurrentHashMap<>();

  /** Per principal, a session to look statements up by id (any session of the principal may). */
  private final Map<String, Session> lookupSessions = new ConcurrentHashMap<>();

  /** A statement submitted through this API. */
  private static final class RestStatement {
    final String id;
    final Principal principal;
    final StatementOptions options;

    /** The session opened for this statement alone, closed when the statement is gone. */
    final Optional<Session> ownSession;

    volatile ResultLayout layout;

    RestStatement(
        String id, Principal principal, StatementOptions options, Optional<Session> ownSession) {
      this.id = id;
      this.principal = principal;
      this.options = options;
      this.ownSession = ownSession;
    }
  }

  StatementExecutionApi(
      StatementService service,
      WarehouseStore warehouseStore,
      BufferAllocator allocator,
      ChunkLinks links) {
    this.service = requireNonNull(service, "service");
    this.warehouseStore = requireNonNull(warehouseStore, "warehouseStore");
    this.allocator = requireNonNull(allocator, "allocator");
    this.encoder = new ChunkEncoder(allocator);
    this.links = requireNonNull(links, "links");
    links.register(this::externalChunk);
  }

  // ---- sessions (Databricks JDBC in REST mode) ----

  Map<String, Object> createSession(RestCall call, String warehouse) {
    checkWarehouse(warehouse);
    JsonNode body = call.json();
    Session session = service.openSession(call.principal(), call.clientAddress());
    session.clientApplication(CLIENT_APPLICATION);
    try {
      service.useWarehouse(session, warehouse);
    } catch (GatewayException e) {
      service.closeSession(session.id());
      throw DatabricksApiException.of(e);
    }
    Optional<String> catalog = RestCall.text(body, "catalog");
    Optional<String> schema = RestCall.text(body, "schema");
    if (catalog.isPresent() || schema.isPresent()) {
      session.use(catalog.orElse(session.currentCatalog()), schema.orElse(session.currentSchema()));
    }
    return Map.of("session_id", session.id());
  }

  Map<String, Object> deleteSession(RestCall call, String sessionId) {
    if (service.session(sessionId, call.principal()).isEmpty()) {
      throw DatabricksApiException.notFound("Session " + sessionId + " does not exist");
    }
    service.closeSession(sessionId);
    return Map.of();
  }

  // ---- statements ----

  Map<String, Object> execute(RestCall call, Optional<String> pathSessionId) {
    JsonNode body = call.json();
    String sql =
        RestCall.text(body, "statement")
            .filter(s -> !s.isBlank())
            .orElseThrow(() -> DatabricksApiException.invalidParameter("statement is required"));
    String warehouse =
        RestCall.text(body, "warehouse_id")
            .orElseThrow(() -> DatabricksApiException.invalidParameter("warehouse_id is required"));
    checkWarehouse(warehouse);
    Duration wait = waitTimeout(RestCall.text(body, "wait_timeout"));
    String onWaitTimeout =
        RestCall.text(body, "on_wait_timeout")
            .orElse("CONTINUE")
            .toUpperCase(java.util.Locale.ROOT);
    if (!onWaitTimeout.equals("CONTINUE") && !onWaitTimeout.equals("CANCEL")) {
      throw DatabricksApiException.invalidParameter(
          "on_wait_timeout must be CONTINUE or CANCEL: " + onWaitTimeout);
    }
    StatementOptions options =
        StatementOptions.of(
            RestCall.text(body, "disposition").orElse(StatementOptions.INLINE),
            RestCall.text(body, "format").orElse(StatementOptions.JSON_ARRAY),
            optionalLong(RestCall.number(body, "row_limit")),
            optionalLong(RestCall.number(body, "byte_limit")));
    NamedParameters.Bound bound = NamedParameters.bind(sql, parameters(body.get("parameters")));

    Optional<String> sessionId = pathSessionId.or(() -> RestCall.text(body, "session_id"));
    Session session;
    Optional<Session> own;
    if (sessionId.isPresent()) {
      session =
          service
              .session(sessionId.get(), call.principal())
              .orElseThrow(
                  () ->
                      DatabricksApiException.notFound(
                          "Session " + sessionId.get() + " does not exist"));
      own = Optional.empty();
    } else {
      session = service.openSession(call.principal(), call.clientAddress());
      session.clientApplication(CLIENT_APPLICATION);
      own = Optional.of(session);
    }
    Optional<String> catalog = RestCall.text(body, "catalog");
    Optional<String> schema = RestCall.text(body, "schema");
    if (catalog.isPresent() || schema.isPresent()) {
      session.use(catalog.orElse(session.currentCatalog()), schema.orElse(session.currentSchema()));
    }
    Statement statement;
    try {
      service.useWarehouse(session, warehouse);
      statement = service.submit(session, bound.sql(), bound.values());
    } catch (GatewayException e) {
      own.ifPresent(s -> service.closeSession(s.id()));
      throw DatabricksApiException.of(e);
    }
    RestStatement rest = new RestStatement(statement.id(), call.principal(), options, own);
    statements.put(rest.id, rest);
    StatementStatus status = awaitResult(rest, wait);
    if (!status.state().isFinal() && !wait.isZero() && onWaitTimeout.equals("CANCEL")) {
      service.cancel(lookupSession(call.principal()), rest.id);
      status = service.await(lookupSession(call.principal()), rest.id, Duration.ofSeconds(5));
    }
    return response(call, rest, status);
  }

  Map<String, Object> get(RestCall call, String statementId) {
    RestStatement rest = find(call.principal(), statementId);
    return response(call, rest, awaitResult(rest, Duration.ZERO));
  }

  Map<String, Object> cancel(RestCall call, String statementId) {
    RestStatement rest = find(call.principal(), statementId);
    try {
      service.cancel(lookupSession(call.principal()), rest.id);
    } catch (GatewayException e) {
      throw DatabricksApiException.of(e);
    }
    return Map.of();
  }

  /** DELETE: closes the statement and frees its result (the JDBC driver's cleanup). */
  Map<String, Object> close(RestCall call, String statementId) {
    RestStatement rest = find(call.principal(), statementId);
    try {
      service.close(lookupSession(call.principal()), rest.id);
    } catch (GatewayException e) {
      throw DatabricksApiException.of(e);
    }
    forget(rest);
    return Map.of();
  }

  Map<String, Object> chunk(RestCall call, String statementId, int index) {
    RestStatement rest = find(call.principal(), statementId);
    StatementStatus status = awaitResult(rest, Duration.ZERO);
    ResultLayout layout = layout(rest, status);
    if (layout == null) {
      throw DatabricksApiException.invalidParameter(
          "Statement " + statementId + " has no result: its state is " + state(rest, status));
    }
    ResultLayout.Chunk chunk =
        layout
            .chunk(index)
            .orElseThrow(
                () ->
                    DatabricksApiException.invalidParameter(
                        "chunk_index "
                            + index
                            + " is out of range: the result has "
                            + layout.chunks().size()
                            + " chunks"));
    return chunkData(call, rest, layout, chunk);
  }

  /**
   * The bytes behind a signed external link (checked by {@link ChunkLinks}); empty for a statement
   * not submitted here or a format this API does not make.
   */
  private Optional<ChunkLinks.Download> externalChunk(
      String statementId, int index, String format) {
    RestStatement rest = statements.get(statementId);
    if (rest == null
        || !Set.of(StatementOptions.ARROW_STREAM, StatementOptions.CSV, StatementOptions.JSON_ARRAY)
            .contains(format)) {
      // Not this API's statement, or another protocol's link to a statement looked up here.
      return Optional.empty();
    }
    StatementStatus status = awaitResult(rest, Duration.ZERO);
    ResultLayout layout = layout(rest, status);
    ResultLayout.Chunk chunk =
        Optional.ofNullable(layout)
            .flatMap(l -> l.chunk(index))
            .orElseThrow(() -> DatabricksApiException.notFound("No such chunk: " + index));
    byte[] stored = storedChunk(rest, layout, chunk);
    int to = (int) chunk.rowCount();
    return Optional.of(
        switch (format) {
          case StatementOptions.ARROW_STREAM ->
              new ChunkLinks.Download(
                  "application/vnd.apache.arrow.stream",
                  encoder.arrow(stored, 0, to, chunk.storedRows()));
          case StatementOptions.CSV ->
              new ChunkLinks.Download("text/csv", encoder.csv(stored, 0, to));
          default ->
              new ChunkLinks.Download(
                  "application/json", RestJson.bytes(encoder.jsonRows(stored, 0, to)));
        });
  }

  /** Forgets statements whose result is gone, and closes the sessions opened for them. */
  void sweep() {
    for (RestStatement rest : List.copyOf(statements.values())) {
      try {
        StatementState state = service.status(lookupSession(rest.principal), rest.id).state();
        if (state == StatementState.CLOSED) {
          forget(rest);
        }
      } catch (GatewayException e) {
        if (e.errorClass().equals(GatewayErrorCode.STATEMENT_NOT_FOUND.name())) {
          forget(rest);
        }
      }
    }
  }

  void closeAll() {
    for (RestStatement rest : List.copyOf(statements.values())) {
      forget(rest);
    }
    for (Session s : lookupSessions.values()) {
      service.closeSession(s.id());
    }
    lookupSessions.clear();
  }

  // ---- internals ----

  private void forget(RestStatement rest) {
    if (statements.remove(rest.id, rest)) {
      rest.ownSession.ifPresent(s -> service.closeSession(s.id()));
    }
  }

  /** A warehouse by id, as Databricks names them (not by name); deleted ones do not exist. */
  private void checkWarehouse(String warehouse) {
    if (warehouseStore.get(warehouse).filter(Warehouse::isLive).isEmpty()) {
      throw DatabricksApiException.notFound("Warehouse " + warehouse + " does not exist");
    }
  }

  /** A session of the principal for lookups and metadata; opened once, closed at shutdown. */
  Session lookupSession(Principal principal) {
    return lookupSession(principal, Optional.empty());
  }

  /**
   * The session in which the Unity Catalog calls of one principal from one client address run their
   * statements (so that a refusal is audited with the client's address).
   */
  Session lookupSession(RestCall call) {
    return lookupSession(call.principal(), call.clientAddress());
  }

  private Session lookupSession(Principal principal, Optional<String> clientAddress) {
    return lookupSessions.computeIfAbsent(
        principal.name() + clientAddress.map(a -> "@" + a).orElse(""),
        name -> {
          Session s = service.openSession(principal, clientAddress);
          s.clientApplication(CLIENT_APPLICATION);
          return s;
        });
  }

  private RestStatement find(Principal principal, String statementId) {
    RestStatement rest = statements.get(statementId);
    if (rest != null && rest.principal.name().equals(principal.name())) {
      return rest;
    }
    // Not submitted here (or already forgotten): the gateway decides whether the caller may see it.
    try {
      service.status(lookupSession(principal), statementId);
    } catch (GatewayException e) {
      throw DatabricksApiException.of(e);
    }
    return statements.computeIfAbsent(
        statementId,
        id -> new RestStatement(id, principal, StatementOptions.DEFAULT, Optional.empty()));
  }

  /**
   * Waits up to {@code wait} for the statement to end with its whole result stored. A result's last
   * chunk is marked complete just after the statement turns SUCCEEDED; that short gap is waited out
   * here, so SUCCEEDED always comes with the full manifest.
   */
  private StatementStatus awaitResult(RestStatement rest, Duration wait) {
    Session lookup = lookupSession(rest.principal);
    try {
      StatementStatus status = service.await(lookup, rest.id, wait);
      long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
      while (resultPending(status) && System.nanoTime() < deadline) {
        Thread.onSpinWait();
        status = service.status(lookup, rest.id);
      }
      return status;
    } catch (GatewayException e) {
      throw DatabricksApiException.of(e);
    }
  }

  private static boolean resultPending(StatementStatus s) {
    return s.state() == StatementState.SUCCEEDED
        && s.updateCount().isEmpty()
        && !s.resultComplete();
  }

  private String state(RestStatement rest, StatementStatus status) {
    if (resultPending(status)) {
      return "RUNNING";
    }
    if (status.state() == StatementState.SUCCEEDED && inlineTooLarge(rest, status)) {
      return "FAILED";
    }
    return status.state().name();
  }

  private boolean inlineTooLarge(RestStatement rest, StatementStatus status) {
    return rest.options.inline()
        && status.updateCount().isEmpty()
        && layout(rest, status).totalBytes() > StatementOptions.INLINE_BYTE_LIMIT;
  }

  /** The result's chunks once the statement SUCCEEDED with its whole result; null before. */
  private ResultLayout layout(RestStatement rest, StatementStatus status) {
    if (status.state() != StatementState.SUCCEEDED || resultPending(status)) {
      return null;
    }
    ResultLayout layout = rest.layout;
    if (layout != null) {
      return layout;
    }
    Session lookup = lookupSession(rest.principal);
    try {
      if (status.updateCount().isPresent()) {
        layout = ResultLayout.ofUpdateCount(status.updateCount().getAsLong(), allocator);
      } else {
        Schema schema;
        StatementResult result = service.statement(lookup, rest.id).awaitResult(Duration.ZERO);
        if (result instanceof StatementResult.Rows rows) {
          schema = rows.stream().schema();
          rows.stream().close();
        } else {
          throw GatewayErrorCode.INTERNAL_ERROR.exception(
              "statement " + rest.id + " succeeded without a result");
        }
        List<ResultLayout.StoredChunkSize> sizes = new ArrayList<>();
        for (int i = 0; i < status.chunks(); i++) {
          ResultChunk c = readChunk(lookup, rest.id, i);
          byte[] ipc = c.arrowIpc();
          sizes.add(
              new ResultLayout.StoredChunkSize(
                  c.rowCount(), ipc.length, () -> encoder.dataBytes(ipc)));
        }
        layout = ResultLayout.ofRows(schema, sizes, rest.options);
      }
    } catch (GatewayException e) {
      throw DatabricksApiException.of(e);
    }
    rest.layout = layout;
    return layout;
  }

  private ResultChunk readChunk(Session lookup, String statementId, int index) {
    return service
        .chunk(lookup, statementId, index, Duration.ofSeconds(30))
        .orElseThrow(
            () ->
                GatewayErrorCode.INTERNAL_ERROR.exception(
                    "chunk " + index + " of statement " + statementId + " is not stored"));
  }

  private byte[] storedChunk(RestStatement rest, ResultLayout layout, ResultLayout.Chunk chunk) {
    if (layout.updateChunk().isPresent()) {
      return layout.updateChunk().get();
    }
    try {
      return readChunk(lookupSession(rest.principal), rest.id, chunk.index()).arrowIpc();
    } catch (GatewayException e) {
      throw DatabricksApiException.of(e);
    }
  }

  private Map<String, Object> response(RestCall call, RestStatement rest, StatementStatus status) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("statement_id", rest.id);
    Map<String, Object> st = new LinkedHashMap<>();
    String state = state(rest, status);
    st.put("state", state);
    if (state.equals("FAILED") && status.error().isEmpty()) {
      st.put(
          "error",
          Map.of(
              "error_code",
              "BAD_REQUEST",
              "message",
              "The result is larger than the 25 MiB limit of the INLINE disposition; run the"
                  + " statement again with disposition EXTERNAL_LINKS"));
      st.put("sql_state", "54000");
    }
    status
        .error()
        .ifPresent(
            e -> {
              st.put(
                  "error",
                  Map.of("error_code", statementErrorCode(e), "message", clientMessage(e)));
              st.put("sql_state", e.sqlState());
            });
    out.put("status", st);
    if (state.equals("SUCCEEDED")) {
      ResultLayout layout = layout(rest, status);
      out.put("manifest", manifest(rest, layout));
      if (!layout.chunks().isEmpty()) {
        out.put("result", chunkData(call, rest, layout, layout.chunks().get(0)));
      } else if (rest.options.resolve(layout.totalBytes()).inline()) {
        Map<String, Object> empty = new LinkedHashMap<>();
        empty.put("chunk_index", 0);
        empty.put("row_offset", 0);
        empty.put("row_count", 0);
        empty.put("data_array", List.of());
        out.put("result", empty);
      } else {
        out.put("result", Map.of("external_links", List.of()));
      }
    }
    return out;
  }

  private Map<String, Object> manifest(RestStatement rest, ResultLayout layout) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", rest.options.resolve(layout.totalBytes()).format());
    List<Map<String, Object>> columns = new ArrayList<>();
    List<Field> fields = layout.schema().getFields();
    for (int i = 0; i < fields.size(); i++) {
      Field f = fields.get(i);
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("name", f.getName());
      c.put("position", i);
      c.put("type_name", DatabricksColumnTypes.typeName(f));
      c.put("type_text", DatabricksColumnTypes.typeText(f));
      Integer precision = DatabricksColumnTypes.precision(f);
      if (precision != null) {
        c.put("type_precision", precision);
        c.put("type_scale", DatabricksColumnTypes.scale(f));
      }
      columns.add(c);
    }
    m.put("schema", Map.of("column_count", fields.size(), "columns", columns));
    m.put("total_chunk_count", layout.chunks().size());
    List<Map<String, Object>> chunks = new ArrayList<>();
    for (ResultLayout.Chunk c : layout.chunks()) {
      Map<String, Object> info = new LinkedHashMap<>();
      info.put("chunk_index", c.index());
      info.put("row_offset", c.rowOffset());
      info.put("row_count", c.rowCount());
      info.put("byte_count", c.byteCount());
      chunks.add(info);
    }
    m.put("chunks", chunks);
    m.put("total_row_count", layout.totalRows());
    m.put("total_byte_count", layout.totalBytes());
    m.put("truncated", layout.truncated());
    return m;
  }

  private Map<String, Object> chunkData(
      RestCall call, RestStatement rest, ResultLayout layout, ResultLayout.Chunk chunk) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("chunk_index", chunk.index());
    data.put("row_offset", chunk.rowOffset());
    data.put("row_count", chunk.rowCount());
    boolean last = chunk.index() == layout.chunks().size() - 1;
    StatementOptions options = rest.options.resolve(layout.totalBytes());
    if (options.inline()) {
      data.put("byte_count", chunk.byteCount());
      data.put(
          "data_array",
          encoder.jsonRows(storedChunk(rest, layout, chunk), 0, (int) chunk.rowCount()));
      if (!last) {
        data.put("next_chunk_index", chunk.index() + 1);
        data.put("next_chunk_internal_link", chunkPath(rest.id, chunk.index() + 1));
      }
      return data;
    }
    Map<String, Object> link = new LinkedHashMap<>(data);
    link.put("byte_count", chunk.byteCount());
    ChunkLinks.Link signed = links.link(call.baseUrl(), rest.id, chunk.index(), options.format());
    link.put("external_link", signed.url());
    link.put("expiration", signed.expires().toString());
    if (!last) {
      link.put("next_chunk_index", chunk.index() + 1);
      link.put("next_chunk_internal_link", chunkPath(rest.id, chunk.index() + 1));
    }
    return Map.of("external_links", List.of(link));
  }

  private static String chunkPath(String statementId, int index) {
    return "/api/2.0/sql/statements/" + statementId + "/result/chunks/" + index;
  }

  private static String statementErrorCode(StatementError e) {
    String cls = e.errorClass();
    if (cls.equals(GatewayErrorCode.QUERY_CANCELED.name())
        || cls.equals(GatewayErrorCode.STATEMENT_TIMEOUT.name())) {
      return "CANCELLED";
    }
    if (cls.equals(GatewayErrorCode.INTERNAL_ERROR.name()) || e.sqlState().startsWith("XX")) {
      return "INTERNAL_ERROR";
    }
    return "BAD_REQUEST";
  }

  /** As Databricks words it: {@code [CLASS] message SQLSTATE: xxxxx}. */
  private static String clientMessage(StatementError e) {
    return "["
        + e.errorClass()
        + "] "
        + e.message()
        + e.position().map(p -> " (at " + p + ")").orElse("")
        + " SQLSTATE: "
        + e.sqlState();
  }

  private static OptionalLong optionalLong(Optional<Long> v) {
    return v.map(OptionalLong::of).orElse(OptionalLong.empty());
  }

  static Duration waitTimeout(Optional<String> value) {
    if (value.isEmpty()) {
      return DEFAULT_WAIT;
    }
    Matcher m = WAIT_TIMEOUT.matcher(value.get().trim());
    if (m.matches()) {
      long seconds = Long.parseLong(m.group(1));
      if (seconds == 0 || (seconds >= 5 && seconds <= 50)) {
        return Duration.ofSeconds(seconds);
      }
    }
    throw DatabricksApiException.invalidParameter(
        "wait_timeout must be 0s or between 5s and 50s: " + value.get());
  }

  private static Map<String, NamedParameters.Parameter> parameters(JsonNode node) {
    Map<String, NamedParameters.Parameter> out = new LinkedHashMap<>();
    if (node == null || node.isNull()) {
      return out;
    }
    if (!node.isArray()) {
      throw DatabricksApiException.malformedRequest(
          "Invalid value for field 'parameters': expected an array");
    }
    for (JsonNode p : node) {
      // The JDBC driver sends '?' markers' values with an 'ordinal' (from 1) instead of a name.
      Optional<String> ordinal =
          RestCall.number(p, "ordinal").map(o -> NamedParameters.ORDINAL_PREFIX + o);
      String name =
          RestCall.text(p, "name")
              .or(() -> ordinal)
              .orElseThrow(
                  () ->
                      DatabricksApiException.invalidParameter(
                          "every parameter needs a name (or an ordinal)"));
      out.put(
          name,
          new NamedParameters.Parameter(
              name, RestCall.text(p, "value"), RestCall.text(p, "type").orElse("STRING")));
    }
    return out;
  }
}

package io.aquifer.flightsql;

import io.aquifer.catalog.Principal;
import io.aquifer.gateway.ErrorCategory;
import io.aquifer.gateway.GatewayException;
import io.aquifer.gateway.PreparedStatementInfo;
import io.aquifer.gateway.ResultStream;
import io.aquifer.gateway.SchemaRef;
import io.aquifer.gateway.Session;
import io.aquifer.gateway.SqlPosition;
import io.aquifer.gateway.Statement;
import io.aquifer.gateway.StatementResult;
import io.aquifer.gateway.StatementService;
import io.aquifer.gateway.StatementState;
import io.aquifer.gateway.TableRef;
import io.aquifer.gateway.arrow.ArrowTypeMapping;
import io.aquifer.storage.types.Column;
import io.aquifer.storage.types.DataType;
import io.aquifer.storage.types.DecimalType;
import io.aquifer.storage.types.PrimitiveType;
import io.aquifer.storage.types.TableSchema;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntPredicate;
import java.util.regex.Pattern;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A statement service for testing the Flight SQL adapter: a fixed catalog, a handful of SQL texts
 * with fixed answers, and a record of what reached it (parameters, cancels, sessions). Not a SQL
 * engine: statements are matched by their exact text.
 *
 * <ul>
 *   <li>Tokens: {@code good-token} is alice; user alice with password {@code secret} too.
 *   <li>Catalog: main.default, main.sales (orders TABLE, orders_v VIEW), samples.tpch (lineitem);
 *       new sessions start in main.sales.
 *   <li>{@code SELECT * FROM orders}: 3 rows of every primitive type; resolved in the session's
 *       current catalog and schema, so it fails outside main.sales.
 *   <li>{@code SELECT * FROM orders WHERE id = ?}: the rows with that id.
 *   <li>{@code SELECT current_catalog(), current_schema()}: the session's current ones.
 *   <li>{@code SELECT * FROM big}: {@value #BIG_BATCHES} batches of {@value #BIG_BATCH_ROWS} rows,
 *       made one at a time, each in a fresh root.
 *   <li>{@code SELECT sleep()}: runs until canceled.
 *   <li>{@code SELECT 1/0}: fails while running; {@code SELEC oops}: fails to parse.
 *   <li>{@code INSERT INTO events VALUES (?, ...)}: 1 row per execution, parameters recorded.
 *   <li>{@code DELETE FROM orders}: 3 rows; {@code CREATE TABLE t (a INT)}: DDL, 0.
 * </ul>
 */
final class InMemoryStatementService implements StatementService {
  static final String TOKEN = "good-token";
  static final String USER = "alice";
  static final String PASSWORD = "secret";
  static final int BIG_BATCHES = 40;
  static final int BIG_BATCH_ROWS = 2_500;

  static final String ORDERS = "SELECT * FROM orders";
  static final String ORDERS_BY_ID = "SELECT * FROM orders WHERE id = ?";
  static final String CURRENT = "SELECT current_catalog(), current_schema()";
  static final String BIG = "SELECT * FROM big";
  static final String SLEEP = "SELECT sleep()";
  static final String DIVIDE_BY_ZERO = "SELECT 1/0";
  static final String SYNTAX_ERROR = "SELEC oops";
  static final String INSERT_EVENTS = "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
  static final String DELETE_ORDERS = "DELETE FROM orders";
  static final String CREATE_TABLE = "CREATE TABLE t (a INT)";

  static final TableSchema ORDERS_COLUMNS =
      new TableSchema(
          List.of(
              new Column("id", PrimitiveType.INT, false, "id", Optional.of("order number")),
              Column.of("customer", PrimitiveType.STRING),
              Column.of("amount", new DecimalType(10, 2)),
              Column.of("weight", PrimitiveType.DOUBLE),
              Column.of("paid", PrimitiveType.BOOLEAN),
              Column.of("ordered_on", PrimitiveType.DATE),
              Column.of("created_at", PrimitiveType.TIMESTAMP),
              Column.of("local_time", PrimitiveType.TIMESTAMP_NTZ),
              Column.of("big", PrimitiveType.BIGINT),
              Column.of("payload", PrimitiveType.BINARY)));

  static final Schema EVENTS_PARAMETERS =
      new Schema(
          List.of(
              param(1, PrimitiveType.INT),
              param(2, PrimitiveType.BIGINT),
              param(3, PrimitiveType.STRING),
              param(4, new DecimalType(10, 2)),
              param(5, PrimitiveType.DOUBLE),
              param(6, PrimitiveType.BOOLEAN),
              param(7, PrimitiveType.DATE),
              param(8, PrimitiveType.TIMESTAMP_NTZ),
              param(9, PrimitiveType.BINARY)));

  private final BufferAllocator allocator;
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final Map<String, TestStatement> statements = new ConcurrentHashMap<>();
  final List<List<Object>> receivedParameters = new CopyOnWriteArrayList<>();
  final List<String> canceledStatements = new CopyOnWriteArrayList<>();
  final List<String> closedSessions = new CopyOnWriteArrayList<>();
  volatile CountDownLatch sleepStarted = new CountDownLatch(1);

  /** Counted down when someone first waits for the result of {@code SELECT sleep()}. */
  volatile CountDownLatch sleepAwaited = new CountDownLatch(1);

  volatile int bigBatchesMade;

  InMemoryStatementService(BufferAllocator allocator) {
    this.allocator = allocator;
  }

  // ---- authentication and sessions ----

  @Override
  public Principal authenticateToken(String token) {
    if (TOKEN.equals(token)) {
      return new Principal(USER, false);
    }
    throw error("INVALID_TOKEN", "28000", ErrorCategory.UNAUTHENTICATED, "Invalid access token");
  }

  @Override
  public Principal authenticateBasic(String user, String password) {
    if ((USER.equals(user) && PASSWORD.equals(password))
        || ("token".equals(user) && TOKEN.equals(password))) {
      return new Principal(USER, false);
    }
    throw error(
        "INVALID_CREDENTIALS",
        "28000",
        ErrorCategory.UNAUTHENTICATED,
        "Wrong user name or password");
  }

  @Override
  public Session openSession(Principal principal) {
    Session session = new Session(UUID.randomUUID().toString(), principal, "main", "sales");
    sessions.put(session.id(), session);
    return session;
  }

  @Override
  public Optional<Session> session(String sessionId, Principal principal) {
    return Optional.ofNullable(sessions.get(sessionId))
        .filter(s -> s.principal().name().equals(principal.name()));
  }

  @Override
  public void closeSession(String sessionId) {
    if (sessions.remove(sessionId) != null) {
      closedSessions.add(sessionId);
    }
  }

  int openSessions() {
    return sessions.size();
  }

  // ---- statements ----

  @Override
  public PreparedStatementInfo prepare(Session session, String sql) {
    return switch (sql) {
      case ORDERS -> {
        requireOrdersVisible(session);
        yield query(sql, ArrowTypeMapping.schema(ORDERS_COLUMNS), new Schema(List.of()));
      }
      case ORDERS_BY_ID -> {
        requireOrdersVisible(session);
        yield query(
            sql,
            ArrowTypeMapping.schema(ORDERS_COLUMNS),
            new Schema(List.of(param(1, PrimitiveType.INT))));
      }
      case CURRENT -> query(sql, currentSchema(), new Schema(List.of()));
      case BIG -> query(sql, bigSchema(), new Schema(List.of()));
      case SLEEP, DIVIDE_BY_ZERO ->
          query(
              sql,
              new Schema(List.of(ArrowTypeMapping.field("x", PrimitiveType.INT, true))),
              new Schema(List.of()));
      case INSERT_EVENTS -> update(sql, EVENTS_PARAMETERS);
      case DELETE_ORDERS, CREATE_TABLE -> update(sql, new Schema(List.of()));
      case SYNTAX_ERROR ->
          throw new GatewayException(
              "PARSE_SYNTAX_ERROR",
              "42601",
              ErrorCategory.INVALID_ARGUMENT,
              "Syntax error at or near 'SELEC'",
              Optional.of(new SqlPosition(1, 1)),
              null);
      default ->
          throw error(
              "UNSUPPORTED_TEST_SQL",
              "0A000",
              ErrorCategory.INVALID_ARGUMENT,
              "Test service does not know: " + sql);
    };
  }

  @Override
  public Statement submit(Session session, String sql, List<Object> parameters) {
    PreparedStatementInfo info = prepare(session, sql);
    receivedParameters.add(parameters);
    TestStatement statement = new TestStatement(sql, sql.equals(SLEEP) ? sleepAwaited : null);
    statements.put(statement.id(), statement);
    switch (sql) {
      case ORDERS -> statement.succeed(() -> new StatementResult.Rows(orders(row -> true)));
      case ORDERS_BY_ID ->
          statement.succeed(
              () ->
                  new StatementResult.Rows(
                      orders(row -> row == ((Number) parameters.get(0)).intValue())));
      case CURRENT -> statement.succeed(() -> new StatementResult.Rows(current(session)));
      case BIG -> statement.succeed(() -> new StatementResult.Rows(big()));
      case SLEEP -> {
        statement.state = StatementState.RUNNING;
        sleepStarted.countDown();
      }
      case DIVIDE_BY_ZERO ->
          statement.fail(
              error("DIVIDE_BY_ZERO", "22012", ErrorCategory.INVALID_ARGUMENT, "Division by zero"));
      case INSERT_EVENTS -> {
        if (parameters.size() != info.parameterSchema().getFields().size()) {
          statement.fail(
              error(
                  "WRONG_PARAMETER_COUNT",
                  "07001",
                  ErrorCategory.INVALID_ARGUMENT,
                  "Wrong number of parameters"));
        } else {
          statement.succeed(() -> new StatementResult.UpdateCount(1));
        }
      }
      case DELETE_ORDERS -> statement.succeed(() -> new StatementResult.UpdateCount(3));
      case CREATE_TABLE -> statement.succeed(() -> new StatementResult.UpdateCount(0));
      default -> throw new IllegalStateException(sql);
    }
    return statement;
  }

  @Override
  public Statement statement(Session session, String statementId) {
    TestStatement statement = statements.get(statementId);
    if (statement == null) {
      throw error(
          "STATEMENT_NOT_FOUND", "42000", ErrorCategory.NOT_FOUND, "no statement " + statementId);
    }
    return statement;
  }

  @Override
  public void cancel(Session session, String statementId) {
    TestStatement statement = statements.get(statementId);
    if (statement != null && !statement.result.isDone()) {
      canceledStatements.add(statementId);
      statement.state = StatementState.CANCELED;
      statement.result.completeExceptionally(
          error("QUERY_CANCELED", "57014", ErrorCategory.CANCELLED, "The statement was canceled"));
    }
  }

  // ---- metadata ----

  private static final List<SchemaRef> SCHEMAS =
      List.of(
          new SchemaRef("main", "default"),
          new SchemaRef("main", "sales"),
          new SchemaRef("samples", "tpch"));

  private static final List<TableRef> TABLES =
      List.of(
          new TableRef("main", "sales", "orders", "TABLE", Optional.of("all orders")),
          new TableRef("main", "sales", "orders_v", "VIEW", Optional.empty()),
          new TableRef("samples", "tpch", "lineitem", "TABLE", Optional.empty()));

  @Override
  public List<String> catalogs(Session session) {
    return List.of("samples", "main");
  }

  @Override
  public List<SchemaRef> schemas(
      Session session, Optional<String> catalog, Optional<String> schemaPattern) {
    return SCHEMAS.stream()
        .filter(s -> catalog.isEmpty() || s.catalog().equals(catalog.get()))
        .filter(s -> schemaPattern.isEmpty() || like(schemaPattern.get(), s.schema()))
        .toList();
  }

  @Override
  public List<TableRef> tables(
      Session session,
      Optional<String> catalog,
      Optional<String> schemaPattern,
      Optional<String> tablePattern,
      List<String> types) {
    return TABLES.stream()
        .filter(t -> catalog.isEmpty() || t.catalog().equals(catalog.get()))
        .filter(t -> schemaPattern.isEmpty() || like(schemaPattern.get(), t.schema()))
        .filter(t -> tablePattern.isEmpty() || like(tablePattern.get(), t.name()))
        .filter(t -> types.isEmpty() || types.contains(t.type()))
        .toList();
  }

  @Override
  public TableSchema columns(Session session, String catalog, String schema, String table) {
    if (catalog.equals("main") && schema.equals("sales") && table.startsWith("orders")) {
      return ORDERS_COLUMNS;
    }
    if (catalog.equals("samples") && table.equals("lineitem")) {
      return new TableSchema(List.of(Column.of("l_orderkey", PrimitiveType.BIGINT)));
    }
    throw error("TABLE_OR_VIEW_NOT_FOUND", "42P01", ErrorCategory.NOT_FOUND, "No table " + table);
  }

  // ---- helpers ----

  private void requireOrdersVisible(Session session) {
    if (!session.currentCatalog().equals("main") || !session.currentSchema().equals("sales")) {
      throw new GatewayException(
          "TABLE_OR_VIEW_NOT_FOUND",
          "42P01",
          ErrorCategory.NOT_FOUND,
          "The table or view `orders` cannot be found in "
              + session.currentCatalog()
              + "."
              + session.currentSchema(),
          Optional.of(new SqlPosition(1, 15)),
          null);
    }
  }

  private static boolean like(String pattern, String value) {
    String regex = Pattern.quote(pattern).replace("%", "\\E.*\\Q").replace("_", "\\E.\\Q");
    return Pattern.compile(regex, Pattern.CASE_INSENSITIVE).matcher(value).matches();
  }

  private static PreparedStatementInfo query(String sql, Schema result, Schema parameters) {
    return new PreparedStatementInfo(sql, result, parameters, true);
  }

  private static PreparedStatementInfo update(String sql, Schema parameters) {
    return new PreparedStatementInfo(sql, new Schema(List.of()), parameters, false);
  }

  private static Field param(int position, DataType type) {
    return ArrowTypeMapping.field(String.valueOf(position), type, true);
  }

  static GatewayException error(
      String errorClass, String sqlState, ErrorCategory category, String message) {
    return new GatewayException(errorClass, sqlState, category, message, Optional.empty(), null);
  }

  private static Schema currentSchema() {
    return new Schema(
        List.of(
            ArrowTypeMapping.field("current_catalog()", PrimitiveType.STRING, false),
            ArrowTypeMapping.field("current_schema()", PrimitiveType.STRING, false)));
  }

  private static Schema bigSchema() {
    return new Schema(
        List.of(
            ArrowTypeMapping.field("id", PrimitiveType.BIGINT, false),
            ArrowTypeMapping.field("label", PrimitiveType.STRING, true)));
  }

  static final LocalDate FIRST_ORDER_DAY = LocalDate.of(2024, 2, 29);

  static final LocalDateTime FIRST_ORDER_TIME =
      LocalDateTime.of(2024, 2, 29, 13, 45, 30, 123_456_000);

  private ResultStream orders(IntPredicate rowFilter) {
    List<Integer> ids = new ArrayList<>();
    for (int id = 1; id <= 3; id++) {
      if (rowFilter.test(id)) {
        ids.add(id);
      }
    }
    return new BatchStream(
        ArrowTypeMapping.schema(ORDERS_COLUMNS),
        1,
        (root, batch) -> {
          for (int i = 0; i < ids.size(); i++) {
            int id = ids.get(i);
            ((IntVector) root.getVector("id")).setSafe(i, id);
            if (id == 3) {
              ((VarCharVector) root.getVector("customer")).setNull(i);
            } else {
              ((VarCharVector) root.getVector("customer"))
                  .setSafe(i, ("customer " + id).getBytes(StandardCharsets.UTF_8));
            }
            ((DecimalVector) root.getVector("amount")).setSafe(i, new BigDecimal(id + "0.25"));
            ((Float8Vector) root.getVector("weight")).setSafe(i, id * 1.5);
            ((BitVector) root.getVector("paid")).setSafe(i, id % 2);
            ((DateDayVector) root.getVector("ordered_on"))
                .setSafe(i, (int) FIRST_ORDER_DAY.plusDays(id - 1).toEpochDay());
            LocalDateTime time = FIRST_ORDER_TIME.plusHours(id - 1);
            long micros = time.toEpochSecond(ZoneOffset.UTC) * 1_000_000L + time.getNano() / 1_000;
            ((TimeStampMicroTZVector) root.getVector("created_at")).setSafe(i, micros);
            ((TimeStampMicroVector) root.getVector("local_time")).setSafe(i, micros);
            ((BigIntVector) root.getVector("big")).setSafe(i, Long.MAX_VALUE - id);
            ((VarBinaryVector) root.getVector("payload"))
                .setSafe(i, new byte[] {(byte) id, 0, (byte) 0xff});
          }
          root.setRowCount(ids.size());
        });
  }

  private ResultStream current(Session session) {
    return new BatchStream(
        currentSchema(),
        1,
        (root, batch) -> {
          ((VarCharVector) root.getVector(0))
              .setSafe(0, session.currentCatalog().getBytes(StandardCharsets.UTF_8));
          ((VarCharVector) root.getVector(1))
              .setSafe(0, session.currentSchema().getBytes(StandardCharsets.UTF_8));
          root.setRowCount(1);
        });
  }

  private ResultStream big() {
    bigBatchesMade = 0;
    return new BatchStream(
        bigSchema(),
        BIG_BATCHES,
        (root, batch) -> {
          BigIntVector ids = (BigIntVector) root.getVector("id");
          VarCharVector labels = (VarCharVector) root.getVector("label");
          for (int i = 0; i < BIG_BATCH_ROWS; i++) {
            long id = (long) batch * BIG_BATCH_ROWS + i;
            ids.setSafe(i, id);
            labels.setSafe(i, ("row " + id).getBytes(StandardCharsets.UTF_8));
          }
          root.setRowCount(BIG_BATCH_ROWS);
          bigBatchesMade++;
        });
  }

  interface BatchFiller {
    void fill(VectorSchemaRoot root, int batch);
  }

  /** Makes each batch on demand, in a fresh root (the front end must cope with root changes). */
  private final class BatchStream implements ResultStream {
    private final Schema schema;
    private final int batches;
    private final BatchFiller filler;
    private VectorSchemaRoot root;
    private int next;

    BatchStream(Schema schema, int batches, BatchFiller filler) {
      this.schema = schema;
      this.batches = batches;
      this.filler = filler;
    }

    @Override
    public Schema schema() {
      return schema;
    }

    @Override
    public boolean next() {
      if (root != null) {
        root.close();
        root = null;
      }
      if (next >= batches) {
        return false;
      }
      root = VectorSchemaRoot.create(schema, allocator);
      root.allocateNew();
      filler.fill(root, next++);
      return true;
    }

    @Override
    public VectorSchemaRoot root() {
      return root;
    }

    @Override
    public void close() {
      if (root != null) {
        root.close();
        root = null;
      }
    }
  }

  /** A statement whose result is set by the service. */
  static final class TestStatement implements Statement {
    private final String id = UUID.randomUUID().toString();
    private final String sql;

    /** Makes the result anew for each reader, as the gateway's result store does. */
    final CompletableFuture<java.util.function.Supplier<StatementResult>> result =
        new CompletableFuture<>();

    volatile StatementState state = StatementState.PENDING;
    private final CountDownLatch awaited;

    TestStatement(String sql, CountDownLatch awaited) {
      this.sql = sql;
      this.awaited = awaited;
    }

    void succeed(java.util.function.Supplier<StatementResult> value) {
      state = StatementState.SUCCEEDED;
      result.complete(value);
    }

    void fail(GatewayException failure) {
      state = StatementState.FAILED;
      result.completeExceptionally(failure);
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public String sql() {
      return sql;
    }

    @Override
    public StatementState state() {
      return state;
    }

    @Override
    public StatementResult awaitResult() {
      return awaitResult(Duration.ofDays(1));
    }

    @Override
    public StatementResult awaitResult(Duration timeout) {
      if (awaited != null) {
        awaited.countDown();
      }
      try {
        return result.get(Math.max(timeout.toMillis(), 0), TimeUnit.MILLISECONDS).get();
      } catch (TimeoutException e) {
        return null;
      } catch (ExecutionException e) {
        throw (GatewayException) e.getCause();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw error("INTERRUPTED", "HY000", ErrorCategory.CANCELLED, "interrupted");
      }
    }
  }
}

package io.aquifer.avatica;

import static java.util.Objects.requireNonNull;

import io.aquifer.catalog.Principal;
import io.aquifer.gateway.GatewayErrorCode;
import io.aquifer.gateway.PreparedStatementInfo;
import io.aquifer.gateway.Session;
import io.aquifer.gateway.SessionSettings;
import io.aquifer.gateway.Statement;
import io.aquifer.gateway.StatementResult;
import io.aquifer.gateway.StatementService;
import io.aquifer.gateway.frontend.CatalogMetadata;
import io.aquifer.gateway.frontend.PreparedStatements;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.calcite.avatica.AvaticaParameter;
import org.apache.calcite.avatica.AvaticaUtils;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.ConnectionPropertiesImpl;
import org.apache.calcite.avatica.MetaImpl;
import org.apache.calcite.avatica.NoSuchStatementException;
import org.apache.calcite.avatica.QueryState;
import org.apache.calcite.avatica.proto.Common;
import org.apache.calcite.avatica.proto.Requests;
import org.apache.calcite.avatica.remote.ProtobufMeta;
import org.apache.calcite.avatica.remote.TypedValue;

/**
 * Avatica's {@code Meta} over the gateway's {@link StatementService}: a thin adapter that turns
 * each request of Avatica's remote protocol into statement-service calls in the connection's
 * gateway session and back.
 *
 * <p>It implements {@code Meta} directly, as Avatica's own server-side {@code JdbcMeta} does:
 * {@code MetaImpl} is the client-side base (its defaults create statements on a client connection).
 * What Aquifer does not have answers truthfully: no procedures, keys, indexes, UDTs or pseudo
 * columns, so those calls return no rows; what it has but this front end does not expose
 * (privileges, functions), transactions and result re-synchronization answer a "not supported"
 * error (SQLSTATE 0A000).
 *
 * <p>Connections authenticate once, in OpenConnection: with {@code token=<access token>}, or with
 * {@code user} and {@code password} where the password is an access token (user {@code token} or
 * the token's owner). Properties {@code catalog} and {@code schema} set the connection's starting
 * catalog and schema; {@code STATEMENT_TIMEOUT} (seconds, any case) sets the session's statement
 * timeout; {@code columnar_frames=true} (sent by Aquifer's driver) makes result frames columnar.
 * Every later request names the connection by the id the client chose for it (a random UUID in
 * Avatica's drivers).
 *
 * <p>Rows travel in frames read from the gateway's Arrow batches as the client fetches them (see
 * {@link ResultFrames}); a running statement is stopped by closing it, by closing its connection,
 * or by the cancel endpoint Aquifer's JDBC driver calls (see {@link CancelHandler}); a connection
 * whose client stops sending heartbeats is closed, which stops its statements.
 */
public final class AquiferMeta implements ProtobufMeta {
  static final String TOKEN = "token";
  static final String USER = "user";
  static final String PASSWORD = "password";
  static final String CATALOG = "catalog";

  /** Connection property naming the warehouse (id or name) the connection's statements run on. */
  static final String WAREHOUSE = "warehouse";

  static final String SCHEMA = "schema";

  /**
   * Connection property: {@code true} asks for result frames in the columnar form Aquifer's JDBC
   * driver reads (see {@link ColumnarFrameEncoder}); other clients get Avatica's own frames.
   */
  static final String COLUMNAR_FRAMES = "columnar_frames";

  private final StatementService service;
  private final CatalogMetadata metadata;
  private final ClientConnections connections;
  private final int maxFrameRows;
  private final Executor prefetch;
  private final Map<DatabaseProperty, Object> databaseProperties;

  /**
   * @param prefetch runs the reading of each result's next frame while the client reads the current
   *     one (see {@link ResultFrames})
   */
  AquiferMeta(
      StatementService service,
      ClientConnections connections,
      int maxFrameRows,
      Executor prefetch) {
    this.service = requireNonNull(service, "service");
    this.metadata = new CatalogMetadata(service);
    this.connections = requireNonNull(connections, "connections");
    this.maxFrameRows = maxFrameRows;
    this.prefetch = requireNonNull(prefetch, "prefetch");
    this.databaseProperties = DatabaseProperties.of();
  }

  // ---- connections ----

  @Override
  public void openConnection(ConnectionHandle ch, Map<String, String> info) {
    run(
        () -> {
          Map<String, String> properties = info == null ? Map.of() : info;
          Principal principal = authenticate(properties);
          ClientConnection connection = connections.open(ch.id, principal);
          try {
            SessionCatalog.use(
                service,
                connection.session(),
                Optional.ofNullable(properties.get(CATALOG)),
                Optional.ofNullable(properties.get(SCHEMA)));
            for (Map.Entry<String, String> property : properties.entrySet()) {
              if (property.getKey().equalsIgnoreCase(WAREHOUSE)) {
                service.useWarehouse(connection.session(), property.getValue());
              }
              if (property.getKey().equalsIgnoreCase(COLUMNAR_FRAMES)) {
                connection.columnarFrames(Boolean.parseBoolean(property.getValue().trim()));
              }
              if (property.getKey().equalsIgnoreCase(SessionSettings.STATEMENT_TIMEOUT)) {
                SessionSettings.set(
                    connection.session(), SessionSettings.STATEMENT_TIMEOUT, property.getValue());
              }
            }
          } catch (RuntimeException e) {
            connections.close(ch.id);
            throw e;
          }
        });
  }

  private Principal authenticate(Map<String, String> info) {
    String token = info.get(TOKEN);
    if (token != null && !token.isBlank()) {
      return service.authenticateToken(token, ClientAddressHandler.current());
    }
    String password = info.get(PASSWORD);
    if (password != null && !password.isBlank()) {
      return service.authenticateBasic(info.get(USER), password, ClientAddressHandler.current());
    }
    throw GatewayErrorCode.MISSING_CREDENTIALS.exception(
        "An access token is required: set the connection property token=<access token>, or user"
            + " 'token' with the access token as password");
  }

  @Override
  public void closeConnection(ConnectionHandle ch) {
    run(() -> connections.close(ch.id));
  }

  @Override
  public ConnectionProperties connectionSync(ConnectionHandle ch, ConnectionProperties props) {
    return call(
        () -> {
          ClientConnection connection = connections.get(ch.id);
          if (props != null) {
            if (Boolean.FALSE.equals(props.isAutoCommit())) {
              throw GatewayErrorCode.UNSUPPORTED_FEATURE.exception(
                  "Transactions are not supported: auto-commit stays on, every statement commits"
                      + " on its own");
            }
            Integer isolation = props.getTransactionIsolation();
            if (isolation != null && isolation != Connection.TRANSACTION_NONE) {
              throw GatewayErrorCode.UNSUPPORTED_FEATURE.exception(
                  "Transaction isolation levels are not supported: every statement commits on"
                      + " its own (TRANSACTION_NONE)");
            }
            if (props.isReadOnly() != null) {
              connection.readOnly(props.isReadOnly());
            }
            SessionCatalog.use(
                service,
                connection.session(),
                Optional.ofNullable(props.getCatalog()),
                Optional.ofNullable(props.getSchema()));
          }
          Session session = connection.session();
          return new ConnectionPropertiesImpl(
              true,
              connection.readOnly(),
              Connection.TRANSACTION_NONE,
              session.currentCatalog(),
              session.currentSchema());
        });
  }

  /** Every statement has committed on its own by the time it returned: nothing to commit. */
  @Override
  public void commit(ConnectionHandle ch) {
    run(() -> connections.get(ch.id));
  }

  @Override
  public void rollback(ConnectionHandle ch) {
    run(
        () -> {
          connections.get(ch.id);
          throw GatewayErrorCode.UNSUPPORTED_FEATURE.exception(
              "Rollback is not supported: every statement commits on its own");
        });
  }

  @Override
  public Map<DatabaseProperty, Object> getDatabaseProperties(ConnectionHandle ch) {
    return call(
        () -> {
          connections.get(ch.id);
          return databaseProperties;
        });
  }

  // ---- statements ----

  @Override
  public StatementHandle createStatement(ConnectionHandle ch) {
    return call(
        () -> new StatementHandle(ch.id, connections.get(ch.id).createStatement().id(), null));
  }

  /**
   * Closing stops what the statement runs. Closing one that is gone (or whose connection is) is a
   * no-op.
   */
  @Override
  public void closeStatement(StatementHandle h) {
    run(
        () -> {
          try {
            connections.get(h.connectionId).closeStatement(h.id);
          } catch (io.aquifer.gateway.GatewayException e) {
            if (!e.errorClass().equals(GatewayErrorCode.CONNECTION_NOT_FOUND.name())) {
              throw e;
            }
          }
        });
  }

  @Override
  public StatementHandle prepare(ConnectionHandle ch, String sql, long maxRowCount) {
    return call(
        () -> {
          ClientConnection connection = connections.get(ch.id);
          PreparedStatementInfo info = service.prepare(connection.session(), sql);
          ClientStatement statement = connection.createStatement();
          return new StatementHandle(
              ch.id, statement.id(), signature(connection.prepare(statement, info, maxRowCount)));
        });
  }

  @SuppressWarnings("deprecation")
  @Override
  public ExecuteResult prepareAndExecute(
      StatementHandle h, String sql, long maxRowCount, PrepareCallback callback)
      throws NoSuchStatementException {
    return prepareAndExecute(h, sql, maxRowCount, -1, callback);
  }

  @Override
  public ExecuteResult prepareAndExecute(
      StatementHandle h,
      String sql,
      long maxRowCount,
      int maxRowsInFirstFrame,
      PrepareCallback callback)
      throws NoSuchStatementException {
    return callStatement(
        () -> {
          ClientConnection connection = connections.get(h.connectionId);
          ClientStatement statement = connection.statement(h);
          return execute(
              connection, statement, sql, List.of(), maxRowCount, maxRowsInFirstFrame, List.of());
        });
  }

  @SuppressWarnings("deprecation")
  @Override
  public ExecuteResult execute(
      StatementHandle h, List<TypedValue> parameterValues, long maxRowCount)
      throws NoSuchStatementException {
    return execute(h, parameterValues, AvaticaUtils.toSaturatedInt(maxRowCount));
  }

  @Override
  public ExecuteResult execute(
      StatementHandle h, List<TypedValue> parameterValues, int maxRowsInFirstFrame)
      throws NoSuchStatementException {
    return callStatement(
        () -> {
          ClientConnection connection = connections.get(h.connectionId);
          ClientStatement statement = connection.statement(h);
          PreparedStatements.Prepared prepared = prepared(statement);
          List<Object> parameters = ParameterValues.toJava(parameterValues, prepared);
          return execute(
              connection,
              statement,
              prepared.info().sql(),
              parameters,
              statement.preparedMaxRowCount(),
              maxRowsInFirstFrame,
              parameters(prepared));
        });
  }

  @Override
  public Frame fetch(StatementHandle h, long offset, int fetchMaxRowCount)
      throws NoSuchStatementException {
    return callStatement(
        () -> {
          ClientStatement statement = connections.get(h.connectionId).statement(h);
          ResultFrames frames = statement.results();
          Frame frame = frames.next(offset, frameRows(fetchMaxRowCount));
          if (frame.done) {
            statement.finished(frames);
          }
          return frame;
        });
  }

  @Override
  public ExecuteBatchResult executeBatch(StatementHandle h, List<List<TypedValue>> parameterValues)
      throws NoSuchStatementException {
    return callStatement(
        () -> {
          ClientConnection connection = connections.get(h.connectionId);
          ClientStatement statement = connection.statement(h);
          PreparedStatements.Prepared prepared = prepared(statement);
          List<List<Object>> rows = new ArrayList<>();
          for (List<TypedValue> values :
              parameterValues == null ? List.<List<TypedValue>>of() : parameterValues) {
            rows.add(ParameterValues.toJava(values, prepared));
          }
          long[] counts = new long[rows.size()];
          for (int i = 0; i < counts.length; i++) {
            counts[i] = update(connection, statement, prepared.info().sql(), rows.get(i));
          }
          return new ExecuteBatchResult(counts);
        });
  }

  @Override
  public ExecuteBatchResult executeBatchProtobuf(
      StatementHandle h, List<Requests.UpdateBatch> updateBatches) throws NoSuchStatementException {
    List<List<TypedValue>> parameterValues = new ArrayList<>(updateBatches.size());
    for (Requests.UpdateBatch batch : updateBatches) {
      List<TypedValue> values = new ArrayList<>(batch.getParameterValuesCount());
      for (Common.TypedValue value : batch.getParameterValuesList()) {
        values.add(TypedValue.fromProto(value));
      }
      parameterValues.add(values);
    }
    return executeBatch(h, parameterValues);
  }

  @Override
  public ExecuteBatchResult prepareAndExecuteBatch(StatementHandle h, List<String> sqlCommands)
      throws NoSuchStatementException {
    return callStatement(
        () -> {
          ClientConnection connection = connections.get(h.connectionId);
          ClientStatement statement = connection.statement(h);
          long[] counts = new long[sqlCommands.size()];
          for (int i = 0; i < counts.length; i++) {
            counts[i] = update(connection, statement, sqlCommands.get(i), List.of());
          }
          return new ExecuteBatchResult(counts);
        });
  }

  /**
   * Avatica clients call this to re-run a lost result on another server; Aquifer has no such
   * failover.
   */
  @Override
  public boolean syncResults(StatementHandle sh, QueryState state, long offset) {
    throw AvaticaErrors.toClient(
        GatewayErrorCode.UNSUPPORTED_FEATURE.exception(
            "Re-synchronizing a result is not supported: run the statement again"));
  }

  /** Client side only: a server never iterates its own results. */
  @Override
  public Iterable<Object> createIterable(
      StatementHandle stmt,
      QueryState state,
      Signature signature,
      List<TypedValue> parameters,
      Frame firstFrame) {
    throw AvaticaErrors.toClient(
        GatewayErrorCode.UNSUPPORTED_FEATURE.exception("createIterable is a client-side call"));
  }

  // ---- metadata ----

  @Override
  public MetaResultSet getCatalogs(ConnectionHandle ch) {
    return metadata(ch, MetadataRows.CATALOGS, c -> MetadataRows.catalogs(metadata, c.session()));
  }

  @Override
  public MetaResultSet getSchemas(ConnectionHandle ch, String catalog, Pat schemaPattern) {
    return metadata(
        ch,
        MetadataRows.SCHEMAS,
        c -> MetadataRows.schemas(metadata, c.session(), catalog, schemaPattern.s));
  }

  @Override
  public MetaResultSet getTables(
      ConnectionHandle ch,
      String catalog,
      Pat schemaPattern,
      Pat tableNamePattern,
      List<String> typeList) {
    return metadata(
        ch,
        MetadataRows.TABLES,
        c ->
            MetadataRows.tables(
                metadata, c.session(), catalog, schemaPattern.s, tableNamePattern.s, typeList));
  }

  @Override
  public MetaResultSet getColumns(
      ConnectionHandle ch,
      String catalog,
      Pat schemaPattern,
      Pat tableNamePattern,
      Pat columnNamePattern) {
    return metadata(
        ch,
        MetadataRows.COLUMNS,
        c ->
            MetadataRows.columns(
                metadata,
                c.session(),
                catalog,
                schemaPattern.s,
                tableNamePattern.s,
                columnNamePattern.s));
  }

  @Override
  public MetaResultSet getTableTypes(ConnectionHandle ch) {
    return metadata(ch, MetadataRows.TABLE_TYPES, c -> MetadataRows.tableTypes());
  }

  @Override
  public MetaResultSet getTypeInfo(ConnectionHandle ch) {
    return metadata(ch, MetadataRows.TYPE_INFO, c -> MetadataRows.typeInfo());
  }

  /** Always empty: Delta tables have no primary keys. */
  @Override
  public MetaResultSet getPrimaryKeys(
      ConnectionHandle ch, String catalog, String schema, String table) {
    return none(ch, MetaImpl.MetaPrimaryKey.class);
  }

  /** Always empty: Delta tables have no foreign keys. */
  @Override
  public MetaResultSet getImportedKeys(
      ConnectionHandle ch, String catalog, String schema, String table) {
    return none(ch, MetaImpl.MetaImportedKey.class);
  }

  /** Always empty: Delta tables have no foreign keys. */
  @Override
  public MetaResultSet getExportedKeys(
      ConnectionHandle ch, String catalog, String schema, String table) {
    return none(ch, MetaImpl.MetaExportedKey.class);
  }

  /** Always empty: Delta tables have no foreign keys. */
  @Override
  public MetaResultSet getCrossReference(
      ConnectionHandle ch,
      String parentCatalog,
      String parentSchema,
      String parentTable,
      String foreignCatalog,
      String foreignSchema,
      String foreignTable) {
    return none(ch, MetaImpl.MetaCrossReference.class);
  }

  /** Always empty: Delta tables have no indexes. */
  @Override
  public MetaResultSet getIndexInfo(
      ConnectionHandle ch,
      String catalog,
      String schema,
      String table,
      boolean unique,
      boolean approximate) {
    return none(ch, MetaImpl.MetaIndexInfo.class);
  }

  /** Always empty: Aquifer has no stored procedures. */
  @Override
  public MetaResultSet getProcedures(
      ConnectionHandle ch, String catalog, Pat schemaPattern, Pat procedureNamePattern) {
    return none(ch, MetaImpl.MetaProcedure.class);
  }

  /** Always empty: Aquifer has no stored procedures. */
  @Override
  public MetaResultSet getProcedureColumns(
      ConnectionHandle ch,
      String catalog,
      Pat schemaPattern,
      Pat procedureNamePattern,
      Pat columnNamePattern) {
    return none(ch, MetaImpl.MetaProcedureColumn.class);
  }

  /** Always empty: rows have no identifying columns beyond their values. */
  @Override
  public MetaResultSet getBestRowIdentifier(
      ConnectionHandle ch,
      String catalog,
      String schema,
      String table,
      int scope,
      boolean nullable) {
    return none(ch, MetaImpl.MetaBestRowIdentifier.class);
  }

  /** Always empty: no column changes by itself when a row is updated. */
  @Override
  public MetaResultSet getVersionColumns(
      ConnectionHandle ch, String catalog, String schema, String table) {
    return none(ch, MetaImpl.MetaVersionColumn.class);
  }

  /** Always empty: Aquifer has no user-defined types. */
  @Override
  public MetaResultSet getUDTs(
      ConnectionHandle ch, String catalog, Pat schemaPattern, Pat typeNamePattern, int[] types) {
    return none(ch, MetaImpl.MetaUdt.class);
  }

  /** Always empty: Aquifer has no user-defined types. */
  @Override
  public MetaResultSet getSuperTypes(
      ConnectionHandle ch, String catalog, Pat schemaPattern, Pat typeNamePattern) {
    return none(ch, MetaImpl.MetaSuperType.class);
  }

  /** Always empty: tables have no super tables. */
  @Override
  public MetaResultSet getSuperTables(
      ConnectionHandle ch, String catalog, Pat schemaPattern, Pat tableNamePattern) {
    return none(ch, MetaImpl.MetaSuperTable.class);
  }

  /** Always empty: Aquifer has no user-defined types. */
  @Override
  public MetaResultSet getAttributes(
      ConnectionHandle ch,
      String catalog,
      Pat schemaPattern,
      Pat typeNamePattern,
      Pat attributeNamePattern) {
    return none(ch, MetaImpl.MetaAttribute.class);
  }

  /** Always empty: no client info properties are supported. */
  @Override
  public MetaResultSet getClientInfoProperties(ConnectionHandle ch) {
    return none(ch, MetaImpl.MetaClientInfoProperty.class);
  }

  /** Always empty: Aquifer tables have no hidden columns. */
  @Override
  public MetaResultSet getPseudoColumns(
      ConnectionHandle ch,
      String catalog,
      Pat schemaPattern,
      Pat tableNamePattern,
      Pat columnNamePattern) {
    return none(ch, MetaImpl.MetaPseudoColumn.class);
  }

  @Override
  public MetaResultSet getColumnPrivileges(
      ConnectionHandle ch, String catalog, String schema, String table, Pat columnNamePattern) {
    throw unsupported("Listing column privileges");
  }

  @Override
  public MetaResultSet getTablePrivileges(
      ConnectionHandle ch, String catalog, Pat schemaPattern, Pat tableNamePattern) {
    throw unsupported("Listing table privileges (use SHOW GRANTS)");
  }

  @Override
  public MetaResultSet getFunctions(
      ConnectionHandle ch, String catalog, Pat schemaPattern, Pat functionNamePattern) {
    throw unsupported("Listing functions (use SHOW FUNCTIONS)");
  }

  @Override
  public MetaResultSet getFunctionColumns(
      ConnectionHandle ch,
      String catalog,
      Pat schemaPattern,
      Pat functionNamePattern,
      Pat columnNamePattern) {
    throw unsupported("Listing function columns");
  }

  // ---- helpers ----

  /**
   * Runs a statement in the gateway and answers with its update count, or with its first frame of
   * rows (the rest stay with the statement for fetching).
   */
  private ExecuteResult execute(
      ClientConnection connection,
      ClientStatement statement,
      String sql,
      List<Object> parameters,
      long maxRowCount,
      int maxRowsInFirstFrame,
      List<AvaticaParameter> parameterMetadata) {
    Statement running =
        service.submit(connection.session(), sql, parameters, statement.queryTimeout());
    statement.begin(running);
    StatementResult result;
    try {
      result = running.awaitResult();
    } catch (RuntimeException e) {
      statement.end(running);
      throw e;
    }
    if (result instanceof StatementResult.UpdateCount count) {
      statement.end(running);
      // Avatica's server asserts on negative counts; the gateway already reports DDL as 0.
      return new ExecuteResult(
          List.of(
              MetaResultSet.count(connection.id(), statement.id(), Math.max(0, count.count()))));
    }
    ResultFrames frames =
        statement.open(
            running,
            ((StatementResult.Rows) result).stream(),
            maxRowCount,
            prefetch,
            connection.columnarFrames());
    Frame first;
    try {
      first = frames.next(0, frameRows(maxRowsInFirstFrame));
    } catch (RuntimeException e) {
      statement.finished(frames);
      throw e;
    }
    if (first.done) {
      statement.finished(frames);
    }
    Signature signature =
        Signature.create(
            frames.columnMetadata(),
            sql,
            parameterMetadata,
            CursorFactory.ARRAY,
            StatementType.SELECT);
    return new ExecuteResult(
        List.of(MetaResultSet.create(connection.id(), statement.id(), false, signature, first)));
  }

  /** Runs a statement that must not return rows; its count of changed rows. */
  private long update(
      ClientConnection connection, ClientStatement statement, String sql, List<Object> parameters) {
    Statement running =
        service.submit(connection.session(), sql, parameters, statement.queryTimeout());
    statement.begin(running);
    StatementResult result;
    try {
      result = running.awaitResult();
    } finally {
      statement.end(running);
    }
    if (result instanceof StatementResult.Rows rows) {
      rows.stream().close();
      if (rows.affectedRows().isPresent()) {
        return rows.affectedRows().getAsLong();
      }
      throw GatewayErrorCode.STATEMENT_RETURNS_ROWS.exception(
          "A statement in the batch returns rows; a batch may hold only statements that change data");
    }
    return Math.max(0, ((StatementResult.UpdateCount) result).count());
  }

  private static PreparedStatements.Prepared prepared(ClientStatement statement) {
    return statement
        .prepared()
        .orElseThrow(
            () ->
                GatewayErrorCode.STATEMENT_NOT_PREPARED.exception(
                    "Statement "
                        + statement.id()
                        + " was not prepared; prepare it before executing"));
  }

  private int frameRows(int requested) {
    return requested > 0 ? Math.min(requested, maxFrameRows) : maxFrameRows;
  }

  private static Signature signature(PreparedStatements.Prepared prepared) {
    PreparedStatementInfo info = prepared.info();
    List<ColumnMetaData> columns = new ArrayList<>();
    List<WireColumn> wire = WireColumns.of(info.resultSchema());
    for (int i = 0; i < wire.size(); i++) {
      columns.add(wire.get(i).metadata(i));
    }
    return Signature.create(
        columns,
        info.sql(),
        parameters(prepared),
        CursorFactory.ARRAY,
        info.returnsRows() ? StatementType.SELECT : StatementType.OTHER_DML);
  }

  /**
   * The parameters of a prepared statement, as the gateway offers them to clients (see {@link
   * PreparedStatements.Prepared#clientParameterSchema()}).
   */
  private static List<AvaticaParameter> parameters(PreparedStatements.Prepared prepared) {
    List<AvaticaParameter> parameters = new ArrayList<>();
    for (Field field : prepared.clientParameterSchema().getFields()) {
      JdbcType type = WireColumns.of(field).type();
      parameters.add(
          new AvaticaParameter(
              type.signed(),
              type.precision(),
              type.scale(),
              type.sqlType(),
              type.typeName(),
              type.columnClassName(),
              field.getName()));
    }
    return Collections.unmodifiableList(parameters);
  }

  private MetaResultSet metadata(
      ConnectionHandle ch, MetadataShape shape, Function<ClientConnection, List<Object[]>> rows) {
    return call(
        () -> {
          ClientConnection connection = connections.get(ch.id);
          List<Object> frameRows = new ArrayList<>(rows.apply(connection));
          // A statement of its own, which the client closes with the result set.
          ClientStatement statement = connection.createStatement();
          Signature signature =
              Signature.create(
                  shape.columns(), "", List.of(), CursorFactory.ARRAY, StatementType.SELECT);
          return MetaResultSet.create(
              ch.id, statement.id(), true, signature, CompactFrame.of(0, true, frameRows));
        });
  }

  private MetaResultSet none(ConnectionHandle ch, Class<?> metaClass) {
    return metadata(ch, MetadataShape.of(metaClass), c -> List.of());
  }

  private static RuntimeException unsupported(String what) {
    return AvaticaErrors.toClient(
        GatewayErrorCode.UNSUPPORTED_FEATURE.exception(
            what + " is not supported by the Avatica front end"));
  }

  /** A body that may report Avatica's "no such statement". */
  @FunctionalInterface
  private interface StatementBody<T> {
    T run() throws NoSuchStatementException;
  }

  /** Runs a body; every failure but "no such statement" goes to the client as an Avatica error. */
  private static <T> T callStatement(StatementBody<T> body) throws NoSuchStatementException {
    try {
      return body.run();
    } catch (NoSuchStatementException e) {
      throw e;
    } catch (RuntimeException e) {
      throw AvaticaErrors.toClient(e);
    }
  }

  private static <T> T call(java.util.function.Supplier<T> body) {
    try {
      return body.get();
    } catch (RuntimeException e) {
      throw AvaticaErrors.toClient(e);
    }
  }

  private static void run(Runnable body) {
    try {
      body.run();
    } catch (RuntimeException e) {
      throw AvaticaErrors.toClient(e);
    }
  }

  // Used by the cancel endpoint.

  /** JDBC's query timeout for a statement's later executions; 0 for none. */
  void queryTimeout(String connectionId, int statementId, int seconds)
      throws NoSuchStatementException {
    ClientConnection connection = connections.get(connectionId);
    connection
        .statement(new StatementHandle(connectionId, statementId, null))
        .queryTimeout(seconds == 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds)));
  }

  /** The client of a connection is alive. @throws CONNECTION_NOT_FOUND */
  void heartbeat(String connectionId) {
    connections.heartbeat(connectionId);
  }

  /**
   * The id of the gateway statement that a statement of a connection runs or streams now; empty if
   * nothing runs.
   */
  Optional<String> runningStatementId(String connectionId, int statementId)
      throws NoSuchStatementException {
    ClientConnection connection = connections.get(connectionId);
    return connection
        .statement(new StatementHandle(connectionId, statementId, null))
        .runningStatementId();
  }

  /**
   * Cancels a gateway statement by its id from a connection: one that any connection of the same
   * principal runs (an admin's connection: anyone's). The connection that runs it sees its
   * execution fail as canceled and stays usable. @throws GatewayException CONNECTION_NOT_FOUND, or
   * STATEMENT_NOT_FOUND for an unknown or foreign statement id
   */
  void cancelById(String connectionId, String gatewayStatementId) {
    service.cancel(connections.get(connectionId).session(), gatewayStatementId);
  }

  /** Cancels what a statement of a connection runs; false if nothing ran. */
  boolean cancel(String connectionId, int statementId) throws NoSuchStatementException {
    ClientConnection connection = connections.get(connectionId);
    return connection.statement(new StatementHandle(connectionId, statementId, null)).cancel();
  }
}

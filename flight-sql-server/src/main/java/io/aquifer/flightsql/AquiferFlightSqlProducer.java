package io.aquifer.flightsql;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.aquifer.gateway.GatewayErrorCode;
import io.aquifer.gateway.PreparedStatementInfo;
import io.aquifer.gateway.SchemaRef;
import io.aquifer.gateway.Session;
import io.aquifer.gateway.Statement;
import io.aquifer.gateway.StatementResult;
import io.aquifer.gateway.StatementService;
import io.aquifer.gateway.StatementState;
import io.aquifer.gateway.TableRef;
import io.aquifer.gateway.frontend.CatalogMetadata;
import io.aquifer.gateway.frontend.PreparedStatements;
import io.aquifer.storage.types.TableSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.CancelFlightInfoRequest;
import org.apache.arrow.flight.CancelStatus;
import org.apache.arrow.flight.CloseSessionRequest;
import org.apache.arrow.flight.CloseSessionResult;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightEndpoint;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.GetSessionOptionsRequest;
import org.apache.arrow.flight.GetSessionOptionsResult;
import org.apache.arrow.flight.PollInfo;
import org.apache.arrow.flight.PutResult;
import org.apache.arrow.flight.Result;
import org.apache.arrow.flight.SchemaResult;
import org.apache.arrow.flight.SetSessionOptionsRequest;
import org.apache.arrow.flight.SetSessionOptionsResult;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.flight.sql.FlightSqlProducer.Schemas;
import org.apache.arrow.flight.sql.NoOpFlightSqlProducer;
import org.apache.arrow.flight.sql.impl.FlightSql.ActionClosePreparedStatementRequest;
import org.apache.arrow.flight.sql.impl.FlightSql.ActionCreatePreparedStatementRequest;
import org.apache.arrow.flight.sql.impl.FlightSql.ActionCreatePreparedStatementResult;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetCatalogs;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetCrossReference;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetDbSchemas;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetExportedKeys;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetImportedKeys;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetPrimaryKeys;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetSqlInfo;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetTableTypes;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetTables;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetXdbcTypeInfo;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandPreparedStatementQuery;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandPreparedStatementUpdate;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandStatementQuery;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandStatementUpdate;
import org.apache.arrow.flight.sql.impl.FlightSql.DoPutPreparedStatementResult;
import org.apache.arrow.flight.sql.impl.FlightSql.DoPutUpdateResult;
import org.apache.arrow.flight.sql.impl.FlightSql.TicketStatementQuery;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.types.pojo.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Arrow Flight SQL over the gateway's {@link StatementService}: a thin adapter that turns each
 * Flight SQL command into statement-service calls in the caller's session and back. Starts from
 * {@link NoOpFlightSqlProducer}, so what is not overridden here (transactions, savepoints,
 * Substrait, bulk ingestion, ListFlights, RenewFlightEndpoint) answers UNIMPLEMENTED.
 *
 * <p>Queries run asynchronously: GetFlightInfo submits the statement and answers at once with a
 * ticket naming it; DoGet waits for the result and streams it. So a client can cancel a query that
 * is still planning or running, by CancelFlightInfo or by canceling its DoGet (what the JDBC
 * driver's {@code Statement.cancel()} does).
 */
public final class AquiferFlightSqlProducer extends NoOpFlightSqlProducer {
  private static final Logger log = LoggerFactory.getLogger(AquiferFlightSqlProducer.class);
  private static final Schema NO_COLUMNS = new Schema(List.of());

  private final StatementService service;
  private final BufferAllocator allocator;
  private final ConnectionSessions sessions;
  private final PreparedStatementCache preparedStatements;
  private final SubmittedStatements submittedStatements;
  private final ResultStreamer streamer;
  private final SessionOptions sessionOptions;
  private final FlightSqlInfo sqlInfo = new FlightSqlInfo();
  private final CatalogMetadata metadata;

  AquiferFlightSqlProducer(
      StatementService service,
      BufferAllocator allocator,
      ConnectionSessions sessions,
      PreparedStatementCache preparedStatements,
      SubmittedStatements submittedStatements) {
    this.service = requireNonNull(service, "service");
    this.allocator = requireNonNull(allocator, "allocator");
    this.sessions = requireNonNull(sessions, "sessions");
    this.preparedStatements = requireNonNull(preparedStatements, "preparedStatements");
    this.submittedStatements = requireNonNull(submittedStatements, "submittedStatements");
    this.streamer = new ResultStreamer(service, submittedStatements, allocator);
    this.sessionOptions = new SessionOptions(service);
    this.metadata = new CatalogMetadata(service);
  }

  // ---- ad-hoc statements ----

  @Override
  public FlightInfo getFlightInfoStatement(
      CommandStatementQuery command, CallContext context, FlightDescriptor descriptor) {
    return call(
        () -> {
          refuseTransaction(command.hasTransactionId());
          FlightSessionMiddleware caller = FlightSessionMiddleware.of(context);
          Session session = caller.session();
          PreparedStatementInfo info = service.prepare(session, command.getQuery());
          return start(caller, session, info, List.of(), descriptor, context);
        });
  }

  @Override
  public SchemaResult getSchemaStatement(
      CommandStatementQuery command, CallContext context, FlightDescriptor descriptor) {
    return call(
        () -> {
          FlightSessionMiddleware caller = FlightSessionMiddleware.of(context);
          return new SchemaResult(
              caller
                  .timestamps()
                  .schema(service.prepare(caller.session(), command.getQuery()).resultSchema()));
        });
  }

  @Override
  public void getStreamStatement(
      TicketStatementQuery ticket, CallContext context, ServerStreamListener listener) {
    try {
      FlightSessionMiddleware caller = FlightSessionMiddleware.of(context);
      String statementId = ticket.getStatementHandle().toStringUtf8();
      // The first DoGet of a ticket takes the statement started here; later ones (a client reading
      // the result again, from this connection or another of the same principal) find it in the
      // gateway, which holds the result until it is closed or expires.
      SubmittedStatements.Submitted submitted =
          submittedStatements
              .claim(statementId, caller.principal())
              .orElseGet(
                  () -> {
                    Session session = caller.session();
                    return submittedStatements.reread(
                        service.statement(session, statementId), session, caller.binding());
                  });
      streamer.stream(submitted, caller.timestamps(), listener);
    } catch (RuntimeException e) {
      listener.error(FlightErrorMapper.toClient(e));
    }
  }

  @Override
  public Runnable acceptPutStatement(
      CommandStatementUpdate command,
      CallContext context,
      FlightStream flightStream,
      StreamListener<PutResult> ackStream) {
    return () -> {
      try {
        refuseTransaction(command.hasTransactionId());
        Session session = FlightSessionMiddleware.of(context).session();
        sendUpdateCount(ackStream, update(session, command.getQuery(), List.of(), context));
      } catch (RuntimeException e) {
        ackStream.onError(FlightErrorMapper.toClient(e));
      }
    };
  }

  // ---- prepared statements ----

  @Override
  public void createPreparedStatement(
      ActionCreatePreparedStatementRequest request,
      CallContext context,
      StreamListener<Result> listener) {
    try {
      refuseTransaction(request.hasTransactionId());
      FlightSessionMiddleware caller = FlightSessionMiddleware.of(context);
      caller.callKind("DO_ACTION CreatePreparedStatement");
      PreparedStatementInfo info = service.prepare(caller.session(), request.getQuery());
      PreparedStatements.Prepared prepared = preparedStatements.create(caller.binding(), info);
      ActionCreatePreparedStatementResult result =
          ActionCreatePreparedStatementResult.newBuilder()
              .setPreparedStatementHandle(PreparedStatementCache.handle(prepared))
              .setDatasetSchema(schemaBytes(caller.timestamps().schema(info.resultSchema())))
              .setParameterSchema(
                  schemaBytes(ParameterSchemaAdapter.forClients(prepared.clientParameterSchema())))
              .build();
      listener.onNext(new Result(Any.pack(result).toByteArray()));
      listener.onCompleted();
    } catch (RuntimeException e) {
      listener.onError(FlightErrorMapper.toClient(e));
    }
  }

  @Override
  public void closePreparedStatement(
      ActionClosePreparedStatementRequest request,
      CallContext context,
      StreamListener<Result> listener) {
    try {
      FlightSessionMiddleware caller = FlightSessionMiddleware.of(context);
      caller.callKind("DO_ACTION ClosePreparedStatement");
      // Closing is idempotent: a handle that is already gone is closed.
      preparedStatements.close(request.getPreparedStatementHandle(), caller.principal());
      listener.onCompleted();
    } catch (RuntimeException e) {
      listener.onError(FlightErrorMapper.toClient(e));
    }
  }

  @Override
  public Runnable acceptPutPreparedStatementQuery(
      CommandPreparedStatementQuery command,
      CallContext context,
      FlightStream flightStream,
      StreamListener<PutResult> ackStream) {
    return () -> {
      try {
        FlightSessionMiddleware caller = FlightSessionMiddleware.of(context);
        PreparedStatementCache.Resolved resolved =
            preparedStatements.resolve(command.getPreparedStatementHandle(), caller.principal());
        List<List<Object>> rows = ParameterBinder.readAll(flightStream);
        ByteString handle = PreparedStatementCache.bind(resolved.prepared(), rows);
        sendMetadata(
            ackStream,
            DoPutPreparedStatementResult.newBuilder().setPreparedStatementHandle(handle).build());
        ackStream.onCompleted();
      } catch (RuntimeException e) {
        ackStream.onError(FlightErrorMapper.toClient(e));
      }
    };
  }

  @Override
  public FlightInfo getFlightInfoPreparedStatement(
      CommandPreparedStatementQuery command, CallContext context, FlightDescriptor descriptor) {
    return call(
        () -> {
          FlightSessionMiddleware caller = FlightSessionMiddleware.of(context);
          PreparedStatementCache.Resolved resolved =
              preparedStatements.resolve(command.getPreparedStatementHandle(), caller.principal());
          PreparedStatementInfo info = resolved.prepared().info();
          Session session = caller.session();
          if (!info.returnsRows()) {
            // DDL or DML sent as a query (ADBC does): run it once per parameter row, no rows back.
            for (List<Object> parameters : executions(resolved.parameterRows())) {
              update(session, info.sql(), parameters, context);
            }
            return new FlightInfo(NO_COLUMNS, descriptor, List.of(), -1, -1);
          }
          return start(
              caller, session, info, singleRow(resolved.parameterRows()), descriptor, context);
        });
  }

  @Override
  public SchemaResult getSchemaPreparedStatement(
      CommandPreparedStatementQuery command, CallContext context, FlightDescriptor descriptor) {
    return call(
        () -> {
          FlightSessionMiddleware caller = FlightSessionMiddleware.of(context);
          PreparedStatementCache.Resolved resolved =
              preparedStatements.resolve(command.getPreparedStatementHandle(), caller.principal());
          return new SchemaResult(
              caller.timestamps().schema(resolved.prepared().info().resultSchema()));
        });
  }

  /** DoGet with the prepared statement command as ticket: runs it and streams the rows. */
  @Override
  public void getStreamPreparedStatement(
      CommandPreparedStatementQuery command, CallContext context, ServerStreamListener listener) {
    try {
      FlightSessionMiddleware caller = FlightSessionMiddleware.of(context);
      PreparedStatementCache.Resolved resolved =
          preparedStatements.resolve(command.getPreparedStatementHandle(), caller.principal());
      Session session = caller.session();
      Statement statement =
          service.submit(
              session, resolved.prepared().info().sql(), singleRow(resolved.parameterRows()));
      SubmittedStatements.Submitted submitted =
          submittedStatements.add(statement, session, caller.binding());
      submittedStatements.claim(statement.id(), caller.principal());
      streamer.stream(submitted, caller.timestamps(), listener);
    } catch (RuntimeException e) {
      listener.error(FlightErrorMapper.toClient(e));
    }
  }

  @Override
  public Runnable acceptPutPreparedStatementUpdate(
      CommandPreparedStatementUpdate command,
      CallContext context,
      FlightStream flightStream,
      StreamListener<PutResult> ackStream) {
    return () -> {
      try {
        FlightSessionMiddleware caller = FlightSessionMiddleware.of(context);
        PreparedStatementCache.Resolved resolved =
            preparedStatements.resolve(command.getPreparedStatementHandle(), caller.principal());
        PreparedStatementInfo info = resolved.prepared().info();
        List<List<Object>> rows = ParameterBinder.readAll(flightStream);
        if (rows.isEmpty()) {
          rows = resolved.parameterRows();
        }
        resolved.prepared().checkParameterCount(rows);
        Session session = caller.session();
        long total = 0;
        for (List<Object> parameters : executions(rows)) {
          total += update(session, info.sql(), parameters, context);
        }
        sendUpdateCount(ackStream, total);
      } catch (RuntimeException e) {
        ackStream.onError(FlightErrorMapper.toClient(e));
      }
    };
  }

  // ---- polling ----

  /**
   * PollFlightInfo: a query (CommandStatementQuery or a prepared statement's) is submitted as by
   * GetFlightInfo, and the answer carries its ticket at once (reading it waits for the rows) and,
   * while the statement still runs, a descriptor to poll again with; once it ended, no descriptor
   * and progress 1, or its error if it failed or was canceled. Other commands (metadata, updates)
   * complete in the first answer.
   */
  @Override
  public PollInfo pollFlightInfo(CallContext context, FlightDescriptor descriptor) {
    return call(
        () -> {
          Optional<PollHandle> handle =
              descriptor.isCommand() ? PollHandle.parse(descriptor.getCommand()) : Optional.empty();
          if (handle.isPresent()) {
            FlightInfo info =
                new FlightInfo(
                    handle.get().schema(),
                    descriptor,
                    List.of(ticketFor(handle.get().statementId())),
                    -1,
                    -1);
            return poll(context, info, handle.get().statementId());
          }
          FlightInfo info = getFlightInfo(context, descriptor);
          Optional<String> statementId =
              info.getEndpoints().size() == 1
                  ? statementId(info.getEndpoints().get(0).getTicket())
                  : Optional.empty();
          if (statementId.isEmpty()) {
            return new PollInfo(info, null, 1.0, null);
          }
          return poll(context, info, statementId.get());
        });
  }

  private PollInfo poll(CallContext context, FlightInfo info, String statementId) {
    Statement statement =
        service.statement(FlightSessionMiddleware.of(context).session(), statementId);
    StatementState state = statement.state();
    if (state == StatementState.FAILED || state == StatementState.CANCELED) {
      statement.awaitResult(); // throws the statement's error
    }
    if (state.isFinal()) {
      return new PollInfo(info, null, 1.0, null);
    }
    return new PollInfo(info, PollHandle.descriptor(statementId, info.getSchema()), null, null);
  }

  private static FlightEndpoint ticketFor(String statementId) {
    TicketStatementQuery ticket =
        TicketStatementQuery.newBuilder()
            .setStatementHandle(ByteString.copyFromUtf8(statementId))
            .build();
    return new FlightEndpoint(new Ticket(Any.pack(ticket).toByteArray()));
  }

  // ---- cancel ----

  @Override
  public void cancelFlightInfo(
      CancelFlightInfoRequest request, CallContext context, StreamListener<CancelStatus> listener) {
    try {
      FlightSessionMiddleware caller = FlightSessionMiddleware.of(context);
      CancelStatus status = CancelStatus.NOT_CANCELLABLE;
      for (FlightEndpoint endpoint : request.getInfo().getEndpoints()) {
        Optional<String> statementId = statementId(endpoint.getTicket());
        Optional<SubmittedStatements.Submitted> submitted =
            statementId.flatMap(id -> submittedStatements.find(id, caller.principal()));
        if (submitted.isPresent()) {
          submittedStatements.cancel(submitted.get());
          status = CancelStatus.CANCELLED;
        } else if (statementId.isPresent()) {
          // Started by another connection of the same principal (or the caller is an admin).
          Session session = caller.session();
          Statement statement = service.statement(session, statementId.get());
          if (!statement.state().isFinal()) {
            service.cancel(session, statementId.get());
            if (statement.state() == StatementState.CANCELED) {
              status = CancelStatus.CANCELLED;
            }
          }
        }
      }
      listener.onNext(status);
      listener.onCompleted();
    } catch (RuntimeException e) {
      listener.onError(FlightErrorMapper.toClient(e));
    }
  }

  // ---- session options ----

  @Override
  public void setSessionOptions(
      SetSessionOptionsRequest request,
      CallContext context,
      StreamListener<SetSessionOptionsResult> listener) {
    action(
        listener,
        () ->
            sessionOptions.set(
                FlightSessionMiddleware.of(context).session(), request.getSessionOptions()));
  }

  @Override
  public void getSessionOptions(
      GetSessionOptionsRequest request,
      CallContext context,
      StreamListener<GetSessionOptionsResult> listener) {
    action(listener, () -> sessionOptions.get(FlightSessionMiddleware.of(context).session()));
  }

  @Override
  public void closeSession(
      CloseSessionRequest request,
      CallContext context,
      StreamListener<CloseSessionResult> listener) {
    action(
        listener,
        () -> {
          FlightSessionMiddleware.of(context)
              .existingBinding()
              .ifPresent(binding -> sessions.close(binding.key()));
          return new CloseSessionResult(CloseSessionResult.Status.CLOSED);
        });
  }

  // ---- metadata ----

  @Override
  public FlightInfo getFlightInfoSqlInfo(
      CommandGetSqlInfo command, CallContext context, FlightDescriptor descriptor) {
    return metadataInfo(command, descriptor, Schemas.GET_SQL_INFO_SCHEMA);
  }

  @Override
  public void getStreamSqlInfo(
      CommandGetSqlInfo command, CallContext context, ServerStreamListener listener) {
    stream(listener, () -> sqlInfo.send(command.getInfoList(), listener, allocator));
  }

  @Override
  public FlightInfo getFlightInfoTypeInfo(
      CommandGetXdbcTypeInfo command, CallContext context, FlightDescriptor descriptor) {
    return metadataInfo(command, descriptor, Schemas.GET_TYPE_INFO_SCHEMA);
  }

  @Override
  public void getStreamTypeInfo(
      CommandGetXdbcTypeInfo command, CallContext context, ServerStreamListener listener) {
    Optional<Integer> dataType =
        command.hasDataType() ? Optional.of(command.getDataType()) : Optional.empty();
    stream(
        listener,
        () ->
            MetadataBatches.send(
                listener,
                allocator,
                Schemas.GET_TYPE_INFO_SCHEMA,
                root -> XdbcTypeInfo.fill(root, dataType)));
  }

  @Override
  public FlightInfo getFlightInfoCatalogs(
      CommandGetCatalogs command, CallContext context, FlightDescriptor descriptor) {
    return metadataInfo(command, descriptor, Schemas.GET_CATALOGS_SCHEMA);
  }

  @Override
  public void getStreamCatalogs(CallContext context, ServerStreamListener listener) {
    stream(
        listener,
        () -> {
          List<String> catalogs = metadata.catalogs(FlightSessionMiddleware.of(context).session());
          MetadataBatches.send(
              listener,
              allocator,
              Schemas.GET_CATALOGS_SCHEMA,
              root -> MetadataBatches.catalogs(root, catalogs));
        });
  }

  @Override
  public FlightInfo getFlightInfoSchemas(
      CommandGetDbSchemas command, CallContext context, FlightDescriptor descriptor) {
    return metadataInfo(command, descriptor, Schemas.GET_SCHEMAS_SCHEMA);
  }

  @Override
  public void getStreamSchemas(
      CommandGetDbSchemas command, CallContext context, ServerStreamListener listener) {
    stream(
        listener,
        () -> {
          Optional<String> catalog =
              command.hasCatalog() ? Optional.of(command.getCatalog()) : Optional.empty();
          Optional<String> pattern =
              command.hasDbSchemaFilterPattern()
                  ? Optional.of(command.getDbSchemaFilterPattern())
                  : Optional.empty();
          List<SchemaRef> schemas =
              metadata.schemas(FlightSessionMiddleware.of(context).session(), catalog, pattern);
          MetadataBatches.send(
              listener,
              allocator,
              Schemas.GET_SCHEMAS_SCHEMA,
              root -> MetadataBatches.schemas(root, schemas));
        });
  }

  @Override
  public FlightInfo getFlightInfoTables(
      CommandGetTables command, CallContext context, FlightDescriptor descriptor) {
    return metadataInfo(
        command, descriptor, MetadataBatches.tablesSchema(command.getIncludeSchema()));
  }

  @Override
  public void getStreamTables(
      CommandGetTables command, CallContext context, ServerStreamListener listener) {
    stream(
        listener,
        () -> {
          Session session = FlightSessionMiddleware.of(context).session();
          Optional<String> catalog =
              command.hasCatalog() ? Optional.of(command.getCatalog()) : Optional.empty();
          List<TableRef> sorted =
              metadata.tables(
                  session,
                  catalog,
                  command.hasDbSchemaFilterPattern()
                      ? Optional.of(command.getDbSchemaFilterPattern())
                      : Optional.empty(),
                  command.hasTableNameFilterPattern()
                      ? Optional.of(command.getTableNameFilterPattern())
                      : Optional.empty(),
                  command.getTableTypesList(),
                  CatalogMetadata.BY_NAME);
          boolean includeSchema = command.getIncludeSchema();
          List<TableRef> listed = includeSchema ? new ArrayList<>() : sorted;
          List<byte[]> schemas = includeSchema ? new ArrayList<>() : null;
          if (includeSchema) {
            for (TableRef table : sorted) {
              Optional<TableSchema> columns = metadata.columns(session, table);
              if (columns.isPresent()) {
                listed.add(table);
                schemas.add(
                    TableSchemaEncoder.serialize(TableSchemaEncoder.schema(table, columns.get())));
              }
            }
          }
          MetadataBatches.send(
              listener,
              allocator,
              MetadataBatches.tablesSchema(includeSchema),
              root -> MetadataBatches.tables(root, listed, schemas));
        });
  }

  @Override
  public FlightInfo getFlightInfoTableTypes(
      CommandGetTableTypes command, CallContext context, FlightDescriptor descriptor) {
    return metadataInfo(command, descriptor, Schemas.GET_TABLE_TYPES_SCHEMA);
  }

  @Override
  public void getStreamTableTypes(CallContext context, ServerStreamListener listener) {
    stream(
        listener,
        () ->
            MetadataBatches.send(
                listener, allocator, Schemas.GET_TABLE_TYPES_SCHEMA, MetadataBatches::tableTypes));
  }

  @Override
  public FlightInfo getFlightInfoPrimaryKeys(
      CommandGetPrimaryKeys command, CallContext context, FlightDescriptor descriptor) {
    return metadataInfo(command, descriptor, Schemas.GET_PRIMARY_KEYS_SCHEMA);
  }

  /** Always empty: Delta tables have no primary keys. */
  @Override
  public void getStreamPrimaryKeys(
      CommandGetPrimaryKeys command, CallContext context, ServerStreamListener listener) {
    sendNone(listener, Schemas.GET_PRIMARY_KEYS_SCHEMA);
  }

  @Override
  public FlightInfo getFlightInfoExportedKeys(
      CommandGetExportedKeys command, CallContext context, FlightDescriptor descriptor) {
    return metadataInfo(command, descriptor, Schemas.GET_EXPORTED_KEYS_SCHEMA);
  }

  /** Always empty: Delta tables have no foreign keys. */
  @Override
  public void getStreamExportedKeys(
      CommandGetExportedKeys command, CallContext context, ServerStreamListener listener) {
    sendNone(listener, Schemas.GET_EXPORTED_KEYS_SCHEMA);
  }

  @Override
  public FlightInfo getFlightInfoImportedKeys(
      CommandGetImportedKeys command, CallContext context, FlightDescriptor descriptor) {
    return metadataInfo(command, descriptor, Schemas.GET_IMPORTED_KEYS_SCHEMA);
  }

  /** Always empty: Delta tables have no foreign keys. */
  @Override
  public void getStreamImportedKeys(
      CommandGetImportedKeys command, CallContext context, ServerStreamListener listener) {
    sendNone(listener, Schemas.GET_IMPORTED_KEYS_SCHEMA);
  }

  @Override
  public FlightInfo getFlightInfoCrossReference(
      CommandGetCrossReference command, CallContext context, FlightDescriptor descriptor) {
    return metadataInfo(command, descriptor, Schemas.GET_CROSS_REFERENCE_SCHEMA);
  }

  /** Always empty: Delta tables have no foreign keys. */
  @Override
  public void getStreamCrossReference(
      CommandGetCrossReference command, CallContext context, ServerStreamListener listener) {
    sendNone(listener, Schemas.GET_CROSS_REFERENCE_SCHEMA);
  }

  @Override
  public void close() {}

  // ---- helpers ----

  /**
   * Starts a statement that returns rows and answers with the ticket of its result, or runs one
   * that returns none to its end and answers with no endpoints.
   */
  private FlightInfo start(
      FlightSessionMiddleware caller,
      Session session,
      PreparedStatementInfo info,
      List<Object> parameters,
      FlightDescriptor descriptor,
      CallContext context) {
    if (!info.returnsRows()) {
      update(session, info.sql(), parameters, context);
      return new FlightInfo(NO_COLUMNS, descriptor, List.of(), -1, -1);
    }
    Statement statement = service.submit(session, info.sql(), parameters);
    submittedStatements.add(statement, session, caller.binding());
    return new FlightInfo(
        caller.timestamps().schema(info.resultSchema()),
        descriptor,
        List.of(ticketFor(statement.id())),
        -1,
        -1);
  }

  /** Runs a statement that returns no rows to its end; its count of changed rows. */
  private long update(Session session, String sql, List<Object> parameters, CallContext context) {
    Statement statement = service.submit(session, sql, parameters);
    StatementResult result =
        StatementWaiter.await(service, session, statement, context::isCancelled)
            .orElseThrow(
                () ->
                    CallStatus.CANCELLED
                        .withDescription("The client canceled the call; statement canceled")
                        .toRuntimeException());
    if (result instanceof StatementResult.Rows rows) {
      rows.stream().close();
      if (rows.affectedRows().isPresent()) {
        // COPY INTO answers a row of counts; as an update, its count of rows loaded.
        return rows.affectedRows().getAsLong();
      }
      throw GatewayErrorCode.STATEMENT_RETURNS_ROWS.exception(
          "The statement returns rows; run it as a query, not as an update");
    }
    return ((StatementResult.UpdateCount) result).count();
  }

  /** One execution per parameter row; a statement with nothing bound runs once. */
  private static List<List<Object>> executions(List<List<Object>> rows) {
    return rows.isEmpty() ? List.of(List.of()) : rows;
  }

  private static List<Object> singleRow(List<List<Object>> rows) {
    if (rows.size() > 1) {
      throw GatewayErrorCode.INVALID_PARAMETERS.exception(
          "A query runs with one row of parameters; got " + rows.size());
    }
    return rows.isEmpty() ? List.of() : rows.get(0);
  }

  private static void refuseTransaction(boolean hasTransactionId) {
    if (hasTransactionId) {
      throw GatewayErrorCode.UNSUPPORTED_FEATURE.exception(
          "Transactions are not supported; every statement commits on its own");
    }
  }

  private static Optional<String> statementId(Ticket ticket) {
    try {
      Any command = Any.parseFrom(ticket.getBytes());
      if (command.is(TicketStatementQuery.class)) {
        return Optional.of(
            command.unpack(TicketStatementQuery.class).getStatementHandle().toStringUtf8());
      }
    } catch (InvalidProtocolBufferException e) {
      log.debug("Ignoring a malformed ticket in a cancel request: {}", e.toString());
    }
    return Optional.empty();
  }

  private static FlightInfo metadataInfo(
      Message command, FlightDescriptor descriptor, Schema schema) {
    Ticket ticket = new Ticket(Any.pack(command).toByteArray());
    return new FlightInfo(schema, descriptor, List.of(new FlightEndpoint(ticket)), -1, -1);
  }

  private void sendNone(ServerStreamListener listener, Schema schema) {
    stream(
        listener, () -> MetadataBatches.send(listener, allocator, schema, MetadataBatches::none));
  }

  private void sendUpdateCount(StreamListener<PutResult> ackStream, long count) {
    sendMetadata(ackStream, DoPutUpdateResult.newBuilder().setRecordCount(count).build());
    ackStream.onCompleted();
  }

  private void sendMetadata(StreamListener<PutResult> ackStream, Message message) {
    byte[] bytes = message.toByteArray();
    try (ArrowBuf buffer = allocator.buffer(bytes.length)) {
      buffer.writeBytes(bytes);
      ackStream.onNext(PutResult.metadata(buffer));
    }
  }

  private static ByteString schemaBytes(Schema schema) {
    return ByteString.copyFrom(TableSchemaEncoder.serialize(schema));
  }

  private static <T> T call(Supplier<T> body) {
    try {
      return body.get();
    } catch (RuntimeException e) {
      throw FlightErrorMapper.toClient(e);
    }
  }

  private static <T> void action(StreamListener<T> listener, Supplier<T> body) {
    T result;
    try {
      result = body.get();
    } catch (RuntimeException e) {
      listener.onError(FlightErrorMapper.toClient(e));
      return;
    }
    listener.onNext(result);
    listener.onCompleted();
  }

  private static void stream(ServerStreamListener listener, Runnable body) {
    try {
      body.run();
    } catch (RuntimeException e) {
      listener.error(FlightErrorMapper.toClient(e));
    }
  }
}

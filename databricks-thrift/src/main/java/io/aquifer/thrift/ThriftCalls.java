package io.aquifer.thrift;

import static java.util.Objects.requireNonNull;

import com.databricks.jdbc.model.client.thrift.generated.*;
import io.aquifer.catalog.Principal;
import io.aquifer.gateway.GatewayErrorCode;
import io.aquifer.gateway.GatewayException;
import io.aquifer.gateway.ProductInfo;
import io.aquifer.gateway.Session;
import io.aquifer.gateway.Statement;
import io.aquifer.gateway.StatementResult;
import io.aquifer.gateway.StatementService;
import io.aquifer.gateway.StatementState;
import io.aquifer.gateway.StatementStatus;
import io.aquifer.rest.ChunkLinks;
import io.aquifer.rest.DatabricksApiException;
import io.aquifer.rest.DatabricksParameters;
import io.aquifer.results.ResultChunk;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;
import org.apache.arrow.vector.types.pojo.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TCLIService calls of one HTTP request, for the principal the request authenticated as. Each
 * call translates into statement-service calls; failures become an error {@link TStatus} in the
 * response, never a Thrift exception.
 */
final class ThriftCalls implements TCLIService.Iface {
  private static final Logger LOG = LoggerFactory.getLogger(ThriftCalls.class);

  static final String CLIENT_APPLICATION = "Databricks SQL protocol (Thrift)";

  /** The newest protocol version spoken: Databricks' SPARK_CLI_SERVICE_PROTOCOL_V10. */
  static final TProtocolVersion NEWEST = TProtocolVersion.SPARK_CLI_SERVICE_PROTOCOL_V10;

  private static final int DEFAULT_PAGE_ROWS = 10_000;
  private static final int MAX_PAGE_ROWS = 100_000;

  /** How long a finished statement's last chunk may take to be marked stored. */
  private static final Duration RESULT_STORED_WAIT = Duration.ofSeconds(5);

  private final StatementService service;
  private final ThriftSessionRegistry registry;
  private final ThriftConfig config;
  private final Principal principal;
  private final Optional<String> clientAddress;
  private final Optional<String> warehouseId;
  private final Optional<Links> links;

  /** Where CloudFetch links point: the signed chunk links of the HTTP port the client called. */
  record Links(ChunkLinks links, String baseUrl) {}

  ThriftCalls(
      StatementService service,
      ThriftSessionRegistry registry,
      ThriftConfig config,
      Principal principal,
      Optional<String> clientAddress,
      Optional<String> warehouseId,
      Optional<Links> links) {
    this.service = requireNonNull(service, "service");
    this.registry = requireNonNull(registry, "registry");
    this.config = requireNonNull(config, "config");
    this.principal = requireNonNull(principal, "principal");
    this.clientAddress = requireNonNull(clientAddress, "clientAddress");
    this.warehouseId = requireNonNull(warehouseId, "warehouseId");
    this.links = requireNonNull(links, "links");
  }

  // ---- sessions ----

  @Override
  public TOpenSessionResp OpenSession(TOpenSessionReq req) {
    TProtocolVersion version = negotiate(clientVersion(req));
    TOpenSessionResp resp = new TOpenSessionResp(ThriftStatuses.ok(), version);
    Session session = null;
    try {
      session = service.openSession(principal, clientAddress);
      session.clientApplication(CLIENT_APPLICATION);
      if (warehouseId.isPresent()) {
        service.useWarehouse(session, warehouseId.get());
      }
      ThriftSessionConf.apply(session, req.getConfiguration());
      TNamespace ns = req.getInitialNamespace();
      if (ns != null && (ns.isSetCatalogName() || ns.isSetSchemaName())) {
        session.use(
            blankToNull(ns.getCatalogName()) == null
                ? session.currentCatalog()
                : ns.getCatalogName(),
            blankToNull(ns.getSchemaName()) == null ? session.currentSchema() : ns.getSchemaName());
      }
      ThriftSession ts = registry.open(session);
      resp.setSessionHandle(ts.wire());
      resp.setInitialNamespace(
          new TNamespace()
              .setCatalogName(session.currentCatalog())
              .setSchemaName(session.currentSchema()));
      resp.setCanUseMultipleCatalogs(true);
    } catch (GatewayException e) {
      if (session != null) {
        service.closeSession(session.id());
      }
      resp.setStatus(ThriftStatuses.error(e));
    }
    return resp;
  }

  /**
   * The version the client asks for: Databricks' drivers send it as {@code client_protocol_i64}
   * (and leave the old enum field at its default).
   */
  private static TProtocolVersion clientVersion(TOpenSessionReq req) {
    if (req.isSetClient_protocol_i64()) {
      long v = req.getClient_protocol_i64();
      TProtocolVersion known = v > Integer.MAX_VALUE ? null : TProtocolVersion.findByValue((int) v);
      return known != null || v > NEWEST.getValue() ? known : req.getClient_protocol();
    }
    return req.getClient_protocol();
  }

  /** The client's version when it is not newer than {@link #NEWEST}, else {@link #NEWEST}. */
  static TProtocolVersion negotiate(TProtocolVersion client) {
    if (client == null || client.getValue() > NEWEST.getValue()) {
      return NEWEST;
    }
    return client;
  }

  @Override
  public TCloseSessionResp CloseSession(TCloseSessionReq req) {
    return answer(
        TCloseSessionResp::new,
        () -> {
          ThriftSession ts = registry.session(req.getSessionHandle(), principal);
          for (ThriftOperation op : registry.remove(ts)) {
            closeStatement(op);
          }
          service.closeSession(ts.session().id());
          return new TCloseSessionResp(ThriftStatuses.ok());
        },
        (r, s) -> r.setStatus(s));
  }

  @Override
  public TGetInfoResp GetInfo(TGetInfoReq req) {
    return answer(
        TGetInfoResp::new,
        () -> {
          registry.session(req.getSessionHandle(), principal);
          if (req.getInfoType() == null) {
            // A type this IDL does not name (Hive's CLI_ODBC_KEYWORDS, 10000, for one).
            throw GatewayErrorCode.UNSUPPORTED_FEATURE.exception(
                "GetInfo of this info type is not supported");
          }
          TGetInfoValue value =
              switch (req.getInfoType()) {
                case CLI_DBMS_NAME -> TGetInfoValue.stringValue(ProductInfo.NAME);
                case CLI_DBMS_VER -> TGetInfoValue.stringValue(ProductInfo.version());
                case CLI_SERVER_NAME -> TGetInfoValue.stringValue(ProductInfo.NAME);
                case CLI_USER_NAME -> TGetInfoValue.stringValue(principal.name());
                case CLI_IDENTIFIER_QUOTE_CHAR -> TGetInfoValue.stringValue("`");
                case CLI_SEARCH_PATTERN_ESCAPE -> TGetInfoValue.stringValue("\\");
                case CLI_CATALOG_NAME -> TGetInfoValue.stringValue("Y");
                case CLI_MAX_IDENTIFIER_LEN,
                    CLI_MAX_COLUMN_NAME_LEN,
                    CLI_MAX_SCHEMA_NAME_LEN,
                    CLI_MAX_CATALOG_NAME_LEN,
                    CLI_MAX_TABLE_NAME_LEN ->
                    TGetInfoValue.lenValue(255);
                case CLI_TXN_CAPABLE -> TGetInfoValue.smallIntValue((short) 0);
                default ->
                    throw GatewayErrorCode.UNSUPPORTED_FEATURE.exception(
                        "GetInfo " + req.getInfoType() + " is not supported");
              };
          return new TGetInfoResp(ThriftStatuses.ok(), value);
        },
        (r, s) -> r.setStatus(s).setInfoValue(TGetInfoValue.stringValue("")));
  }

  // ---- statements ----

  @Override
  public TExecuteStatementResp ExecuteStatement(TExecuteStatementReq req) {
    return answer(
        TExecuteStatementResp::new,
        () -> {
          ThriftSession ts = registry.session(req.getSessionHandle(), principal);
          Session session = ts.session();
          if (req.getStatement() == null || req.getStatement().isBlank()) {
            throw GatewayErrorCode.INVALID_REQUEST.exception("the statement is empty");
          }
          DatabricksParameters.Bound bound = bind(req);
          Optional<Duration> overlayTimeout =
              ThriftSessionConf.statementTimeout(session, req.getConfOverlay());
          Optional<Duration> timeout =
              req.isSetQueryTimeout() && req.getQueryTimeout() > 0
                  ? Optional.of(Duration.ofSeconds(req.getQueryTimeout()))
                  : overlayTimeout;
          Statement statement = service.submit(session, bound.sql(), bound.values(), timeout);
          String id = statement.id();
          boolean arrow = req.isCanReadArrowResult();
          boolean lz4 = req.isCanDecompressLZ4Result();
          boolean nativeTimestamps =
              req.isSetUseArrowNativeTypes() && req.getUseArrowNativeTypes().isTimestampAsArrow();
          boolean nativeDecimals =
              req.isSetUseArrowNativeTypes() && req.getUseArrowNativeTypes().isDecimalAsArrow();
          boolean download = req.isCanDownloadResult();
          ThriftOperation op =
              registry.add(
                  ThriftOperation.statement(
                      ts,
                      id,
                      () ->
                          openResult(
                              session,
                              id,
                              arrow,
                              lz4,
                              nativeTimestamps,
                              nativeDecimals,
                              download)));
          TExecuteStatementResp resp = new TExecuteStatementResp(ThriftStatuses.ok());
          resp.setOperationHandle(op.wire());
          Duration wait = req.isRunAsync() ? config.directResultsWait() : config.syncWait();
          if (req.isSetGetDirectResults() || !req.isRunAsync()) {
            StatementStatus status = service.await(session, id, wait);
            if (status.state().isFinal() && req.isSetGetDirectResults()) {
              resp.setDirectResults(directResults(op, status, req.getGetDirectResults()));
            }
          }
          return resp;
        },
        (r, s) -> r.setStatus(s));
  }

  private static DatabricksParameters.Bound bind(TExecuteStatementReq req) {
    if (!req.isSetParameters() || req.getParameters().isEmpty()) {
      return new DatabricksParameters.Bound(req.getStatement(), List.of());
    }
    List<DatabricksParameters.Parameter> params = new ArrayList<>();
    for (TSparkParameter p : req.getParameters()) {
      Optional<String> value = Optional.empty();
      if (p.isSetValue() && p.getValue().isSetStringValue()) {
        value = Optional.of(p.getValue().getStringValue());
      } else if (p.isSetValue() && p.getValue().isSetDoubleValue()) {
        value = Optional.of(Double.toString(p.getValue().getDoubleValue()));
      } else if (p.isSetValue() && p.getValue().isSetBooleanValue()) {
        value = Optional.of(Boolean.toString(p.getValue().getBooleanValue()));
      }
      String type = p.isSetType() ? p.getType() : "STRING";
      if (type.equalsIgnoreCase("VOID") || type.equalsIgnoreCase("NULL")) {
        type = "STRING";
        value = Optional.empty();
      }
      params.add(
          new DatabricksParameters.Parameter(
              Optional.ofNullable(blankToNull(p.getName())), p.getOrdinal(), value, type));
    }
    return DatabricksParameters.bind(req.getStatement(), params);
  }

  private ResultCursor openResult(
      Session session,
      String statementId,
      boolean arrow,
      boolean lz4,
      boolean nativeTimestamps,
      boolean nativeDecimals,
      boolean download) {
    StatementResult result = service.statement(session, statementId).awaitResult();
    if (result instanceof StatementResult.Rows rows) {
      if (arrow
          && config.arrowResults()
          && ArrowBatchCursor.supports(rows.stream().schema(), nativeTimestamps, nativeDecimals)) {
        boolean compress = lz4 && config.lz4Compression();
        if (download && links.isPresent()) {
          Optional<LinkCursor> linked =
              linkCursor(session, statementId, rows.stream().schema(), compress);
          if (linked.isPresent()) {
            rows.stream().close();
            return linked.get();
          }
        }
        return new ArrowBatchCursor(rows.stream(), compress);
      }
      return new ArrowStreamCursor(rows.stream());
    }
    long count = ((StatementResult.UpdateCount) result).count();
    return new FixedRowsCursor(
        List.of(ResultColumn.of("num_affected_rows", TTypeId.BIGINT_TYPE)),
        List.<Object[]>of(new Object[] {count}));
  }

  /**
   * CloudFetch links to the stored chunks of a finished result of at least {@link
   * ThriftConfig#cloudFetchMinBytes()}; empty for a smaller result (sent inline) or one whose
   * chunks are not all stored yet.
   */
  private Optional<LinkCursor> linkCursor(
      Session session, String statementId, Schema schema, boolean lz4) {
    StatementStatus status = service.await(session, statementId, Duration.ZERO);
    long deadline = System.nanoTime() + RESULT_STORED_WAIT.toNanos();
    while (status.state() == StatementState.SUCCEEDED
        && !status.resultComplete()
        && System.nanoTime() < deadline) {
      Thread.onSpinWait();
      status = service.status(session, statementId);
    }
    if (status.state() != StatementState.SUCCEEDED
        || !status.resultComplete()
        || status.bytes() < config.cloudFetchMinBytes()) {
      return Optional.empty();
    }
    List<LinkCursor.Chunk> chunks = new ArrayList<>();
    long offset = 0;
    for (int i = 0; i < status.chunks(); i++) {
      int index = i;
      ResultChunk c =
          service
              .chunk(session, statementId, i, RESULT_STORED_WAIT)
              .orElseThrow(
                  () ->
                      GatewayErrorCode.INTERNAL_ERROR.exception(
                          "chunk " + index + " of statement " + statementId + " is not stored"));
      chunks.add(new LinkCursor.Chunk(i, offset, c.rowCount(), c.arrowIpc().length));
      offset += c.rowCount();
    }
    Links to = links.orElseThrow();
    String format = CloudFetchChunks.format(lz4);
    return Optional.of(
        new LinkCursor(
            ThriftTypes.columns(schema),
            CloudFetchChunks.schemaMessage(schema),
            lz4,
            chunks,
            index -> to.links().link(to.baseUrl(), statementId, index, format)));
  }

  private TSparkDirectResults directResults(
      ThriftOperation op, StatementStatus status, TSparkGetDirectResults asked) {
    TSparkDirectResults direct = new TSparkDirectResults();
    direct.setOperationStatus(operationStatus(status));
    if (status.state() == StatementState.SUCCEEDED) {
      direct.setResultSetMetadata(metadata(op));
      direct.setResultSet(fetch(op, asked.getMaxRows(), false, false));
    }
    return direct;
  }

  @Override
  public TGetOperationStatusResp GetOperationStatus(TGetOperationStatusReq req) {
    return answer(
        TGetOperationStatusResp::new,
        () -> {
          ThriftOperation op = registry.operation(req.getOperationHandle(), principal);
          if (op.statementId().isEmpty()) {
            TGetOperationStatusResp resp = new TGetOperationStatusResp(ThriftStatuses.ok());
            resp.setOperationState(TOperationState.FINISHED_STATE);
            resp.setHasResultSet(true);
            return resp;
          }
          return operationStatus(
              service.await(
                  op.session().session(), op.statementId().get(), config.statusPollWait()));
        },
        (r, s) -> r.setStatus(s));
  }

  private static TGetOperationStatusResp operationStatus(StatementStatus status) {
    TGetOperationStatusResp resp = new TGetOperationStatusResp(ThriftStatuses.ok());
    resp.setOperationState(
        switch (status.state()) {
          case PENDING -> TOperationState.PENDING_STATE;
          case RUNNING -> TOperationState.RUNNING_STATE;
          case SUCCEEDED -> TOperationState.FINISHED_STATE;
          case FAILED -> TOperationState.ERROR_STATE;
          // A statement its STATEMENT_TIMEOUT canceled fails (57014), as on Databricks; the
          // drivers report no SQLSTATE for a canceled operation.
          case CANCELED ->
              status.error().isPresent()
                      && status
                          .error()
                          .get()
                          .errorClass()
                          .equals(GatewayErrorCode.STATEMENT_TIMEOUT.name())
                  ? TOperationState.ERROR_STATE
                  : TOperationState.CANCELED_STATE;
          case CLOSED -> TOperationState.CLOSED_STATE;
        });
    resp.setOperationStarted(status.submittedAt().toEpochMilli());
    status.endedAt().ifPresent(t -> resp.setOperationCompleted(t.toEpochMilli()));
    resp.setHasResultSet(true);
    status.updateCount().ifPresent(resp::setNumModifiedRows);
    status
        .error()
        .ifPresent(
            e -> {
              resp.setSqlState(e.sqlState());
              resp.setErrorMessage(ThriftStatuses.message(e));
              resp.setDisplayMessage(e.message());
              resp.setErrorDetailsJson(ThriftStatuses.error(e).getErrorDetailsJson());
            });
    return resp;
  }

  @Override
  public TGetResultSetMetadataResp GetResultSetMetadata(TGetResultSetMetadataReq req) {
    return answer(
        TGetResultSetMetadataResp::new,
        () -> metadata(registry.operation(req.getOperationHandle(), principal)),
        (r, s) -> r.setStatus(s));
  }

  private static TGetResultSetMetadataResp metadata(ThriftOperation op) {
    List<ResultColumn> columns = op.cursor().columns();
    List<TColumnDesc> descs = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      descs.add(columns.get(i).describe(i + 1));
    }
    TGetResultSetMetadataResp resp = new TGetResultSetMetadataResp(ThriftStatuses.ok());
    resp.setSchema(new TTableSchema(descs));
    if (op.cursor().format() == ResultCursor.Format.ARROW) {
      resp.setResultFormat(TSparkRowSetType.ARROW_BASED_SET);
      resp.setArrowSchema(op.cursor().arrowSchema());
      resp.setLz4Compressed(op.cursor().lz4Compressed());
    } else if (op.cursor().format() == ResultCursor.Format.LINKS) {
      resp.setResultFormat(TSparkRowSetType.URL_BASED_SET);
      resp.setArrowSchema(op.cursor().arrowSchema());
      resp.setLz4Compressed(op.cursor().lz4Compressed());
    } else {
      resp.setResultFormat(TSparkRowSetType.COLUMN_BASED_SET);
    }
    return resp;
  }

  @Override
  public TFetchResultsResp FetchResults(TFetchResultsReq req) {
    return answer(
        TFetchResultsResp::new,
        () -> {
          ThriftOperation op = registry.operation(req.getOperationHandle(), principal);
          if (req.getFetchType() != 0) {
            throw GatewayErrorCode.UNSUPPORTED_FEATURE.exception(
                "fetching operation logs (fetchType " + req.getFetchType() + ") is not supported");
          }
          TFetchOrientation orientation =
              req.getOrientation() == null ? TFetchOrientation.FETCH_NEXT : req.getOrientation();
          if (orientation != TFetchOrientation.FETCH_NEXT
              && orientation != TFetchOrientation.FETCH_FIRST) {
            throw GatewayErrorCode.FETCH_ORIENTATION_NOT_SUPPORTED.exception(
                "Fetch orientation "
                    + orientation
                    + " is not supported: results are read forward (FETCH_NEXT), or again from"
                    + " the first row (FETCH_FIRST)");
          }
          return fetch(
              op,
              req.getMaxRows(),
              orientation == TFetchOrientation.FETCH_FIRST,
              req.isSetStartRowOffset()
                  ? OptionalLong.of(req.getStartRowOffset())
                  : OptionalLong.empty(),
              req.isIncludeResultSetMetadata());
        },
        (r, s) -> r.setStatus(s));
  }

  private static TFetchResultsResp fetch(
      ThriftOperation op, long maxRows, boolean first, boolean withMetadata) {
    return fetch(op, maxRows, first, OptionalLong.empty(), withMetadata);
  }

  /**
   * The next page of an operation's result; from the first row with {@code first}; for CloudFetch
   * links, from the chunk holding row {@code startRowOffset} when the client names one (it does to
   * renew expired links).
   */
  private static TFetchResultsResp fetch(
      ThriftOperation op,
      long maxRows,
      boolean first,
      OptionalLong startRowOffset,
      boolean withMetadata) {
    synchronized (op) {
      if (first && op.offset() > 0) {
        op.rewind();
      }
      ResultCursor cursor = op.cursor();
      int rows;
      if (cursor instanceof LinkCursor linked) {
        rows = maxRows <= 0 ? Integer.MAX_VALUE : (int) Math.min(maxRows, Integer.MAX_VALUE);
        if (startRowOffset.isPresent() && !first) {
          op.moveTo(linked.seek(startRowOffset.getAsLong()));
        }
      } else {
        rows = maxRows <= 0 ? DEFAULT_PAGE_ROWS : (int) Math.min(maxRows, (long) MAX_PAGE_ROWS);
      }
      long start = op.offset();
      ResultCursor.Page page = cursor.next(rows);
      op.advance(page.rows());
      TRowSet rowSet = new TRowSet(start, new ArrayList<>());
      if (cursor.format() == ResultCursor.Format.LINKS) {
        rowSet.setResultLinks(new ArrayList<>(page.links()));
      } else if (cursor.format() == ResultCursor.Format.ARROW) {
        rowSet.setArrowBatches(new ArrayList<>(page.arrowBatches()));
      } else {
        rowSet.setColumns(new ArrayList<>(page.columns()));
        rowSet.setColumnCount(page.columns().size());
      }
      TFetchResultsResp resp = new TFetchResultsResp(ThriftStatuses.ok());
      resp.setHasMoreRows(page.hasMore());
      resp.setResults(rowSet);
      if (withMetadata) {
        resp.setResultSetMetadata(metadata(op));
      }
      return resp;
    }
  }

  @Override
  public TCancelOperationResp CancelOperation(TCancelOperationReq req) {
    return answer(
        TCancelOperationResp::new,
        () -> {
          ThriftOperation op = registry.operation(req.getOperationHandle(), principal);
          LOG.debug("CancelOperation of statement {}", op.statementId());
          if (op.statementId().isPresent()) {
            service.cancel(op.session().session(), op.statementId().get());
          }
          return new TCancelOperationResp(ThriftStatuses.ok());
        },
        (r, s) -> r.setStatus(s));
  }

  @Override
  public TCloseOperationResp CloseOperation(TCloseOperationReq req) {
    return answer(
        TCloseOperationResp::new,
        () -> {
          ThriftOperation op = registry.operation(req.getOperationHandle(), principal);
          registry.remove(op);
          closeStatement(op);
          return new TCloseOperationResp(ThriftStatuses.ok());
        },
        (r, s) -> r.setStatus(s));
  }

  private void closeStatement(ThriftOperation op) {
    if (op.statementId().isEmpty()) {
      return;
    }
    try {
      service.close(op.session().session(), op.statementId().get());
    } catch (GatewayException e) {
      if (!e.errorClass().equals(GatewayErrorCode.STATEMENT_NOT_FOUND.name())) {
        throw e;
      }
    }
  }

  // ---- metadata ----

  @Override
  public TGetCatalogsResp GetCatalogs(TGetCatalogsReq req) {
    return answer(
        TGetCatalogsResp::new,
        () -> {
          ThriftSession ts = registry.session(req.getSessionHandle(), principal);
          ThriftOperation op =
              listing(
                  ts,
                  TOperationType.GET_CATALOGS,
                  MetadataListings.CATALOGS,
                  MetadataListings.catalogs(service, ts.session()));
          return new TGetCatalogsResp(ThriftStatuses.ok())
              .setOperationHandle(op.wire())
              .setDirectResults(
                  req.isSetGetDirectResults()
                      ? listingResults(op, req.getGetDirectResults())
                      : null);
        },
        (r, s) -> r.setStatus(s));
  }

  @Override
  public TGetSchemasResp GetSchemas(TGetSchemasReq req) {
    return answer(
        TGetSchemasResp::new,
        () -> {
          ThriftSession ts = registry.session(req.getSessionHandle(), principal);
          ThriftOperation op =
              listing(
                  ts,
                  TOperationType.GET_SCHEMAS,
                  MetadataListings.SCHEMAS,
                  MetadataListings.schemas(
                      service, ts.session(), req.getCatalogName(), req.getSchemaName()));
          return new TGetSchemasResp(ThriftStatuses.ok())
              .setOperationHandle(op.wire())
              .setDirectResults(
                  req.isSetGetDirectResults()
                      ? listingResults(op, req.getGetDirectResults())
                      : null);
        },
        (r, s) -> r.setStatus(s));
  }

  @Override
  public TGetTablesResp GetTables(TGetTablesReq req) {
    return answer(
        TGetTablesResp::new,
        () -> {
          ThriftSession ts = registry.session(req.getSessionHandle(), principal);
          ThriftOperation op =
              listing(
                  ts,
                  TOperationType.GET_TABLES,
                  MetadataListings.TABLES,
                  MetadataListings.tables(
                      service,
                      ts.session(),
                      req.getCatalogName(),
                      req.getSchemaName(),
                      req.getTableName(),
                      req.getTableTypes()));
          return new TGetTablesResp(ThriftStatuses.ok())
              .setOperationHandle(op.wire())
              .setDirectResults(
                  req.isSetGetDirectResults()
                      ? listingResults(op, req.getGetDirectResults())
                      : null);
        },
        (r, s) -> r.setStatus(s));
  }

  @Override
  public TGetTableTypesResp GetTableTypes(TGetTableTypesReq req) {
    return answer(
        TGetTableTypesResp::new,
        () -> {
          ThriftSession ts = registry.session(req.getSessionHandle(), principal);
          ThriftOperation op =
              listing(
                  ts,
                  TOperationType.GET_TABLE_TYPES,
                  MetadataListings.TABLE_TYPES,
                  MetadataListings.tableTypes());
          return new TGetTableTypesResp(ThriftStatuses.ok()).setOperationHandle(op.wire());
        },
        (r, s) -> r.setStatus(s));
  }

  @Override
  public TGetColumnsResp GetColumns(TGetColumnsReq req) {
    return answer(
        TGetColumnsResp::new,
        () -> {
          ThriftSession ts = registry.session(req.getSessionHandle(), principal);
          ThriftOperation op =
              listing(
                  ts,
                  TOperationType.GET_COLUMNS,
                  MetadataListings.COLUMNS,
                  MetadataListings.columns(
                      service,
                      ts.session(),
                      req.getCatalogName(),
                      req.getSchemaName(),
                      req.getTableName(),
                      req.getColumnName()));
          return new TGetColumnsResp(ThriftStatuses.ok())
              .setOperationHandle(op.wire())
              .setDirectResults(
                  req.isSetGetDirectResults()
                      ? listingResults(op, req.getGetDirectResults())
                      : null);
        },
        (r, s) -> r.setStatus(s));
  }

  @Override
  public TGetTypeInfoResp GetTypeInfo(TGetTypeInfoReq req) {
    return answer(
        TGetTypeInfoResp::new,
        () -> {
          ThriftSession ts = registry.session(req.getSessionHandle(), principal);
          ThriftOperation op =
              listing(
                  ts,
                  TOperationType.GET_TYPE_INFO,
                  MetadataListings.TYPE_INFO,
                  MetadataListings.typeInfo());
          return new TGetTypeInfoResp(ThriftStatuses.ok())
              .setOperationHandle(op.wire())
              .setDirectResults(
                  req.isSetGetDirectResults()
                      ? listingResults(op, req.getGetDirectResults())
                      : null);
        },
        (r, s) -> r.setStatus(s));
  }

  @Override
  public TGetPrimaryKeysResp GetPrimaryKeys(TGetPrimaryKeysReq req) {
    return answer(
        TGetPrimaryKeysResp::new,
        () -> {
          ThriftSession ts = registry.session(req.getSessionHandle(), principal);
          ThriftOperation op =
              listing(
                  ts,
                  TOperationType.UNKNOWN,
                  MetadataListings.PRIMARY_KEYS,
                  MetadataListings.primaryKeys(
                      service,
                      ts.session(),
                      req.getCatalogName(),
                      req.getSchemaName(),
                      req.getTableName()));
          return new TGetPrimaryKeysResp(ThriftStatuses.ok())
              .setOperationHandle(op.wire())
              .setDirectResults(
                  req.isSetGetDirectResults()
                      ? listingResults(op, req.getGetDirectResults())
                      : null);
        },
        (r, s) -> r.setStatus(s));
  }

  @Override
  public TGetCrossReferenceResp GetCrossReference(TGetCrossReferenceReq req) {
    return answer(
        TGetCrossReferenceResp::new,
        () -> {
          ThriftSession ts = registry.session(req.getSessionHandle(), principal);
          // Aquifer tables declare no primary or foreign keys: an existing table has no rows.
          if (req.getForeignTableName() != null) {
            MetadataListings.primaryKeys(
                service,
                ts.session(),
                req.getForeignCatalogName(),
                req.getForeignSchemaName(),
                req.getForeignTableName());
          }
          if (req.getParentTableName() != null) {
            MetadataListings.primaryKeys(
                service,
                ts.session(),
                req.getParentCatalogName(),
                req.getParentSchemaName(),
                req.getParentTableName());
          }
          ThriftOperation op =
              listing(ts, TOperationType.UNKNOWN, MetadataListings.CROSS_REFERENCE, List.of());
          return new TGetCrossReferenceResp(ThriftStatuses.ok())
              .setOperationHandle(op.wire())
              .setDirectResults(
                  req.isSetGetDirectResults()
                      ? listingResults(op, req.getGetDirectResults())
                      : null);
        },
        (r, s) -> r.setStatus(s));
  }

  @Override
  public TGetFunctionsResp GetFunctions(TGetFunctionsReq req) {
    return answer(
        TGetFunctionsResp::new,
        () -> {
          ThriftSession ts = registry.session(req.getSessionHandle(), principal);
          ThriftOperation op =
              listing(
                  ts,
                  TOperationType.GET_FUNCTIONS,
                  MetadataListings.FUNCTIONS,
                  MetadataListings.functions(
                      req.getCatalogName(), req.getSchemaName(), req.getFunctionName()));
          return new TGetFunctionsResp(ThriftStatuses.ok())
              .setOperationHandle(op.wire())
              .setDirectResults(
                  req.isSetGetDirectResults()
                      ? listingResults(op, req.getGetDirectResults())
                      : null);
        },
        (r, s) -> r.setStatus(s));
  }

  private ThriftOperation listing(
      ThriftSession ts, TOperationType type, List<ResultColumn> columns, List<Object[]> rows) {
    return registry.add(ThriftOperation.listing(ts, type, columns, rows));
  }

  private static TSparkDirectResults listingResults(
      ThriftOperation op, TSparkGetDirectResults asked) {
    TSparkDirectResults direct = new TSparkDirectResults();
    TGetOperationStatusResp status = new TGetOperationStatusResp(ThriftStatuses.ok());
    status.setOperationState(TOperationState.FINISHED_STATE);
    status.setHasResultSet(true);
    direct.setOperationStatus(status);
    direct.setResultSetMetadata(metadata(op));
    direct.setResultSet(fetch(op, asked.getMaxRows(), false, false));
    return direct;
  }

  // ---- delegation tokens: Kerberos only, not offered ----

  @Override
  public TGetDelegationTokenResp GetDelegationToken(TGetDelegationTokenReq req) {
    return new TGetDelegationTokenResp(unsupported("GetDelegationToken"));
  }

  @Override
  public TCancelDelegationTokenResp CancelDelegationToken(TCancelDelegationTokenReq req) {
    return new TCancelDelegationTokenResp(unsupported("CancelDelegationToken"));
  }

  @Override
  public TRenewDelegationTokenResp RenewDelegationToken(TRenewDelegationTokenReq req) {
    return new TRenewDelegationTokenResp(unsupported("RenewDelegationToken"));
  }

  private static TStatus unsupported(String call) {
    return ThriftStatuses.error(
        GatewayErrorCode.UNSUPPORTED_FEATURE.exception(call + " is not supported"));
  }

  // ---- plumbing ----

  private interface StatusSetter<R> {
    void set(R response, TStatus status);
  }

  /** Runs a call; a failure becomes the response's error status. */
  private static <R> R answer(Supplier<R> empty, Supplier<R> call, StatusSetter<R> setStatus) {
    TStatus status;
    try {
      return call.get();
    } catch (GatewayException e) {
      status = ThriftStatuses.error(e);
    } catch (DatabricksApiException e) {
      status = ThriftStatuses.error(e);
    }
    R response = empty.get();
    setStatus.set(response, status);
    return response;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}

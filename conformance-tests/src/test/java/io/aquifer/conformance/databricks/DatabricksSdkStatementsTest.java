package io.aquifer.conformance.databricks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.core.DatabricksConfig;
import com.databricks.sdk.core.DatabricksError;
import com.databricks.sdk.service.sql.CancelExecutionRequest;
import com.databricks.sdk.service.sql.ColumnInfo;
import com.databricks.sdk.service.sql.Disposition;
import com.databricks.sdk.service.sql.ExecuteStatementRequest;
import com.databricks.sdk.service.sql.ExecuteStatementRequestOnWaitTimeout;
import com.databricks.sdk.service.sql.ExternalLink;
import com.databricks.sdk.service.sql.Format;
import com.databricks.sdk.service.sql.ListQueriesResponse;
import com.databricks.sdk.service.sql.ListQueryHistoryRequest;
import com.databricks.sdk.service.sql.QueryFilter;
import com.databricks.sdk.service.sql.QueryInfo;
import com.databricks.sdk.service.sql.QueryStatementType;
import com.databricks.sdk.service.sql.QueryStatus;
import com.databricks.sdk.service.sql.ResultData;
import com.databricks.sdk.service.sql.StatementParameterListItem;
import com.databricks.sdk.service.sql.StatementResponse;
import com.databricks.sdk.service.sql.StatementState;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aquifer.conformance.ConformanceServer;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Statement Execution API 2.0 through Databricks' own Java SDK (databricks-sdk-java), against a
 * real server: execute, poll, cancel, chunks, external links, limits, and error shapes.
 */
class DatabricksSdkStatementsTest {
  /** Rows of {@code big}: enough for several 4 MiB result chunks. */
  private static final long BIG_ROWS = 1L << 19;

  @TempDir static Path dataDirectory;
  private static ConformanceServer server;
  private static WorkspaceClient client;
  private static String host;

  @BeforeAll
  static void start() {
    try {
      // On S3 (the on-s3 run) every stored chunk is an object below <root>/results/.
      server =
          ConformanceServer.start(dataDirectory, ConformanceServer.storedResultsInStorageRoot());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    host = server.server().databricksRest().baseUrl();
    client = new WorkspaceClient(new DatabricksConfig().setHost(host).setToken(server.token()));
    run("CREATE TABLE big (id BIGINT, label STRING)");
    run("INSERT INTO big VALUES (0, 'row-number-0000000000')");
    for (long n = 1; n < BIG_ROWS; n *= 2) {
      run("INSERT INTO big SELECT id + " + n + ", label FROM big");
    }
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static StatementResponse run(String sql) {
    StatementResponse r =
        client.statementExecution().executeStatement(request(sql).setWaitTimeout("50s"));
    assertEquals(
        StatementState.SUCCEEDED, r.getStatus().getState(), () -> sql + ": " + r.getStatus());
    return r;
  }

  private static ExecuteStatementRequest request(String sql) {
    return new ExecuteStatementRequest()
        .setWarehouseId(server.server().databricksRest().warehouseId())
        .setStatement(sql);
  }

  private static StatementResponse awaitEnd(String statementId) {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    StatementResponse r = client.statementExecution().getStatement(statementId);
    while ((r.getStatus().getState() == StatementState.PENDING
            || r.getStatus().getState() == StatementState.RUNNING)
        && System.nanoTime() < deadline) {
      r = client.statementExecution().getStatement(statementId);
    }
    return r;
  }

  @Test
  void inlineResultCarriesRowsAsStringsAndADatabricksManifest() {
    StatementResponse r =
        run(
            "SELECT 1 AS one, CAST(2 AS BIGINT) AS two, 'a' AS s, CAST(NULL AS INT) AS n,"
                + " CAST(1.25 AS DECIMAL(5,2)) AS d, DATE '2024-02-29' AS day");
    List<ColumnInfo> columns = new ArrayList<>(r.getManifest().getSchema().getColumns());
    assertEquals(6L, r.getManifest().getSchema().getColumnCount());
    assertEquals("one", columns.get(0).getName());
    assertEquals("INT", columns.get(0).getTypeName().name());
    assertEquals("LONG", columns.get(1).getTypeName().name());
    assertEquals("STRING", columns.get(2).getTypeName().name());
    assertEquals("DECIMAL", columns.get(4).getTypeName().name());
    assertEquals("decimal(5,2)", columns.get(4).getTypeText());
    assertEquals("DATE", columns.get(5).getTypeName().name());
    assertEquals(Format.JSON_ARRAY, r.getManifest().getFormat());
    assertEquals(1L, r.getManifest().getTotalRowCount());
    List<String> row = rows(r.getResult()).get(0);
    assertEquals("1", row.get(0));
    assertEquals("2", row.get(1));
    assertEquals("a", row.get(2));
    assertNull(row.get(3));
    assertEquals("1.25", row.get(4));
    assertEquals("2024-02-29", row.get(5));
  }

  @Test
  void namedTypedParametersBindAndCatalogSchemaApply() {
    StatementResponse r =
        client
            .statementExecution()
            .executeStatement(
                request(
                        "SELECT :n + 1 AS n_plus_one, :s AS s, ':not_a_marker' AS literal, count(*) AS c"
                            + " FROM big WHERE id < :limit")
                    .setCatalog("main")
                    .setSchema("default")
                    .setParameters(
                        List.of(
                            new StatementParameterListItem()
                                .setName("n")
                                .setValue("41")
                                .setType("INT"),
                            new StatementParameterListItem().setName("s").setValue("it's"),
                            new StatementParameterListItem()
                                .setName("limit")
                                .setValue("10")
                                .setType("BIGINT"))));
    assertEquals(
        StatementState.SUCCEEDED, r.getStatus().getState(), () -> r.getStatus().toString());
    assertEquals(List.of("42", "it's", ":not_a_marker", "10"), rows(r.getResult()).get(0));
  }

  @Test
  void sqlErrorsAreFailedStatementsWithErrorClassAndSqlState() {
    StatementResponse r =
        client.statementExecution().executeStatement(request("SELECT * FROM no_such_table"));
    assertEquals(StatementState.FAILED, r.getStatus().getState());
    assertEquals("BAD_REQUEST", r.getStatus().getError().getErrorCode().name());
    assertTrue(
        r.getStatus().getError().getMessage().startsWith("[TABLE_OR_VIEW_NOT_FOUND]"),
        r.getStatus().getError().getMessage());
    assertEquals("42P01", r.getStatus().getSqlState());
    assertNull(r.getManifest());
  }

  @Test
  void badRequestsAndUnknownIdsAnswerWithDatabricksErrorJson() {
    DatabricksError badWait =
        assertThrows(
            DatabricksError.class,
            () ->
                client
                    .statementExecution()
                    .executeStatement(request("SELECT 1").setWaitTimeout("3s")));
    assertEquals(400, badWait.getStatusCode());
    assertEquals("INVALID_PARAMETER_VALUE", badWait.getErrorCode());
    DatabricksError inlineArrow =
        assertThrows(
            DatabricksError.class,
            () ->
                client
                    .statementExecution()
                    .executeStatement(request("SELECT 1").setFormat(Format.ARROW_STREAM)));
    assertEquals("INVALID_PARAMETER_VALUE", inlineArrow.getErrorCode());
    DatabricksError wrongWarehouse =
        assertThrows(
            DatabricksError.class,
            () ->
                client
                    .statementExecution()
                    .executeStatement(request("SELECT 1").setWarehouseId("nope")));
    assertEquals(404, wrongWarehouse.getStatusCode());
    DatabricksError unknown =
        assertThrows(
            DatabricksError.class,
            () -> client.statementExecution().getStatement("00000000-0000-0000-0000-000000000000"));
    assertEquals(404, unknown.getStatusCode());
    assertEquals("RESOURCE_DOES_NOT_EXIST", unknown.getErrorCode());
  }

  @Test
  void aWrongTokenIsUnauthenticated() {
    WorkspaceClient stranger =
        new WorkspaceClient(new DatabricksConfig().setHost(host).setToken("dapi-not-a-token"));
    DatabricksError e =
        assertThrows(
            DatabricksError.class,
            () -> stranger.statementExecution().executeStatement(request("SELECT 1")));
    assertEquals(401, e.getStatusCode());
    assertEquals("UNAUTHENTICATED", e.getErrorCode());
  }

  @Test
  void asyncStatementIsPolledToItsEndAndReadChunkByChunk() {
    StatementResponse submitted =
        client
            .statementExecution()
            .executeStatement(
                request("SELECT id, label FROM big ORDER BY id").setWaitTimeout("0s"));
    assertNotNull(submitted.getStatementId());
    StatementResponse done = awaitEnd(submitted.getStatementId());
    assertEquals(StatementState.SUCCEEDED, done.getStatus().getState());
    long chunks = done.getManifest().getTotalChunkCount();
    assertTrue(chunks > 1, "expected several chunks, got " + chunks);
    assertEquals(BIG_ROWS, done.getManifest().getTotalRowCount());
    assertEquals(chunks, done.getManifest().getChunks().size());
    long rows = rows(done.getResult()).size();
    assertEquals(1L, done.getResult().getNextChunkIndex());
    for (long i = 1; i < chunks; i++) {
      ResultData chunk =
          client.statementExecution().getStatementResultChunkN(submitted.getStatementId(), i);
      assertEquals(i, chunk.getChunkIndex());
      assertEquals(rows, chunk.getRowOffset());
      List<List<String>> data = rows(chunk);
      assertEquals(Long.toString(rows), data.get(0).get(0), "rows arrive in order");
      rows += data.size();
    }
    assertEquals(BIG_ROWS, rows);
  }

  @Test
  void rowLimitTruncatesTheResult() {
    StatementResponse r =
        client
            .statementExecution()
            .executeStatement(request("SELECT id FROM big ORDER BY id").setRowLimit(3L));
    assertEquals(StatementState.SUCCEEDED, r.getStatus().getState());
    assertEquals(3L, r.getManifest().getTotalRowCount());
    assertTrue(r.getManifest().getTruncated());
    assertEquals(List.of(List.of("0"), List.of("1"), List.of("2")), rows(r.getResult()));
  }

  @Test
  void byteLimitCutsTheResultAtTheRowThatReachesIt() {
    String sql = "SELECT id, label FROM big ORDER BY id LIMIT 1000";
    StatementResponse whole = run(sql);
    assertEquals(1, whole.getManifest().getTotalChunkCount(), "one chunk: cuts are within it");
    assertEquals(1000L, whole.getManifest().getTotalRowCount());
    assertFalse(whole.getManifest().getTruncated());

    StatementResponse cut = run(request(sql).setByteLimit(4000L));
    long n = cut.getManifest().getTotalRowCount();
    assertTrue(cut.getManifest().getTruncated());
    assertTrue(n > 0 && n < 1000, "rows under the limit: " + n);
    List<List<String>> rows = rows(cut.getResult());
    assertEquals(n, rows.size());
    assertEquals(List.of("0", "row-number-0000000000"), rows.get(0));
    assertEquals(Long.toString(n - 1), rows.get(rows.size() - 1).get(0), "the first n rows");

    // Rows of one size: twice the limit keeps twice the rows, so the cut is at a row.
    long twice = run(request(sql).setByteLimit(8000L)).getManifest().getTotalRowCount();
    assertTrue(Math.abs(twice - 2 * n) <= 1, n + " rows, then " + twice);

    StatementResponse roomy = run(request(sql).setByteLimit(10_000_000L));
    assertEquals(1000L, roomy.getManifest().getTotalRowCount());
    assertFalse(roomy.getManifest().getTruncated());
  }

  @Test
  void dmlAnswersWithTheNumberOfAffectedRows() {
    run("CREATE TABLE small (x INT)");
    StatementResponse r = run("INSERT INTO small VALUES (1), (2), (3)");
    assertEquals(
        "num_affected_rows", r.getManifest().getSchema().getColumns().iterator().next().getName());
    assertEquals(List.of(List.of("3")), rows(r.getResult()));
  }

  @Test
  void externalLinksServeArrowCsvAndJsonWithoutTheToken() throws Exception {
    RootAllocator allocator = new RootAllocator();
    try (allocator) {
      StatementResponse arrow =
          run(
              request("SELECT id FROM big ORDER BY id")
                  .setDisposition(Disposition.EXTERNAL_LINKS)
                  .setFormat(Format.ARROW_STREAM));
      long chunks = arrow.getManifest().getTotalChunkCount();
      long total = 0;
      String statementId = arrow.getStatementId();
      ExternalLink link = arrow.getResult().getExternalLinks().iterator().next();
      for (long i = 0; i < chunks; i++) {
        if (i > 0) {
          link =
              client
                  .statementExecution()
                  .getStatementResultChunkN(statementId, i)
                  .getExternalLinks()
                  .iterator()
                  .next();
        }
        assertNotNull(link.getExpiration());
        byte[] body = download(link.getExternalLink(), 200);
        try (ArrowStreamReader reader =
            new ArrowStreamReader(new ByteArrayInputStream(body), allocator)) {
          VectorSchemaRoot root = reader.getVectorSchemaRoot();
          while (reader.loadNextBatch()) {
            BigIntVector id = (BigIntVector) root.getVector("id");
            assertEquals(total, id.get(0));
            total += root.getRowCount();
          }
        }
        assertEquals(link.getRowOffset() + link.getRowCount(), total);
      }
      assertEquals(BIG_ROWS, total);
      String tampered = link.getExternalLink().replace("signature=", "signature=x");
      download(tampered, 403);
    }

    StatementResponse csv =
        run(
            request("SELECT id, label FROM big WHERE id < 2 ORDER BY id")
                .setDisposition(Disposition.EXTERNAL_LINKS)
                .setFormat(Format.CSV));
    String text =
        new String(
            download(csv.getResult().getExternalLinks().iterator().next().getExternalLink(), 200),
            StandardCharsets.UTF_8);
    assertEquals("id,label\r\n0,row-number-0000000000\r\n1,row-number-0000000000\r\n", text);

    StatementResponse json =
        run(
            request("SELECT id FROM big WHERE id < 2 ORDER BY id")
                .setDisposition(Disposition.EXTERNAL_LINKS)
                .setFormat(Format.JSON_ARRAY));
    JsonNode rows =
        new ObjectMapper()
            .readTree(
                download(
                    json.getResult().getExternalLinks().iterator().next().getExternalLink(), 200));
    assertEquals("[[\"0\"],[\"1\"]]", rows.toString());
  }

  @Test
  void cancelStopsARunningStatement() {
    String slow = "SELECT count(*) FROM big a, big b WHERE (a.id * 7 + b.id) % 1000003 = 17";
    StatementResponse submitted =
        client.statementExecution().executeStatement(request(slow).setWaitTimeout("0s"));
    client
        .statementExecution()
        .cancelExecution(new CancelExecutionRequest().setStatementId(submitted.getStatementId()));
    assertEquals(
        StatementState.CANCELED, awaitEnd(submitted.getStatementId()).getStatus().getState());

    StatementResponse timedOut =
        client
            .statementExecution()
            .executeStatement(
                request(slow)
                    .setWaitTimeout("5s")
                    .setOnWaitTimeout(ExecuteStatementRequestOnWaitTimeout.CANCEL));
    assertEquals(StatementState.CANCELED, timedOut.getStatus().getState());
    assertFalse(timedOut.getStatus().getState() == StatementState.SUCCEEDED);
  }

  @Test
  void queryHistoryListsStatementsWithFiltersMetricsAndPages() {
    String ok = run("SELECT 'history-probe' AS p").getStatementId();
    String failed =
        client
            .statementExecution()
            .executeStatement(request("SELECT * FROM history_missing"))
            .getStatementId();
    ListQueriesResponse one = awaitHistory(ok);
    QueryInfo q = one.getRes().iterator().next();
    assertEquals(ok, q.getQueryId());
    assertEquals(QueryStatus.FINISHED, q.getStatus());
    assertEquals("SELECT 'history-probe' AS p", q.getQueryText());
    assertEquals(QueryStatementType.SELECT, q.getStatementType());
    assertEquals("admin", q.getUserName());
    assertEquals(1L, q.getRowsProduced());
    assertNotNull(q.getQueryStartTimeMs());
    assertNotNull(q.getMetrics());
    assertEquals(1L, q.getMetrics().getRowsProducedCount());
    assertEquals(Boolean.FALSE, q.getMetrics().getResultFromCache());
    assertTrue(
        q.getMetrics().getCompilationTimeMs() + q.getMetrics().getExecutionTimeMs()
            <= q.getMetrics().getTotalTimeMs() + 1,
        q.getMetrics().toString());

    ListQueriesResponse failures =
        client
            .queryHistory()
            .list(
                new ListQueryHistoryRequest()
                    .setFilterBy(
                        new QueryFilter()
                            .setStatementIds(List.of(ok, failed))
                            .setStatuses(List.of(QueryStatus.FAILED))));
    assertEquals(1, failures.getRes().size());
    QueryInfo f = failures.getRes().iterator().next();
    assertEquals(failed, f.getQueryId());
    assertTrue(f.getErrorMessage().contains("history_missing"), f.getErrorMessage());

    ListQueriesResponse first =
        client.queryHistory().list(new ListQueryHistoryRequest().setMaxResults(1L));
    assertEquals(1, first.getRes().size());
    assertTrue(first.getHasNextPage());
    ListQueriesResponse second =
        client
            .queryHistory()
            .list(
                new ListQueryHistoryRequest()
                    .setMaxResults(1L)
                    .setPageToken(first.getNextPageToken()));
    assertFalse(
        first
            .getRes()
            .iterator()
            .next()
            .getQueryId()
            .equals(second.getRes().iterator().next().getQueryId()));
  }

  /**
   * The history entry of a statement, polled until it is listed (the history is written at end).
   */
  private static ListQueriesResponse awaitHistory(String statementId) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    ListQueriesResponse r;
    do {
      r =
          client
              .queryHistory()
              .list(
                  new ListQueryHistoryRequest()
                      .setIncludeMetrics(true)
                      .setFilterBy(new QueryFilter().setStatementIds(List.of(statementId))));
    } while ((r.getRes() == null || r.getRes().isEmpty()) && System.nanoTime() < deadline);
    assertNotNull(r.getRes());
    assertEquals(1, r.getRes().size());
    return r;
  }

  @Test
  void connectionFileNamesTheDatabricksEndpoint() throws Exception {
    JsonNode file = new ObjectMapper().readTree(dataDirectory.resolve("connection.json").toFile());
    JsonNode databricks = file.get("databricks");
    assertEquals(host, databricks.get("host").asText());
    String starter = server.server().warehouseStore().resolve("Starter Warehouse").id();
    assertEquals(starter, databricks.get("warehouseId").asText());
    assertEquals("/sql/1.0/warehouses/" + starter, databricks.get("httpPath").asText());
    assertTrue(databricks.get("jdbcUrl").asText().contains("useThriftClient=0"));
    assertTrue(
        databricks.get("jdbcUrl").asText().contains("httpPath=/sql/1.0/warehouses/" + starter));
  }

  private static StatementResponse run(ExecuteStatementRequest request) {
    StatementResponse r =
        client.statementExecution().executeStatement(request.setWaitTimeout("50s"));
    assertEquals(
        StatementState.SUCCEEDED, r.getStatus().getState(), () -> r.getStatus().toString());
    return r;
  }

  private static byte[] download(String url, int expectedStatus) throws Exception {
    HttpResponse<byte[]> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(expectedStatus, response.statusCode(), () -> new String(response.body()));
    return response.body();
  }

  private static List<List<String>> rows(ResultData data) {
    List<List<String>> out = new ArrayList<>();
    for (Collection<String> row : data.getDataArray()) {
      out.add(new ArrayList<>(row));
    }
    return out;
  }
}

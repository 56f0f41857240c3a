package io.aquifer.conformance.databricks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.databricks.internal.apache.thrift.protocol.TBinaryProtocol;
import com.databricks.internal.apache.thrift.transport.THttpClient;
import com.databricks.jdbc.model.client.thrift.generated.TCLIService;
import com.databricks.jdbc.model.client.thrift.generated.TCloseSessionReq;
import com.databricks.jdbc.model.client.thrift.generated.TExecuteStatementReq;
import com.databricks.jdbc.model.client.thrift.generated.TExecuteStatementResp;
import com.databricks.jdbc.model.client.thrift.generated.TFetchOrientation;
import com.databricks.jdbc.model.client.thrift.generated.TFetchResultsReq;
import com.databricks.jdbc.model.client.thrift.generated.TFetchResultsResp;
import com.databricks.jdbc.model.client.thrift.generated.TGetResultSetMetadataReq;
import com.databricks.jdbc.model.client.thrift.generated.TGetResultSetMetadataResp;
import com.databricks.jdbc.model.client.thrift.generated.TOpenSessionReq;
import com.databricks.jdbc.model.client.thrift.generated.TOpenSessionResp;
import com.databricks.jdbc.model.client.thrift.generated.TOperationHandle;
import com.databricks.jdbc.model.client.thrift.generated.TProtocolVersion;
import com.databricks.jdbc.model.client.thrift.generated.TSessionHandle;
import com.databricks.jdbc.model.client.thrift.generated.TSparkArrowResultLink;
import com.databricks.jdbc.model.client.thrift.generated.TSparkRowSetType;
import com.databricks.jdbc.model.client.thrift.generated.TStatusCode;
import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.core.DatabricksConfig;
import com.databricks.sdk.service.sql.Disposition;
import com.databricks.sdk.service.sql.ExecuteStatementRequest;
import com.databricks.sdk.service.sql.Format;
import com.databricks.sdk.service.sql.StatementResponse;
import com.databricks.sdk.service.sql.StatementState;
import io.aquifer.conformance.ConformanceServer;
import io.aquifer.rest.ChunkLinks;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CloudFetch: the whole TPC-H sample lineitem (60,175 rows at SF 0.01) through Databricks' JDBC
 * driver 3.4.5 in Thrift mode with result download on (its default: the rows come as signed links
 * to LZ4-framed Arrow chunks on the HTTP port), with it off ({@code EnableQueryResultDownload=0}:
 * inline Arrow batches) and in REST mode ({@code useThriftClient=0}), each compared with the rows
 * read through Flight SQL.
 */
class DatabricksCloudFetchTest {
  private static final String LINEITEM =
      "SELECT l_orderkey, l_partkey, l_suppkey, l_linenumber, l_quantity, l_extendedprice,"
          + " l_discount, l_tax, l_returnflag, l_linestatus, l_shipdate, l_commitdate,"
          + " l_receiptdate, l_shipinstruct, l_shipmode, l_comment"
          + " FROM samples.tpch_sf0_01.lineitem";
  private static final long LINEITEM_ROWS = 60_175;

  /** Six copies of lineitem: over 25 MiB, the limit of an INLINE result. */
  private static final String SIX_LINEITEMS =
      "SELECT l.*, r.copy FROM samples.tpch_sf0_01.lineitem l"
          + " CROSS JOIN (VALUES (1), (2), (3), (4), (5), (6)) AS r(copy)";

  @TempDir static Path dataDirectory;
  private static ConformanceServer server;
  private static String thriftUrl;
  private static Checksum flightSql;

  @BeforeAll
  static void start() throws Exception {
    // On S3 (the on-s3 run) every chunk behind a link is an object below <root>/results/.
    server =
        ConformanceServer.startWithSample(
            dataDirectory, ConformanceServer.storedResultsInStorageRoot());
    thriftUrl =
        server
                .server()
                .databricksRest()
                .thriftJdbcUrl(server.server().databricksRest().warehouseId())
            + ";UID=token;PWD="
            + server.token();
    try (Connection c = server.connect()) {
      flightSql = checksum(c);
    }
    assertEquals(LINEITEM_ROWS, flightSql.rows());
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static ChunkLinks links() {
    return server.server().databricksRest().chunkLinks();
  }

  @Test
  void cloudFetchDownloadsTheRowsAsChunksFromSignedLinks() throws SQLException {
    long before = links().downloads();
    try (Connection c = DriverManager.getConnection(thriftUrl)) {
      assertEquals(flightSql, checksum(c));
    }
    long downloads = links().downloads() - before;
    assertTrue(downloads > 1, "chunks downloaded through links: " + downloads);
  }

  @Test
  void withResultDownloadOffTheRowsComeInline() throws SQLException {
    long before = links().downloads();
    try (Connection c = DriverManager.getConnection(thriftUrl + ";EnableQueryResultDownload=0")) {
      assertEquals(flightSql, checksum(c));
    }
    assertEquals(before, links().downloads());
  }

  @Test
  void restModeReadsTheSameRows() throws SQLException {
    String url = server.server().databricksRest().jdbcUrl() + ";UID=token;PWD=" + server.token();
    try (Connection c = DriverManager.getConnection(url)) {
      assertEquals(flightSql, checksum(c));
    }
  }

  /**
   * REST mode asks for INLINE_OR_EXTERNAL_LINKS: a result over the 25 MiB INLINE limit comes as
   * external links (Arrow), which the driver downloads.
   */
  @Test
  void restModeDownloadsResultsOver25MibFromExternalLinks() throws SQLException {
    long expected;
    try (Connection c = server.connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT sum(l_orderkey) * 21 FROM samples.tpch_sf0_01.lineitem")) {
      assertTrue(rs.next());
      expected = rs.getLong(1);
    }
    String url = server.server().databricksRest().jdbcUrl() + ";UID=token;PWD=" + server.token();
    long before = links().downloads();
    long rows = 0;
    long sum = 0;
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(SIX_LINEITEMS)) {
      while (rs.next()) {
        rows++;
        sum += rs.getLong("l_orderkey") * rs.getInt("copy");
      }
    }
    assertEquals(6 * LINEITEM_ROWS, rows);
    assertEquals(expected, sum);
    long downloads = links().downloads() - before;
    assertTrue(downloads > 1, "chunks downloaded through links: " + downloads);
  }

  /** A small result stays inline even for a client that can download. */
  @Test
  void smallResultsStayInline() throws SQLException {
    long before = links().downloads();
    try (Connection c = DriverManager.getConnection(thriftUrl);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT count(*) FROM samples.tpch_sf0_01.lineitem WHERE l_tax > 0")) {
      assertTrue(rs.next());
      assertTrue(rs.getLong(1) > 0);
    }
    assertEquals(before, links().downloads());
  }

  /**
   * Through the driver jar's Thrift client: the links cover the result without gap, can be asked
   * again from a row offset (as the driver does to renew expired links), are refused when tampered
   * with, and FETCH_PRIOR answers a clear error instead of rows.
   */
  @Test
  void linksCoverTheResultAndOtherOrientationsAreRefused() throws Exception {
    String endpoint =
        server.server().databricksRest().baseUrl() + server.server().databricksRest().httpPath();
    THttpClient transport = new THttpClient(endpoint);
    transport.setCustomHeader("Authorization", "Bearer " + server.token());
    TCLIService.Client client = new TCLIService.Client(new TBinaryProtocol(transport));
    TOpenSessionReq open = new TOpenSessionReq();
    open.setClient_protocol_i64(TProtocolVersion.SPARK_CLI_SERVICE_PROTOCOL_V10.getValue());
    TOpenSessionResp opened = client.OpenSession(open);
    assertEquals(TStatusCode.SUCCESS_STATUS, opened.getStatus().getStatusCode());
    TSessionHandle session = opened.getSessionHandle();

    TExecuteStatementReq execute = new TExecuteStatementReq(session, LINEITEM);
    execute.setRunAsync(false);
    execute.setCanReadArrowResult(true);
    execute.setCanDownloadResult(true);
    execute.setCanDecompressLZ4Result(true);
    execute.setUseArrowNativeTypes(
        new com.databricks.jdbc.model.client.thrift.generated.TSparkArrowTypes()
            .setDecimalAsArrow(true)
            .setTimestampAsArrow(true));
    TExecuteStatementResp executed = client.ExecuteStatement(execute);
    assertEquals(TStatusCode.SUCCESS_STATUS, executed.getStatus().getStatusCode());
    TOperationHandle op = executed.getOperationHandle();

    TGetResultSetMetadataResp metadata =
        client.GetResultSetMetadata(new TGetResultSetMetadataReq(op));
    assertEquals(TSparkRowSetType.URL_BASED_SET, metadata.getResultFormat());
    assertTrue(metadata.isLz4Compressed());

    TFetchResultsResp first =
        client.FetchResults(new TFetchResultsReq(op, TFetchOrientation.FETCH_NEXT, 1_000_000));
    assertEquals(TStatusCode.SUCCESS_STATUS, first.getStatus().getStatusCode());
    List<TSparkArrowResultLink> links = first.getResults().getResultLinks();
    assertTrue(links.size() > 1, "links: " + links.size());
    long next = 0;
    for (TSparkArrowResultLink link : links) {
      assertEquals(next, link.getStartRowOffset());
      assertTrue(link.getExpiryTime() > System.currentTimeMillis());
      next += link.getRowCount();
    }
    assertEquals(LINEITEM_ROWS, next);
    assertFalse(first.isHasMoreRows());

    // Asked again from a row inside the second chunk: links from that chunk on.
    TSparkArrowResultLink second = links.get(1);
    TFetchResultsReq again = new TFetchResultsReq(op, TFetchOrientation.FETCH_NEXT, 1_000_000);
    again.setStartRowOffset(second.getStartRowOffset() + 1);
    TFetchResultsResp renewed = client.FetchResults(again);
    assertEquals(TStatusCode.SUCCESS_STATUS, renewed.getStatus().getStatusCode());
    assertEquals(
        second.getStartRowOffset(),
        renewed.getResults().getResultLinks().get(0).getStartRowOffset());
    assertEquals(links.size() - 1, renewed.getResults().getResultLinksSize());

    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<byte[]> chunk =
        http.send(
            HttpRequest.newBuilder(URI.create(second.getFileLink())).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, chunk.statusCode());
    // An LZ4 frame: magic number 0x184D2204, little-endian.
    assertEquals(0x04, chunk.body()[0]);
    assertEquals(0x22, chunk.body()[1]);
    assertEquals(0x4D, chunk.body()[2]);
    assertEquals(0x18, chunk.body()[3]);
    String tampered = second.getFileLink().replaceFirst("/(\\d+)\\?", "/0?");
    assertEquals(
        403,
        http.send(
                HttpRequest.newBuilder(URI.create(tampered)).build(),
                HttpResponse.BodyHandlers.discarding())
            .statusCode());

    TFetchResultsResp prior =
        client.FetchResults(new TFetchResultsReq(op, TFetchOrientation.FETCH_PRIOR, 100));
    assertEquals(TStatusCode.ERROR_STATUS, prior.getStatus().getStatusCode());
    assertEquals("HY106", prior.getStatus().getSqlState());
    assertTrue(
        prior.getStatus().getErrorMessage().contains("FETCH_ORIENTATION_NOT_SUPPORTED"),
        prior.getStatus().getErrorMessage());

    // FETCH_FIRST starts over: the first link again.
    TFetchResultsResp restart =
        client.FetchResults(new TFetchResultsReq(op, TFetchOrientation.FETCH_FIRST, 1_000_000));
    assertEquals(TStatusCode.SUCCESS_STATUS, restart.getStatus().getStatusCode());
    assertEquals(0, restart.getResults().getResultLinks().get(0).getStartRowOffset());

    client.CloseSession(new TCloseSessionReq(session));
    transport.close();
  }

  /**
   * Statement Execution API: an INLINE result over 25 MiB fails as on Databricks (no truncated
   * answer); the same statement with EXTERNAL_LINKS succeeds in several chunks.
   */
  @Test
  void inlineResultsOver25MibFailAndExternalLinksServeThem() {
    WorkspaceClient sdk =
        new WorkspaceClient(
            new DatabricksConfig()
                .setHost(server.server().databricksRest().baseUrl())
                .setToken(server.token()));
    String big = SIX_LINEITEMS;
    ExecuteStatementRequest request =
        new ExecuteStatementRequest()
            .setWarehouseId(server.server().databricksRest().warehouseId())
            .setStatement(big)
            .setWaitTimeout("50s");
    StatementResponse inline =
        sdk.statementExecution().executeStatement(request.setDisposition(Disposition.INLINE));
    assertEquals(StatementState.FAILED, inline.getStatus().getState(), () -> "" + inline);
    assertTrue(
        inline.getStatus().getError().getMessage().contains("25 MiB"),
        inline.getStatus().getError().getMessage());
    assertNull(inline.getResult());

    StatementResponse external =
        sdk.statementExecution()
            .executeStatement(
                request.setDisposition(Disposition.EXTERNAL_LINKS).setFormat(Format.ARROW_STREAM));
    assertEquals(StatementState.SUCCEEDED, external.getStatus().getState());
    assertEquals(6 * LINEITEM_ROWS, external.getManifest().getTotalRowCount());
    assertTrue(external.getManifest().getTotalByteCount() > 25L << 20);
    assertTrue(external.getManifest().getTotalChunkCount() > 1);
  }

  /** Row count and an order-independent digest of every row, values in one canonical form. */
  record Checksum(long rows, String digest) {}

  private static Checksum checksum(Connection c) throws SQLException {
    MessageDigest sha;
    long[] sum = new long[2];
    long rows = 0;
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(LINEITEM)) {
      while (rs.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= 4; i++) {
          row.append(rs.getLong(i)).append('|');
        }
        for (int i = 5; i <= 8; i++) {
          BigDecimal d = rs.getBigDecimal(i);
          row.append(d.setScale(2, RoundingMode.UNNECESSARY).toPlainString()).append('|');
        }
        for (int i = 9; i <= 16; i++) {
          row.append(rs.getString(i)).append('|');
        }
        try {
          sha = MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
          throw new IllegalStateException(e);
        }
        byte[] h = sha.digest(row.toString().getBytes(StandardCharsets.UTF_8));
        sum[0] += java.nio.ByteBuffer.wrap(h, 0, 8).getLong();
        sum[1] += java.nio.ByteBuffer.wrap(h, 8, 8).getLong();
        rows++;
      }
    }
    return new Checksum(
        rows, HexFormat.of().toHexDigits(sum[0]) + HexFormat.of().toHexDigits(sum[1]));
  }
}

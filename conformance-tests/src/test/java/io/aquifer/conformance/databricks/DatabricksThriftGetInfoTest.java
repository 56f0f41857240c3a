package io.aquifer.conformance.databricks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.databricks.internal.apache.thrift.protocol.TBinaryProtocol;
import com.databricks.internal.apache.thrift.transport.THttpClient;
import com.databricks.jdbc.model.client.thrift.generated.TCLIService;
import com.databricks.jdbc.model.client.thrift.generated.TGetInfoReq;
import com.databricks.jdbc.model.client.thrift.generated.TGetInfoResp;
import com.databricks.jdbc.model.client.thrift.generated.TGetInfoType;
import com.databricks.jdbc.model.client.thrift.generated.TOpenSessionReq;
import com.databricks.jdbc.model.client.thrift.generated.TOpenSessionResp;
import com.databricks.jdbc.model.client.thrift.generated.TProtocolVersion;
import com.databricks.jdbc.model.client.thrift.generated.TSessionHandle;
import com.databricks.jdbc.model.client.thrift.generated.TStatusCode;
import io.aquifer.conformance.ConformanceServer;
import io.aquifer.gateway.ProductInfo;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GetInfo, through the Thrift client classes of Databricks' JDBC driver jar (the driver itself
 * never sends GetInfo: its DatabaseMetaData answers product name, version and quote string on its
 * own; Node's {@code session.getInfo} and ODBC drivers do ask).
 */
class DatabricksThriftGetInfoTest {
  @TempDir Path dataDirectory;

  @Test
  void getInfoAnswersTheTypesClientsAskFor() throws Exception {
    try (ConformanceServer server = ConformanceServer.start(dataDirectory)) {
      String endpoint =
          server.server().databricksRest().baseUrl() + server.server().databricksRest().httpPath();
      THttpClient transport = new THttpClient(endpoint);
      transport.setCustomHeader("Authorization", "Bearer " + server.token());
      TCLIService.Client client = new TCLIService.Client(new TBinaryProtocol(transport));
      TOpenSessionReq open = new TOpenSessionReq();
      open.setClient_protocol(TProtocolVersion.SPARK_CLI_SERVICE_PROTOCOL_V8);
      TOpenSessionResp opened = client.OpenSession(open);
      assertEquals(TStatusCode.SUCCESS_STATUS, opened.getStatus().getStatusCode());
      TSessionHandle session = opened.getSessionHandle();

      assertEquals("Aquifer", info(client, session, TGetInfoType.CLI_DBMS_NAME).getStringValue());
      assertEquals(
          ProductInfo.version(), info(client, session, TGetInfoType.CLI_DBMS_VER).getStringValue());
      assertEquals("Aquifer", info(client, session, TGetInfoType.CLI_SERVER_NAME).getStringValue());
      assertEquals(
          "`", info(client, session, TGetInfoType.CLI_IDENTIFIER_QUOTE_CHAR).getStringValue());
      assertEquals(
          "\\", info(client, session, TGetInfoType.CLI_SEARCH_PATTERN_ESCAPE).getStringValue());
      assertFalse(info(client, session, TGetInfoType.CLI_USER_NAME).getStringValue().isBlank());
      assertEquals(255, info(client, session, TGetInfoType.CLI_MAX_TABLE_NAME_LEN).getLenValue());
      TGetInfoResp unsupported =
          client.GetInfo(new TGetInfoReq(session, TGetInfoType.CLI_MAX_DRIVER_CONNECTIONS));
      assertEquals(TStatusCode.ERROR_STATUS, unsupported.getStatus().getStatusCode());
      assertTrue(
          unsupported.getStatus().getErrorMessage().contains("UNSUPPORTED_FEATURE"),
          unsupported.getStatus().getErrorMessage());
      transport.close();

      // What the JDBC driver answers for itself, without asking the server.
      try (Connection c =
          DriverManager.getConnection(
              server
                      .server()
                      .databricksRest()
                      .thriftJdbcUrl(server.server().databricksRest().warehouseId())
                  + ";UID=token;PWD="
                  + server.token())) {
        DatabaseMetaData md = c.getMetaData();
        assertEquals("`", md.getIdentifierQuoteString());
        assertEquals("SparkSQL", md.getDatabaseProductName());
      }
    }
  }

  private static com.databricks.jdbc.model.client.thrift.generated.TGetInfoValue info(
      TCLIService.Client client, TSessionHandle session, TGetInfoType type) throws Exception {
    TGetInfoResp resp = client.GetInfo(new TGetInfoReq(session, type));
    assertEquals(
        TStatusCode.SUCCESS_STATUS,
        resp.getStatus().getStatusCode(),
        type + ": " + resp.getStatus().getErrorMessage());
    return resp.getInfoValue();
  }
}

package io.aquifer.conformance.databricks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aquifer.conformance.ConformanceServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** connection.json's Thrift-mode URL connects Databricks' JDBC driver as it stands. */
class DatabricksThriftConnectionFileTest {
  @TempDir Path dataDirectory;

  @Test
  void theThriftModeUrlFromConnectionJsonConnects() throws Exception {
    try (ConformanceServer server = ConformanceServer.start(dataDirectory)) {
      JsonNode databricks =
          new ObjectMapper()
              .readTree(dataDirectory.resolve("connection.json").toFile())
              .get("databricks");
      String thrift = databricks.get("thriftJdbcUrl").asText();
      String rest = databricks.get("jdbcUrl").asText();
      assertFalse(thrift.contains("useThriftClient"), thrift);
      assertEquals(thrift + ";useThriftClient=0", rest);
      assertTrue(thrift.contains(";httpPath=" + databricks.get("httpPath").asText()), thrift);
      try (Connection c = DriverManager.getConnection(thrift + ";UID=token;PWD=" + server.token());
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT 41 + 1 AS answer")) {
        assertTrue(rs.next());
        assertEquals(42, rs.getInt("answer"));
      }
    }
  }
}

package io.aquifer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A query over the per-query memory limit fails clearly; the warehouse keeps serving. */
class MemoryLimitTest {
  @TempDir Path dataDirectory;

  @Test
  void queryOverTheLimitFailsAndTheNextOneRuns() throws Exception {
    try (RunningServer server =
            RunningServer.start(dataDirectory, Map.of(ServerConfig.QUERY_MEMORY_LIMIT, "1MB"));
        Connection c = server.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE ten (x BIGINT)");
      s.execute("INSERT INTO ten VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9)");
      s.execute(
          "CREATE TABLE wide AS SELECT a.x * 10000 + b.x * 1000 + c.x * 100 + d.x * 10 + e.x AS k,"
              + " 'some text that is long enough to fill memory ' || CAST(a.x AS STRING) AS note"
              + " FROM ten a, ten b, ten c, ten d, ten e");
      // One Arrow batch of this result is several megabytes: over the 1MB per-query limit.
      SQLException e =
          assertThrows(
              SQLException.class,
              () -> {
                try (ResultSet rs =
                    s.executeQuery("SELECT k, note || note || note || note AS big FROM wide")) {
                  while (rs.next()) {
                    rs.getString(2);
                  }
                }
              });
      assertTrue(e.getMessage().contains("53200"), e.getMessage());
      assertTrue(e.getMessage().toLowerCase().contains("memory"), e.getMessage());
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM wide")) {
        assertTrue(rs.next());
        assertEquals(100_000, rs.getLong(1));
      }
    }
  }
}

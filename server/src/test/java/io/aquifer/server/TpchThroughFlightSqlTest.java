package io.aquifer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.aquifer.storage.objects.S3TestStorage;
import io.aquifer.tpch.CheckReport;
import io.aquifer.tpch.TpchAnswers;
import io.aquifer.tpch.TpchChecker;
import io.aquifer.tpch.TpchQueries;
import io.aquifer.tpch.TpchScaleFactor;
import io.aquifer.tpch.TpchSchemaName;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first start's TPC-H sample (SF 0.01) answers all 22 queries through the official Arrow Flight
 * SQL JDBC driver (derived from TPC-H; not audited TPC results).
 */
class TpchThroughFlightSqlTest {
  @TempDir Path dataDirectory;

  @Test
  void sampleAnswersAllTwentyTwoQueries() throws Exception {
    Map<String, String> flags = new HashMap<>();
    flags.put(ServerConfig.DATA_DIR, dataDirectory.toString());
    for (String port : ServerConfig.LISTEN_PORTS) {
      flags.put(port, "0");
    }
    flags.put(ServerConfig.NODE_MEMORY_LIMIT, "1GB");
    // -Daquifer.test.storage=s3 (the build's second run): the sample's tables in S3Proxy.
    S3TestStorage.freshRoot("tpch").ifPresent(root -> flags.put(ServerConfig.STORAGE_ROOT, root));
    ServerConfig config = ServerConfig.load(null, Map.of(), flags);
    Path tokenFile = dataDirectory.resolve("admin-token");
    try (AquiferServer server =
        AquiferServer.start(
            config,
            Optional.of(tokenFile),
            new PrintStream(PrintStream.nullOutputStream()),
            true)) {
      java.util.Properties p = new java.util.Properties();
      p.setProperty("token", java.nio.file.Files.readString(tokenFile).trim());
      TpchScaleFactor sf = TpchScaleFactor.parse("0.01");
      try (Connection c =
          java.sql.DriverManager.getConnection(
              "jdbc:arrow-flight-sql://127.0.0.1:" + server.flightPort() + "?useEncryption=false",
              p)) {
        CheckReport report =
            new TpchChecker(
                    TpchAnswers.forScaleFactor(TpchAnswers.defaultFixturesRoot(), sf),
                    new PrintStream(PrintStream.nullOutputStream()))
                .check(c, TpchSchemaName.defaultFor(sf), TpchQueries.all());
        assertEquals(0, report.failures(), "queries with wrong answers");
        assertEquals(22, report.passed());
      }
    }
  }
}

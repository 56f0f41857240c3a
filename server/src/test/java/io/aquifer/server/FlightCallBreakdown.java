package io.aquifer.server;

import io.aquifer.flightsql.FlightCallTimings;
import java.io.PrintStream;
import java.util.Map;
import org.apache.arrow.flight.CallOption;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.auth2.BearerCredentialWriter;
import org.apache.arrow.flight.client.ClientCookieMiddleware;
import org.apache.arrow.flight.grpc.CredentialCallOption;
import org.apache.arrow.flight.sql.FlightSqlClient;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * A cache hit's Flight SQL calls one by one, as the Arrow Flight SQL JDBC driver makes them
 * (CreatePreparedStatement, GetFlightInfo, DoGet, ClosePreparedStatement), timed at the client
 * (plain Flight SQL client, no JDBC layer) next to the server's time for the same calls. For
 * benchmarks only.
 */
final class FlightCallBreakdown {
  static final String QUERY =
      "SELECT n_name, n_regionkey FROM samples.tpch_sf0_01.nation WHERE n_nationkey < 5";

  private FlightCallBreakdown() {}

  static void run(AquiferServer server, String token, PrintStream out, int runs) throws Exception {
    try (BufferAllocator allocator = new RootAllocator();
        FlightClient flight =
            FlightClient.builder(
                    allocator, Location.forGrpcInsecure("127.0.0.1", server.flightPort()))
                .intercept(new ClientCookieMiddleware.Factory())
                .build();
        FlightSqlClient sql = new FlightSqlClient(flight)) {
      CallOption auth = new CredentialCallOption(new BearerCredentialWriter(token));
      long[] client = new long[4];
      for (int i = 0; i < runs + 20; i++) {
        if (i == 20) {
          server.flightCallTimings().reset();
          java.util.Arrays.fill(client, 0);
        }
        long t0 = System.nanoTime();
        FlightSqlClient.PreparedStatement prepared = sql.prepare(QUERY, auth);
        long t1 = System.nanoTime();
        FlightInfo info = prepared.execute(auth);
        long t2 = System.nanoTime();
        long rows = 0;
        try (FlightStream stream = sql.getStream(info.getEndpoints().get(0).getTicket(), auth)) {
          while (stream.next()) {
            rows += stream.getRoot().getRowCount();
          }
        }
        long t3 = System.nanoTime();
        prepared.close(auth);
        long t4 = System.nanoTime();
        if (rows != 5) {
          throw new IllegalStateException("expected 5 rows, got " + rows);
        }
        client[0] += t1 - t0;
        client[1] += t2 - t1;
        client[2] += t3 - t2;
        client[3] += t4 - t3;
      }
      Map<String, FlightCallTimings.Totals> calls = server.flightCallTimings().snapshot();
      out.printf(
          "  the same hit through a plain Flight SQL client, %d runs, mean ms per call (client |"
              + " server):%n",
          runs);
      String[] names = {
        "DO_ACTION CreatePreparedStatement",
        "GET_FLIGHT_INFO",
        "DO_GET",
        "DO_ACTION ClosePreparedStatement"
      };
      double clientTotal = 0;
      for (int k = 0; k < names.length; k++) {
        FlightCallTimings.Totals server1 = calls.get(names[k]);
        double c = client[k] / 1e6 / runs;
        clientTotal += c;
        out.printf(
            "    %-40s client %6.2f ms | server %6.2f ms (auth + session %5.3f ms)%n",
            names[k],
            c,
            server1 == null ? 0 : server1.meanMillis(),
            server1 == null ? 0 : server1.meanAuthMillis());
      }
      out.printf("    %-40s client %6.2f ms%n", "all four calls", clientTotal);
    }
  }
}

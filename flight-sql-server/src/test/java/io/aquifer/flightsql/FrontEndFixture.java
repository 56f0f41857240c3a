package io.aquifer.flightsql;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/** A front end on a free loopback port over an {@link InMemoryStatementService}. */
final class FrontEndFixture implements AutoCloseable {
  final RootAllocator allocator = new RootAllocator();
  final BufferAllocator serviceAllocator =
      allocator.newChildAllocator("service", 0, Long.MAX_VALUE);
  final InMemoryStatementService service = new InMemoryStatementService(serviceAllocator);
  final FlightSqlFrontEnd frontEnd;

  FrontEndFixture() {
    this(FlightSqlConfig.defaults().withPort(0));
  }

  FrontEndFixture(FlightSqlConfig config) {
    frontEnd = new FlightSqlFrontEnd(service, allocator, config);
    frontEnd.start();
  }

  int port() {
    return frontEnd.port();
  }

  /** A Flight SQL JDBC URL for this front end, with extra properties such as {@code token=...}. */
  String jdbcUrl(String properties) {
    return "jdbc:arrow-flight-sql://127.0.0.1:" + port() + "/?useEncryption=false&" + properties;
  }

  String tokenUrl() {
    return jdbcUrl("token=" + InMemoryStatementService.TOKEN);
  }

  /** Stops the front end and fails if any Arrow memory leaked. */
  @Override
  public void close() {
    frontEnd.stop();
    serviceAllocator.close();
    allocator.close();
  }
}

package io.aquifer.thrift;

import static java.util.Objects.requireNonNull;

import com.databricks.internal.apache.thrift.TException;
import com.databricks.internal.apache.thrift.protocol.TBinaryProtocol;
import com.databricks.internal.apache.thrift.transport.TIOStreamTransport;
import com.databricks.jdbc.model.client.thrift.generated.TCLIService;
import io.aquifer.catalog.Principal;
import io.aquifer.gateway.GatewayException;
import io.aquifer.gateway.StatementService;
import io.aquifer.rest.BinaryEndpoint;
import io.aquifer.rest.ChunkLinks;
import io.aquifer.rest.DatabricksApiException;
import io.aquifer.rest.DatabricksRestFrontEnd;
import io.aquifer.results.ResultChunk;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Databricks SQL protocol: HiveServer2's TCLIService in binary Thrift, POSTed to a warehouse's
 * {@code httpPath} ({@code /sql/1.0/warehouses/<id>}, also {@code /sql/1.0/endpoints/<id>}) on the
 * REST front end's port, which authenticates each request (Bearer token, or Basic {@code
 * token:<token>}). Cluster paths ({@code /sql/protocolv1/o/<org>/<cluster>}) and {@code cliservice}
 * are served too, on the session's default warehouse. This is what the Databricks JDBC and ODBC
 * drivers (Thrift mode, their default), Power BI's and Tableau's Databricks connectors, {@code
 * databricks-sql-python} and {@code @databricks/sql} speak.
 */
public final class DatabricksThriftEndpoint implements BinaryEndpoint, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DatabricksThriftEndpoint.class);

  /** The paths served; group 1 is the warehouse id where the path names one. */
  public static final Pattern PATH =
      Pattern.compile(
          "/sql/1\\.0/(?:warehouses|endpoints)/([^/]+)/?|/sql/protocolv1/o/[^/]+/[^/]+/?"
              + "|/cliservice/?");

  private static final Duration CHUNK_WAIT = Duration.ofSeconds(30);

  private final StatementService service;
  private final ThriftConfig config;
  private final ThriftSessionRegistry registry;
  private final ScheduledExecutorService sweeper;
  private final BufferAllocator allocator = new RootAllocator();
  private volatile ChunkLinks links;

  public DatabricksThriftEndpoint(StatementService service, ThriftConfig config) {
    this.service = requireNonNull(service, "service");
    this.config = requireNonNull(config, "config");
    this.registry = new ThriftSessionRegistry(service, Clock.systemUTC());
    this.sweeper =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "aquifer-thrift-sweeper");
              t.setDaemon(true);
              return t;
            });
    sweeper.scheduleWithFixedDelay(this::closeIdleSessions, 1, 1, TimeUnit.MINUTES);
  }

  private void closeIdleSessions() {
    try {
      for (ThriftSession s : registry.removeIdle(config.sessionIdleTimeout())) {
        closeQuietly(s);
      }
    } catch (RuntimeException e) {
      LOG.warn("closing idle Thrift sessions failed", e);
    }
  }

  private void closeQuietly(ThriftSession s) {
    try {
      service.closeSession(s.session().id());
    } catch (GatewayException e) {
      LOG.debug("closing Thrift session {} failed", s.session().id(), e);
    }
  }

  /**
   * Serves the protocol on {@code rest}'s port, at {@link #PATH}, with CloudFetch result links
   * among {@code rest}'s signed chunk links.
   */
  public void mountOn(DatabricksRestFrontEnd rest) {
    links = rest.chunkLinks();
    links.register(this::download);
    rest.mount(PATH, this);
  }

  /** The download of a CloudFetch link: a chunk of a statement submitted through this protocol. */
  private Optional<ChunkLinks.Download> download(String statementId, int index, String format) {
    Optional<ThriftOperation> op = registry.byStatement(statementId);
    if (op.isEmpty() || !CloudFetchChunks.isFormat(format)) {
      return Optional.empty();
    }
    try {
      ResultChunk chunk =
          service
              .chunk(op.get().session().session(), statementId, index, CHUNK_WAIT)
              .orElseThrow(
                  () ->
                      DatabricksApiException.notFound(
                          "chunk " + index + " of statement " + statementId + " is not stored"));
      return Optional.of(CloudFetchChunks.encode(chunk.arrowIpc(), allocator, format));
    } catch (GatewayException e) {
      throw DatabricksApiException.of(e);
    }
  }

  @Override
  public String contentType() {
    return "application/x-thrift";
  }

  @Override
  public byte[] post(
      Principal principal,
      String baseUrl,
      String path,
      byte[] body,
      Optional<String> clientAddress) {
    Matcher m = PATH.matcher(path);
    Optional<String> warehouse = m.matches() ? Optional.ofNullable(m.group(1)) : Optional.empty();
    TCLIService.Processor<ThriftCalls> processor =
        new TCLIService.Processor<>(
            new ThriftCalls(
                service,
                registry,
                config,
                principal,
                clientAddress,
                warehouse,
                Optional.ofNullable(links).map(l -> new ThriftCalls.Links(l, baseUrl))));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      processor.process(
          new TBinaryProtocol(new TIOStreamTransport(new ByteArrayInputStream(body))),
          new TBinaryProtocol(new TIOStreamTransport(out)));
    } catch (TException e) {
      throw new DatabricksApiException(
          400, "MALFORMED_REQUEST", "not a Thrift TCLIService request: " + e.getMessage());
    }
    return out.toByteArray();
  }

  /** Closes every open Thrift session and its statements. */
  @Override
  public void close() {
    sweeper.shutdownNow();
    for (ThriftSession s : registry.sessions()) {
      registry.remove(s);
      closeQuietly(s);
    }
    allocator.close();
  }
}

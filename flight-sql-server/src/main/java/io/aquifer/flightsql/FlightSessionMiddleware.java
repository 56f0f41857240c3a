package io.aquifer.flightsql;

import static java.util.Objects.requireNonNull;

import io.aquifer.catalog.Principal;
import io.aquifer.gateway.Session;
import java.util.Optional;
import org.apache.arrow.flight.CallHeaders;
import org.apache.arrow.flight.CallInfo;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.FlightProducer.CallContext;
import org.apache.arrow.flight.FlightServerMiddleware;
import org.apache.arrow.flight.RequestContext;
import org.apache.arrow.flight.auth2.Auth2Constants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The caller of one Flight call: authenticated principal and the gateway session of its client
 * connection. Registered as the front end's only middleware, it authenticates every call (through
 * {@link FlightAuthHandler}) before any producer method runs.
 *
 * <p>Which session? A bearer token handed out after a user/password login names its session. A
 * personal access token is the same on every connection of a user, so those connections are told
 * apart by a session cookie, which the Flight SQL JDBC driver (and ADBC with cookies on) sends back
 * on every later call; the cookie is set by the first call that needs a session.
 */
final class FlightSessionMiddleware implements FlightServerMiddleware {
  private static final Logger log = LoggerFactory.getLogger(FlightSessionMiddleware.class);
  static final Key<FlightSessionMiddleware> KEY = Key.of("aquifer-session");
  static final String COOKIE_NAME = "aquifer_flight_session";
  static final String WAREHOUSE_HEADER = "warehouse";

  private final CallerAuthResult auth;
  private final ConnectionSessions sessions;
  private final TimestampWireForm timestamps;
  private final String warehouse;
  private final FlightCallTimings timings;
  private final long startedNanos;
  private final long authNanos;
  private volatile String callKind;
  private SessionBinding binding;
  private boolean cookieToSet;
  private boolean headersSent;

  private FlightSessionMiddleware(
      CallerAuthResult auth,
      ConnectionSessions sessions,
      SessionBinding binding,
      TimestampWireForm timestamps,
      String warehouse,
      FlightCallTimings timings,
      String callKind,
      long startedNanos,
      long authNanos) {
    this.auth = auth;
    this.timings = timings;
    this.callKind = callKind;
    this.startedNanos = startedNanos;
    this.authNanos = authNanos;
    this.warehouse = warehouse;
    this.timestamps = timestamps;
    this.sessions = sessions;
    this.binding = binding;
  }

  /** The middleware of the current call. */
  static FlightSessionMiddleware of(CallContext context) {
    FlightSessionMiddleware middleware = context.getMiddleware(KEY);
    if (middleware == null) {
      throw CallStatus.UNAUTHENTICATED
          .withDescription("No authenticated caller")
          .toRuntimeException();
    }
    return middleware;
  }

  Principal principal() {
    return auth.principal();
  }

  /** How this client takes TIMESTAMP columns. */
  TimestampWireForm timestamps() {
    return timestamps;
  }

  /** The connection's binding, created (and announced by cookie) on first need. */
  synchronized SessionBinding binding() {
    if (binding == null) {
      binding = sessions.create(auth.principal());
      cookieToSet = !headersSent;
    }
    return binding;
  }

  /**
   * The connection's gateway session, opened on first need. A {@value #WAREHOUSE_HEADER} header
   * (the Flight SQL JDBC driver sends the connection property {@code warehouse=<id or name>} as
   * one) selects the session's warehouse.
   */
  Session session() {
    Session session = sessions.session(binding());
    if (warehouse != null && !warehouse.equals(session.warehouse().orElse(null))) {
      sessions.useWarehouse(session, warehouse);
    }
    return session;
  }

  /** The connection's binding if it has one already; never creates one. */
  synchronized Optional<SessionBinding> existingBinding() {
    return Optional.ofNullable(binding);
  }

  @Override
  public synchronized void onBeforeSendingHeaders(CallHeaders outgoingHeaders) {
    headersSent = true;
    auth.appendToOutgoingHeaders(outgoingHeaders);
    if (cookieToSet) {
      outgoingHeaders.insert(
          "set-cookie", COOKIE_NAME + "=" + binding.key() + "; Path=/; HttpOnly");
      cookieToSet = false;
    }
  }

  /** Names the call more precisely than its Flight method (a DoAction's action type). */
  void callKind(String kind) {
    callKind = kind;
  }

  @Override
  public void onCallCompleted(CallStatus status) {
    long nanos = System.nanoTime() - startedNanos;
    timings.record(callKind, nanos, authNanos);
    if (log.isDebugEnabled()) {
      log.debug(
          "Flight call {} took {} us (authentication and session {} us), {}",
          callKind,
          nanos / 1_000,
          authNanos / 1_000,
          status.code());
    }
  }

  @Override
  public void onCallErrored(Throwable err) {}

  static final class Factory implements FlightServerMiddleware.Factory<FlightSessionMiddleware> {
    private final FlightAuthHandler authHandler;
    private final ConnectionSessions sessions;
    private final FlightCallTimings timings;

    Factory(FlightAuthHandler authHandler, ConnectionSessions sessions, FlightCallTimings timings) {
      this.authHandler = requireNonNull(authHandler, "authHandler");
      this.sessions = requireNonNull(sessions, "sessions");
      this.timings = requireNonNull(timings, "timings");
    }

    @Override
    public FlightSessionMiddleware onCallStarted(
        CallInfo info, CallHeaders incomingHeaders, RequestContext context) {
      long started = System.nanoTime();
      try {
        CallerAuthResult auth = authHandler.authenticate(incomingHeaders);
        context.put(Auth2Constants.PEER_IDENTITY_KEY, auth.getPeerIdentity());
        SessionBinding binding =
            auth.binding()
                .or(
                    () ->
                        cookie(incomingHeaders)
                            .flatMap(sessions::find)
                            .filter(b -> b.ownedBy(auth.principal())))
                .orElse(null);
        String warehouse =
            incomingHeaders.containsKey(WAREHOUSE_HEADER)
                ? incomingHeaders.get(WAREHOUSE_HEADER)
                : null;
        return new FlightSessionMiddleware(
            auth,
            sessions,
            binding,
            TimestampWireForm.forClient(incomingHeaders),
            warehouse == null || warehouse.isBlank() ? null : warehouse.strip(),
            timings,
            info.method().name(),
            started,
            System.nanoTime() - started);
      } catch (RuntimeException e) {
        // Only FlightRuntimeExceptions are turned into a status here; anything else would escape.
        throw FlightErrorMapper.toFlight(e);
      }
    }

    private static Optional<String> cookie(CallHeaders headers) {
      Iterable<String> cookieHeaders =
          headers.containsKey("cookie") ? headers.getAll("cookie") : null;
      if (cookieHeaders == null) {
        return Optional.empty();
      }
      for (String header : cookieHeaders) {
        for (String pair : header.split(";")) {
          int equals = pair.indexOf('=');
          if (equals > 0 && pair.substring(0, equals).trim().equals(COOKIE_NAME)) {
            return Optional.of(pair.substring(equals + 1).trim());
          }
        }
      }
      return Optional.empty();
    }
  }
}

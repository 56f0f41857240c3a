package io.aquifer.flightsql;

import static java.util.Objects.requireNonNull;

import io.aquifer.catalog.Principal;
import io.aquifer.gateway.GatewayErrorCode;
import io.aquifer.gateway.StatementService;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.apache.arrow.flight.CallHeaders;
import org.apache.arrow.flight.auth2.Auth2Constants;
import org.apache.arrow.flight.auth2.AuthUtilities;
import org.apache.arrow.flight.auth2.CallHeaderAuthenticator;

/**
 * Checks the Authorization header of every call.
 *
 * <ul>
 *   <li>{@code Bearer <token>}: a token this front end handed out identifies its connection's
 *       session; any other token is a personal access token checked by the gateway.
 *   <li>{@code Basic <user:password>} (the Flight handshake of user/password clients): checked by
 *       the gateway; the answer carries a new bearer token bound to a new session, which the client
 *       sends from then on (the way Flight's generated-bearer-token authenticator works).
 *   <li>Anything else: UNAUTHENTICATED.
 * </ul>
 */
final class FlightAuthHandler implements CallHeaderAuthenticator {
  private final StatementService service;
  private final ConnectionSessions sessions;

  FlightAuthHandler(StatementService service, ConnectionSessions sessions) {
    this.service = requireNonNull(service, "service");
    this.sessions = requireNonNull(sessions, "sessions");
  }

  @Override
  public CallerAuthResult authenticate(CallHeaders incomingHeaders) {
    try {
      String bearer =
          AuthUtilities.getValueFromAuthHeader(incomingHeaders, Auth2Constants.BEARER_PREFIX);
      if (bearer != null && !bearer.isBlank()) {
        String token = bearer.trim();
        Optional<SessionBinding> issued = sessions.find(token);
        if (issued.isPresent()) {
          return new CallerAuthResult(issued.get().principal(), issued, false);
        }
        return new CallerAuthResult(
            service.authenticateToken(token, ClientAddressTracer.current()),
            Optional.empty(),
            false);
      }
      String basic =
          AuthUtilities.getValueFromAuthHeader(incomingHeaders, Auth2Constants.BASIC_PREFIX);
      if (basic != null && !basic.isBlank()) {
        String[] userAndPassword = decodeBasic(basic.trim());
        Principal principal =
            service.authenticateBasic(
                userAndPassword[0], userAndPassword[1], ClientAddressTracer.current());
        return new CallerAuthResult(principal, Optional.of(sessions.create(principal)), true);
      }
      throw GatewayErrorCode.MISSING_CREDENTIALS.exception(
          "Authentication required: send an access token (token=... in the JDBC URL, or"
              + " Authorization: Bearer) or a user name and password");
    } catch (RuntimeException e) {
      throw FlightErrorMapper.toFlight(e);
    }
  }

  private static String[] decodeBasic(String encoded) {
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw GatewayErrorCode.MISSING_CREDENTIALS.exception(
          "The Basic Authorization header is not valid Base64");
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      throw GatewayErrorCode.MISSING_CREDENTIALS.exception(
          "The Basic Authorization header must hold user:password");
    }
    return new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
  }
}

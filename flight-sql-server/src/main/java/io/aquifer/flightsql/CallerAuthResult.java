package io.aquifer.flightsql;

import static java.util.Objects.requireNonNull;

import io.aquifer.catalog.Principal;
import java.util.Optional;
import org.apache.arrow.flight.CallHeaders;
import org.apache.arrow.flight.auth2.Auth2Constants;
import org.apache.arrow.flight.auth2.CallHeaderAuthenticator;

/**
 * Who is calling, and which connection the credentials identify.
 *
 * @param binding the connection's session when the credential is a bearer token this front end
 *     handed out (after a user/password login); empty for access tokens, whose connections are told
 *     apart by a cookie
 * @param announceToken true right after a user/password login: the response carries the new bearer
 *     token that the client must send from now on
 */
record CallerAuthResult(
    Principal principal, Optional<SessionBinding> binding, boolean announceToken)
    implements CallHeaderAuthenticator.AuthResult {
  CallerAuthResult {
    requireNonNull(principal, "principal");
    requireNonNull(binding, "binding");
    if (announceToken && binding.isEmpty()) {
      throw new IllegalArgumentException("a token to announce needs a binding");
    }
  }

  @Override
  public String getPeerIdentity() {
    return principal.name();
  }

  @Override
  public void appendToOutgoingHeaders(CallHeaders outgoingHeaders) {
    if (announceToken) {
      outgoingHeaders.insert(
          Auth2Constants.AUTHORIZATION_HEADER, Auth2Constants.BEARER_PREFIX + binding.get().key());
    }
  }
}

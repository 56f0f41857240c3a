package io.aquifer.exec.node;

import static java.util.Objects.requireNonNull;

import org.apache.arrow.flight.CallHeaders;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.auth2.CallHeaderAuthenticator;

/**
 * Admits a Flight call to a warehouse node only when it carries the node's {@link NodeSecret}:
 * every call (DoGet, DoAction, ListActions, Handshake, ...) passes through it before the producer
 * sees it. Anything else is refused as UNAUTHENTICATED, before a ticket or action body is read.
 */
final class NodeSecretAuthenticator implements CallHeaderAuthenticator {
  /** The one peer a node serves. */
  static final String GATEWAY = "gateway";

  private final NodeSecret secret;

  NodeSecretAuthenticator(NodeSecret secret) {
    this.secret = requireNonNull(secret, "secret");
  }

  @Override
  public AuthResult authenticate(CallHeaders incomingHeaders) {
    if (!secret.acceptsHeader(incomingHeaders.get(NodeSecret.HEADER))) {
      throw CallStatus.UNAUTHENTICATED
          .withDescription("This warehouse node accepts calls from its gateway only")
          .toRuntimeException();
    }
    return () -> GATEWAY;
  }
}

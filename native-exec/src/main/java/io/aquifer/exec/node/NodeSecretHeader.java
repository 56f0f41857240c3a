package io.aquifer.exec.node;

import org.apache.arrow.flight.CallHeaders;
import org.apache.arrow.flight.CallInfo;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.FlightClientMiddleware;

/** The gateway's side of {@link NodeSecretAuthenticator}: adds the secret to every call. */
final class NodeSecretHeader implements FlightClientMiddleware.Factory {
  private final NodeSecret secret;

  NodeSecretHeader(NodeSecret secret) {
    this.secret = secret;
  }

  @Override
  public FlightClientMiddleware onCallStarted(CallInfo info) {
    return new FlightClientMiddleware() {
      @Override
      public void onBeforeSendingHeaders(CallHeaders outgoingHeaders) {
        outgoingHeaders.insert(NodeSecret.HEADER, secret.headerValue());
      }

      @Override
      public void onHeadersReceived(CallHeaders incomingHeaders) {}

      @Override
      public void onCallCompleted(CallStatus status) {}
    };
  }
}

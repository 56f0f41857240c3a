package io.aquifer.flightsql;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Optional;

/**
 * Makes the client's IP address, which only gRPC's transport knows, available to the Flight SQL
 * calls it serves (in their gRPC context), so that the sessions they open carry it into the audit
 * log. Flight's own API does not expose the peer's address.
 */
final class ClientAddressInterceptor implements ServerInterceptor {
  private static final Context.Key<String> ADDRESS = Context.key("aquifer-client-address");

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
    if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
      Context context = Context.current().withValue(ADDRESS, inet.getAddress().getHostAddress());
      return Contexts.interceptCall(context, call, headers, next);
    }
    return next.startCall(call, headers);
  }

  /** The address of the client of the call being served on this thread, if known. */
  static Optional<String> current() {
    return Optional.ofNullable(ADDRESS.get());
  }
}

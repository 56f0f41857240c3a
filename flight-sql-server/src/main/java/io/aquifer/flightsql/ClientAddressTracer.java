package io.aquifer.flightsql;

import io.grpc.Context;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerStreamTracer;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Makes the client's IP address, which only gRPC's transport knows, available to the Flight SQL
 * calls it serves (in their gRPC context), so that token checks and the sessions they open carry it
 * into the audit log. Flight's own API does not expose the peer's address.
 *
 * <p>A stream tracer rather than an interceptor: gRPC tells tracers of a call before any
 * interceptor runs, and Flight's middleware (which checks the token) is the outermost interceptor,
 * so an interceptor of ours would run too late. Each call's context holds a slot that the tracer
 * fills when the call starts.
 */
final class ClientAddressTracer extends ServerStreamTracer.Factory {
  private static final Context.Key<AtomicReference<String>> ADDRESS =
      Context.key("aquifer-client-address");

  @Override
  public ServerStreamTracer newServerStreamTracer(String fullMethodName, Metadata headers) {
    AtomicReference<String> address = new AtomicReference<>();
    return new ServerStreamTracer() {
      @Override
      public Context filterContext(Context context) {
        return context.withValue(ADDRESS, address);
      }

      @Override
      public void serverCallStarted(ServerCallInfo<?, ?> callInfo) {
        SocketAddress remote = callInfo.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
        if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
          address.set(inet.getAddress().getHostAddress());
        }
      }
    };
  }

  /** The address of the client of the call being served on this thread, if known. */
  static Optional<String> current() {
    AtomicReference<String> address = ADDRESS.get();
    return address == null ? Optional.empty() : Optional.ofNullable(address.get());
  }
}

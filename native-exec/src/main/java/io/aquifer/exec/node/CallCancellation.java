package io.aquifer.exec.node;

import io.grpc.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an action the moment the gRPC call that the current thread works for is canceled (its client
 * canceled it, its deadline passed, its connection dropped). Outside a gRPC call it does nothing.
 * Close it when the work for the call is done.
 *
 * <p>Why not Flight's own signals: {@code ServerStreamListener.setOnCancelHandler}, {@code
 * isCancelled()} and the back-pressure strategy's CANCELLED are all delivered on the call's
 * serialized executor, which is the very thread running the handler. A handler that blocks, in
 * DuckDB computing the first batch or waiting for a node's first batch, so learns of the cancel
 * only after it returns, which for a long query is never. gRPC cancels the call's {@link Context}
 * at once from another thread; this listens there.
 */
final class CallCancellation implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CallCancellation.class);

  private final Context call;
  private final Context.CancellationListener listener;

  private CallCancellation(Context call, Context.CancellationListener listener) {
    this.call = call;
    this.listener = listener;
  }

  /**
   * Runs {@code action} when the current call is canceled (at once if it already is), on the
   * canceling thread. The action must be quick and must not block.
   */
  static CallCancellation onCancel(Runnable action) {
    Context call = Context.current();
    Context.CancellationListener listener =
        canceled -> {
          try {
            action.run();
          } catch (RuntimeException e) {
            LOG.warn("Reacting to a canceled call failed", e);
          }
        };
    call.addListener(listener, Runnable::run);
    return new CallCancellation(call, listener);
  }

  /** True once the call was canceled; always false outside a gRPC call. */
  boolean isCanceled() {
    return call.isCancelled();
  }

  @Override
  public void close() {
    call.removeListener(listener);
  }
}

package io.aquifer.flightsql;

import static java.util.Objects.requireNonNull;

import io.aquifer.gateway.GatewayErrorCode;
import io.aquifer.gateway.ResultStream;
import io.aquifer.gateway.StatementResult;
import io.aquifer.gateway.StatementService;
import io.aquifer.gateway.execution.GatewayErrors;
import java.util.List;
import java.util.Optional;
import org.apache.arrow.flight.BackpressureStrategy;
import org.apache.arrow.flight.FlightProducer.ServerStreamListener;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Streams a statement's rows to a DoGet call, batch by batch as the gateway produces them: nothing
 * is materialized, and the next batch is taken from the gateway only when the client's transport is
 * ready for it (gRPC flow control). When the client cancels the call, the statement is canceled.
 *
 * <p>The gateway's batch is handed on by reference (its buffers are retained, not copied) into a
 * root owned by this stream, since the gateway may present each batch in a different root.
 */
final class ResultStreamer {
  private static final Logger log = LoggerFactory.getLogger(ResultStreamer.class);
  private static final long READY_WAIT_MILLIS = 1_000;

  private final StatementService service;
  private final SubmittedStatements statements;
  private final BufferAllocator allocator;

  ResultStreamer(
      StatementService service, SubmittedStatements statements, BufferAllocator allocator) {
    this.service = requireNonNull(service, "service");
    this.statements = requireNonNull(statements, "statements");
    this.allocator = requireNonNull(allocator, "allocator");
  }

  /** Streams a claimed statement to the end; always ends the listener. */
  void stream(
      SubmittedStatements.Submitted submitted,
      TimestampWireForm timestamps,
      ServerStreamListener listener) {
    MDC.put(GatewayErrors.STATEMENT_ID, submitted.id());
    try {
      streamLogged(submitted, timestamps, listener);
    } finally {
      MDC.remove(GatewayErrors.STATEMENT_ID);
    }
  }

  private void streamLogged(
      SubmittedStatements.Submitted submitted,
      TimestampWireForm timestamps,
      ServerStreamListener listener) {
    CancelOnClientCancel backpressure = new CancelOnClientCancel(submitted);
    backpressure.register(listener);
    try {
      Optional<StatementResult> result =
          StatementWaiter.await(
              service, submitted.session(), submitted.statement(), listener::isCancelled);
      if (result.isEmpty()) {
        return;
      }
      if (result.get() instanceof StatementResult.Rows rows) {
        streamRows(submitted, rows.stream(), timestamps, listener, backpressure);
      } else {
        sendEmpty(listener, new Schema(List.of()));
      }
    } catch (RuntimeException e) {
      if (listener.isCancelled()) {
        log.debug("Statement {} ended after its client canceled: {}", submitted.id(), e.toString());
      } else {
        listener.error(FlightErrorMapper.toClient(e));
      }
    } finally {
      statements.finished(submitted);
    }
  }

  private void streamRows(
      SubmittedStatements.Submitted submitted,
      ResultStream stream,
      TimestampWireForm timestamps,
      ServerStreamListener listener,
      CancelOnClientCancel backpressure) {
    VectorSchemaRoot out = null;
    try {
      while (stream.next()) {
        VectorSchemaRoot batch = stream.root();
        if (out == null) {
          // The front end's own allocator: the batch's allocator belongs to the query and is
          // closed with the stream, before this root. Same root allocator, so buffers are
          // shared, not copied. The client's form of TIMESTAMP has the same buffers.
          out = VectorSchemaRoot.create(timestamps.schema(stream.schema()), allocator);
          listener.start(out);
        }
        if (!backpressure.awaitReady(listener)) {
          cancel(submitted);
          return;
        }
        if (submitted.isCanceled()) {
          throw GatewayErrorCode.QUERY_CANCELED.exception("The statement was canceled");
        }
        try (ArrowRecordBatch records = new VectorUnloader(batch).getRecordBatch()) {
          new VectorLoader(out).load(records);
        }
        listener.putNext();
      }
      if (out == null) {
        sendEmpty(listener, timestamps.schema(stream.schema()));
      } else {
        listener.completed();
      }
    } finally {
      // Release the shared buffers before the gateway frees the stream (and maybe its allocator).
      if (out != null) {
        out.close();
      }
      stream.close();
    }
  }

  private void sendEmpty(ServerStreamListener listener, Schema schema) {
    try (VectorSchemaRoot empty = VectorSchemaRoot.create(schema, allocator)) {
      listener.start(empty);
      listener.completed();
    }
  }

  private void cancel(SubmittedStatements.Submitted submitted) {
    try {
      service.cancel(submitted.session(), submitted.id());
    } catch (RuntimeException e) {
      log.warn("Canceling statement {} after its client canceled failed", submitted.id(), e);
    }
  }

  /** Flight's callback flow control, plus: a client that cancels the call cancels the statement. */
  private final class CancelOnClientCancel
      extends BackpressureStrategy.CallbackBackpressureStrategy {
    private final SubmittedStatements.Submitted submitted;

    CancelOnClientCancel(SubmittedStatements.Submitted submitted) {
      this.submitted = submitted;
    }

    @Override
    protected void cancelCallback() {
      log.debug("Client canceled the stream of statement {}", submitted.id());
      cancel(submitted);
    }

    /** True once the client can take the next batch; false if it canceled. */
    boolean awaitReady(ServerStreamListener listener) {
      while (true) {
        switch (waitForListener(READY_WAIT_MILLIS)) {
          case READY:
            return true;
          case CANCELLED:
            return false;
          default:
            if (listener.isCancelled()) {
              return false;
            }
        }
      }
    }
  }
}

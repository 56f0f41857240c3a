package io.aquifer.flightsql;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import org.apache.arrow.flight.Action;
import org.apache.arrow.flight.ActionType;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.Criteria;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightProducer;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.PollInfo;
import org.apache.arrow.flight.PutResult;
import org.apache.arrow.flight.Result;
import org.apache.arrow.flight.SchemaResult;
import org.apache.arrow.flight.Ticket;

/**
 * Refuses tickets and descriptors that are not Flight SQL messages with INVALID_ARGUMENT before the
 * producer sees them (Flight SQL's base producer lets a protobuf parse failure or a path descriptor
 * through as INTERNAL). Everything else passes to the producer unchanged.
 */
final class MalformedCallGuard implements FlightProducer {
  private final FlightProducer producer;

  MalformedCallGuard(FlightProducer producer) {
    this.producer = requireNonNull(producer, "producer");
  }

  @Override
  public void getStream(CallContext context, Ticket ticket, ServerStreamListener listener) {
    if (!isAny(ticket.getBytes())) {
      listener.error(invalid("the ticket is not a Flight SQL ticket"));
      return;
    }
    producer.getStream(context, ticket, listener);
  }

  @Override
  public FlightInfo getFlightInfo(CallContext context, FlightDescriptor descriptor) {
    check(descriptor);
    return producer.getFlightInfo(context, descriptor);
  }

  @Override
  public PollInfo pollFlightInfo(CallContext context, FlightDescriptor descriptor) {
    check(descriptor);
    return producer.pollFlightInfo(context, descriptor);
  }

  @Override
  public SchemaResult getSchema(CallContext context, FlightDescriptor descriptor) {
    check(descriptor);
    return producer.getSchema(context, descriptor);
  }

  @Override
  public void listFlights(
      CallContext context, Criteria criteria, StreamListener<FlightInfo> listener) {
    producer.listFlights(context, criteria, listener);
  }

  @Override
  public Runnable acceptPut(
      CallContext context, FlightStream flightStream, StreamListener<PutResult> ackStream) {
    return producer.acceptPut(context, flightStream, ackStream);
  }

  @Override
  public void doExchange(CallContext context, FlightStream reader, ServerStreamListener writer) {
    producer.doExchange(context, reader, writer);
  }

  @Override
  public void doAction(CallContext context, Action action, StreamListener<Result> listener) {
    producer.doAction(context, action, listener);
  }

  @Override
  public void listActions(CallContext context, StreamListener<ActionType> listener) {
    producer.listActions(context, listener);
  }

  private static void check(FlightDescriptor descriptor) {
    if (!descriptor.isCommand()) {
      throw invalid("Flight SQL takes command descriptors, not paths");
    }
    if (!isAny(descriptor.getCommand())) {
      throw invalid("the descriptor's command is not a Flight SQL command");
    }
  }

  private static boolean isAny(byte[] bytes) {
    try {
      Any.parseFrom(bytes);
      return true;
    } catch (InvalidProtocolBufferException e) {
      return false;
    }
  }

  private static FlightRuntimeException invalid(String message) {
    return CallStatus.INVALID_ARGUMENT.withDescription(message).toRuntimeException();
  }
}

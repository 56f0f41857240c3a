package io.aquifer.flightsql;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.aquifer.gateway.GatewayErrorCode;
import java.io.IOException;
import java.util.Base64;
import java.util.Optional;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.vector.ipc.ReadChannel;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.ByteArrayReadableSeekableByteChannel;

/**
 * What a PollFlightInfo answer tells its client to poll again with: a command descriptor naming the
 * gateway statement and the result schema, so a later poll needs no state in this front end. The
 * gateway checks on every poll that the statement is the caller's.
 */
record PollHandle(String statementId, Schema schema) {
  /** The type URL of the {@code Any} the descriptor's command is (as Flight SQL commands are). */
  static final String TYPE_URL = "type.aquifer.io/aquifer.flightsql.PollStatement";

  PollHandle {
    requireNonNull(statementId, "statementId");
    requireNonNull(schema, "schema");
  }

  static FlightDescriptor descriptor(String statementId, Schema schema) {
    String text =
        statementId
            + ":"
            + Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(TableSchemaEncoder.serialize(schema));
    return FlightDescriptor.command(
        Any.newBuilder()
            .setTypeUrl(TYPE_URL)
            .setValue(ByteString.copyFromUtf8(text))
            .build()
            .toByteArray());
  }

  /**
   * The handle a descriptor command holds; empty for any other command. @throws GatewayException
   * INVALID_HANDLE for a damaged one
   */
  static Optional<PollHandle> parse(byte[] command) {
    Any any;
    try {
      any = Any.parseFrom(command);
    } catch (InvalidProtocolBufferException e) {
      return Optional.empty();
    }
    if (!TYPE_URL.equals(any.getTypeUrl())) {
      return Optional.empty();
    }
    String rest = any.getValue().toStringUtf8();
    int colon = rest.indexOf(':');
    if (colon <= 0) {
      throw malformed();
    }
    try {
      byte[] schema = Base64.getUrlDecoder().decode(rest.substring(colon + 1));
      return Optional.of(
          new PollHandle(
              rest.substring(0, colon),
              MessageSerializer.deserializeSchema(
                  new ReadChannel(new ByteArrayReadableSeekableByteChannel(schema)))));
    } catch (IOException | RuntimeException e) {
      throw malformed();
    }
  }

  private static RuntimeException malformed() {
    return GatewayErrorCode.INVALID_HANDLE.exception(
        "Malformed PollFlightInfo descriptor; poll with the descriptor the last answer gave");
  }
}

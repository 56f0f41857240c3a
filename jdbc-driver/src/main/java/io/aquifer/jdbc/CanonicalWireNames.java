package io.aquifer.jdbc;

import java.io.IOException;
import org.apache.calcite.avatica.proto.Common;
import org.apache.calcite.avatica.remote.ProtobufTranslation;
import org.apache.calcite.avatica.remote.Service.Request;
import org.apache.calcite.avatica.remote.Service.Response;

/**
 * Avatica's protobuf messages travel in a wrapper that names the message by its Java class name,
 * {@code org.apache.calcite.avatica.proto.Requests$FetchRequest}. This jar relocates Avatica under
 * {@code io.aquifer.jdbc.shaded}, so its classes carry other names: this translation writes the
 * canonical names on the way out and reads them back into the relocated ones on the way in. (In an
 * unrelocated build both are the same and nothing changes.)
 */
final class CanonicalWireNames implements ProtobufTranslation {
  /** Not rewritten by the relocation, which only matches Avatica's own package. */
  private static final String SHADED_PREFIX = "io.aquifer.jdbc.shaded.";

  private final ProtobufTranslation delegate;
  private final String localPackage;
  private final String wirePackage;

  CanonicalWireNames(ProtobufTranslation delegate) {
    this.delegate = delegate;
    String name = Common.class.getName();
    this.localPackage = name.substring(0, name.lastIndexOf('.') + 1);
    this.wirePackage =
        localPackage.startsWith(SHADED_PREFIX)
            ? localPackage.substring(SHADED_PREFIX.length())
            : localPackage;
  }

  @Override
  public byte[] serializeRequest(Request request) throws IOException {
    return rename(delegate.serializeRequest(request), localPackage, wirePackage);
  }

  @Override
  public Response parseResponse(byte[] bytes) throws IOException {
    return delegate.parseResponse(rename(bytes, wirePackage, localPackage));
  }

  @Override
  public byte[] serializeResponse(Response response) throws IOException {
    return rename(delegate.serializeResponse(response), localPackage, wirePackage);
  }

  @Override
  public Request parseRequest(byte[] bytes) throws IOException {
    return delegate.parseRequest(rename(bytes, wirePackage, localPackage));
  }

  private byte[] rename(byte[] bytes, String from, String to) throws IOException {
    if (from.equals(to)) {
      return bytes;
    }
    Common.WireMessage message = Common.WireMessage.parseFrom(bytes);
    if (!message.getName().startsWith(from)) {
      return bytes;
    }
    return message.toBuilder()
        .setName(to + message.getName().substring(from.length()))
        .build()
        .toByteArray();
  }
}

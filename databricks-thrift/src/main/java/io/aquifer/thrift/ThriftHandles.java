package io.aquifer.thrift;

import com.databricks.jdbc.model.client.thrift.generated.THandleIdentifier;
import io.aquifer.gateway.GatewayErrorCode;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.UUID;

/**
 * Session and operation handles: a random GUID (a UUID's 16 bytes) and a random 16-byte secret that
 * must come back with it.
 */
final class ThriftHandles {
  private static final SecureRandom RANDOM = new SecureRandom();

  private ThriftHandles() {}

  /** A new handle's GUID and secret. */
  record Handle(UUID guid, byte[] secret) {
    static Handle random() {
      byte[] secret = new byte[16];
      RANDOM.nextBytes(secret);
      return new Handle(UUID.randomUUID(), secret);
    }

    THandleIdentifier identifier() {
      ByteBuffer guid = ByteBuffer.allocate(16);
      guid.putLong(this.guid.getMostSignificantBits());
      guid.putLong(this.guid.getLeastSignificantBits());
      guid.flip();
      return new THandleIdentifier(guid, ByteBuffer.wrap(secret.clone()));
    }

    boolean matches(THandleIdentifier id) {
      byte[] sent = bytes(id.bufferForSecret());
      return java.security.MessageDigest.isEqual(sent, secret);
    }
  }

  /** The GUID a handle names. @throws GatewayException INVALID_HANDLE for a malformed one */
  static UUID guid(THandleIdentifier id, String kind) {
    if (id == null || id.bufferForGuid() == null || id.bufferForGuid().remaining() != 16) {
      throw GatewayErrorCode.INVALID_HANDLE.exception("Invalid " + kind + " handle: malformed");
    }
    ByteBuffer b = id.bufferForGuid().duplicate();
    return new UUID(b.getLong(), b.getLong());
  }

  private static byte[] bytes(ByteBuffer buffer) {
    if (buffer == null) {
      return new byte[0];
    }
    ByteBuffer b = buffer.duplicate();
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }
}

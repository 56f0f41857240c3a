package io.aquifer.exec.node;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * The shared secret between a gateway and one warehouse node. The gateway generates a new one for
 * each node it starts and hands it over without a command line: in memory for a node in its own
 * JVM, in the environment variable {@value #ENVIRONMENT_VARIABLE} or a file readable only by its
 * owner ({@code --secret-file}) for a node process. The node refuses every Flight call that does
 * not present it (see {@link NodeSecretAuthenticator}).
 *
 * <p>The secret never appears in {@link #toString()}, logs or error messages.
 */
public final class NodeSecret {
  public static final String ENVIRONMENT_VARIABLE = "AQUIFER_NODE_SECRET";

  /** The header every call to a node carries: {@code authorization: Bearer <secret>}. */
  static final String HEADER = "authorization";

  static final String SCHEME = "Bearer ";

  private static final int BYTES = 32;
  private static final int MIN_LENGTH = 32;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] text;

  private NodeSecret(String text) {
    requireNonNull(text, "text");
    if (text.length() < MIN_LENGTH) {
      throw new IllegalArgumentException(
          "a node secret has at least " + MIN_LENGTH + " characters");
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c <= ' ' || c > '~') {
        throw new IllegalArgumentException(
            "a node secret is printable ASCII without spaces (it travels in a header)");
      }
    }
    this.text = text.getBytes(UTF_8);
  }

  /** A new random secret: 256 bits from {@link SecureRandom}, base64url. */
  public static NodeSecret generate() {
    byte[] bytes = new byte[BYTES];
    RANDOM.nextBytes(bytes);
    return new NodeSecret(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
  }

  public static NodeSecret of(String text) {
    return new NodeSecret(text.strip());
  }

  /**
   * Reads a secret from a file, which must not be readable or writable by group or others (where
   * the file system has POSIX permissions).
   */
  public static NodeSecret fromFile(Path file) throws IOException {
    try {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
      for (PosixFilePermission p : permissions) {
        if (p != PosixFilePermission.OWNER_READ && p != PosixFilePermission.OWNER_WRITE) {
          throw new IllegalArgumentException(
              "the node secret file " + file + " must be readable by its owner only (chmod 600)");
        }
      }
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: nothing to check
    }
    return of(Files.readString(file, UTF_8));
  }

  /**
   * Writes the secret to a new file readable and writable by its owner only, for a node process
   * started with {@code --secret-file}.
   */
  public void writeTo(Path file) throws IOException {
    Files.deleteIfExists(file);
    try {
      Files.createFile(
          file,
          java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
              Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)));
    } catch (UnsupportedOperationException e) {
      Files.createFile(file);
    }
    Files.write(file, text);
  }

  /** The value of the {@value #HEADER} header that carries this secret. */
  String headerValue() {
    return SCHEME + new String(text, UTF_8);
  }

  /** Whether a presented header value carries this secret; constant time in the secret. */
  boolean acceptsHeader(String presented) {
    if (presented == null || !presented.startsWith(SCHEME)) {
      return false;
    }
    byte[] candidate = presented.substring(SCHEME.length()).getBytes(UTF_8);
    return MessageDigest.isEqual(text, candidate);
  }

  /** Never the secret itself. */
  @Override
  public String toString() {
    return "NodeSecret[redacted]";
  }
}

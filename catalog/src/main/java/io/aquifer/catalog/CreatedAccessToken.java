package io.aquifer.catalog;

import static java.util.Objects.requireNonNull;

/**
 * A token just created: the plaintext exists only here, once, to be shown to the user. {@link
 * #toString()} leaves it out so that it does not end up in logs.
 */
public record CreatedAccessToken(String token, AccessTokenInfo info) {
  public CreatedAccessToken {
    requireNonNull(token, "token");
    requireNonNull(info, "info");
  }

  @Override
  public String toString() {
    return "CreatedAccessToken[token=<redacted>, info=" + info + "]";
  }
}

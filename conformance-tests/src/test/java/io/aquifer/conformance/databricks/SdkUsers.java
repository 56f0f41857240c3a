package io.aquifer.conformance.databricks;

import io.aquifer.catalog.AccessTokenStore;
import io.aquifer.catalog.CatalogDatabase;
import io.aquifer.catalog.PrincipalStore;
import io.aquifer.server.AquiferServer;
import java.nio.file.Path;
import java.util.Optional;

/** A second, non-admin user for the SDK tests, made in the server's catalog with a token. */
final class SdkUsers {
  private SdkUsers() {}

  /** Creates {@code user} (not an admin) and returns a new access token of it. */
  static String createUserWithToken(Path dataDirectory, String user, String comment) {
    try (CatalogDatabase database =
        CatalogDatabase.open(dataDirectory.resolve(AquiferServer.CATALOG_FILE))) {
      new PrincipalStore(database).createUser(user, false);
      return new AccessTokenStore(database)
          .createToken(user, Optional.of(comment), Optional.empty())
          .token();
    }
  }
}

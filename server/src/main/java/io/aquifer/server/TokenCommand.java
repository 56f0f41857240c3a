package io.aquifer.server;

import io.aquifer.catalog.AccessTokenInfo;
import io.aquifer.catalog.AccessTokenStore;
import io.aquifer.catalog.CatalogErrorCode;
import io.aquifer.catalog.CatalogException;
import io.aquifer.catalog.CreatedAccessToken;
import io.aquifer.catalog.PrincipalStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code aquifer token create|list|revoke}: personal access tokens in the catalog database (the
 * server may be running). A revoke holds at once for a running server's new connections and within
 * 30 seconds for a client it authenticated just before.
 */
@Command(
    name = "token",
    mixinStandardHelpOptions = true,
    description = "Creates, lists and revokes personal access tokens (the server may be running).",
    subcommands = {
      TokenCommand.Create.class,
      TokenCommand.ListTokens.class,
      TokenCommand.Revoke.class
    })
final class TokenCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    CommandLine.usage(this, System.out);
    return 0;
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = {
        "Prints a new token for a user or service principal; makes the user (not an admin) if it"
            + " does not exist."
      })
  static final class Create implements Callable<Integer> {
    @CommandLine.Mixin AquiferCommand.ConfigOptions config = new AquiferCommand.ConfigOptions();

    @Option(
        names = "--user",
        defaultValue = "admin",
        description =
            "Token owner: a user or a service principal's application id (default: admin).")
    String user;

    @Option(names = "--comment", description = "What the token is for.")
    String comment;

    @Option(
        names = "--lifetime",
        paramLabel = "DURATION",
        description = "How long the token is valid: 30m, 12h, 90d or PT8H (default: no expiry).")
    String lifetime;

    @Override
    public Integer call() {
      return CatalogAdminCommand.withDatabase(
          "token",
          config,
          database -> {
            var duration = Optional.ofNullable(lifetime).map(CatalogAdminCommand::lifetime);
            PrincipalStore principals = new PrincipalStore(database);
            if (principals.getPrincipal(user).isEmpty()) {
              principals.createUser(user, false);
            }
            CreatedAccessToken token =
                new AccessTokenStore(database)
                    .createToken(user, Optional.ofNullable(comment), duration);
            System.out.println(token.token());
            token
                .info()
                .expiresAt()
                .ifPresent(
                    e -> System.err.println("token " + token.info().id() + " expires at " + e));
            return 0;
          });
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description =
          "Lists a user's tokens (id, created, expires, state, comment); never the tokens.")
  static final class ListTokens implements Callable<Integer> {
    @CommandLine.Mixin AquiferCommand.ConfigOptions config = new AquiferCommand.ConfigOptions();

    @Option(
        names = "--user",
        defaultValue = "admin",
        description = "Whose tokens (default: admin).")
    String user;

    @Override
    public Integer call() {
      return CatalogAdminCommand.withDatabase(
          "token",
          config,
          database -> {
            List<AccessTokenInfo> tokens = new AccessTokenStore(database).listTokens(user);
            Instant now = Instant.now();
            System.out.println("id\tcreated\texpires\tstate\tcomment");
            for (AccessTokenInfo t : tokens) {
              String state =
                  t.revokedAt().isPresent() ? "revoked" : t.isValidAt(now) ? "active" : "expired";
              System.out.println(
                  t.id()
                      + "\t"
                      + t.createdAt()
                      + "\t"
                      + t.expiresAt().map(Instant::toString).orElse("never")
                      + "\t"
                      + state
                      + "\t"
                      + t.comment().orElse(""));
            }
            return 0;
          });
    }
  }

  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description = "Revokes a token by its id (from 'aquifer token list').")
  static final class Revoke implements Callable<Integer> {
    @CommandLine.Mixin AquiferCommand.ConfigOptions config = new AquiferCommand.ConfigOptions();

    @Parameters(index = "0", paramLabel = "TOKEN_ID", description = "The token's id.")
    String tokenId;

    @Override
    public Integer call() {
      return CatalogAdminCommand.withDatabase(
          "token",
          config,
          database -> {
            AccessTokenStore tokens = new AccessTokenStore(database);
            if (tokens.getToken(tokenId).isEmpty()) {
              throw new CatalogException(
                  CatalogErrorCode.CATALOG_OBJECT_NOT_FOUND,
                  "access token " + tokenId + " not found");
            }
            tokens.revokeToken(tokenId);
            System.out.println("revoked token " + tokenId);
            return 0;
          });
    }
  }
}

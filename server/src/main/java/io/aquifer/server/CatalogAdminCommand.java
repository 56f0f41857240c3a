package io.aquifer.server;

import io.aquifer.catalog.CatalogDatabase;
import io.aquifer.catalog.CatalogException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the commands that change principals and tokens in the catalog database share ({@code aquifer
 * token}, {@code group}, {@code service-principal}, {@code user}): opening the database of a data
 * directory (the server may be running) and turning catalog errors into an exit code 1.
 */
final class CatalogAdminCommand {
  private static final Pattern LIFETIME = Pattern.compile("(\\d+)\\s*([smhd])");

  private CatalogAdminCommand() {}

  static int withDatabase(
      String command,
      AquiferCommand.ConfigOptions config,
      Function<CatalogDatabase, Integer> action) {
    ServerConfig serverConfig =
        ServerConfig.load(config.configFile, System.getenv(), config.flags());
    Path db = serverConfig.dataDirectory().resolve(AquiferServer.CATALOG_FILE);
    if (!Files.exists(db)) {
      System.err.println(
          "aquifer "
              + command
              + ": no warehouse in "
              + serverConfig.dataDirectory()
              + "; run 'aquifer start' first");
      return 1;
    }
    try (CatalogDatabase database = CatalogDatabase.open(db)) {
      return action.apply(database);
    } catch (CatalogException e) {
      System.err.println(
          "aquifer "
              + command
              + ": "
              + e.code().name()
              + " (SQLSTATE "
              + e.code().sqlState()
              + "): "
              + e.getMessage());
      return 1;
    } catch (IllegalArgumentException e) {
      System.err.println("aquifer " + command + ": " + e.getMessage());
      return 2;
    }
  }

  /**
   * A token lifetime: a number with a unit, {@code 30m}, {@code 12h}, {@code 90d} (also seconds,
   * {@code s}), or an ISO-8601 duration such as {@code PT8H}.
   */
  static Duration lifetime(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    Matcher m = LIFETIME.matcher(t);
    Duration d;
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      d =
          switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
          };
    } else {
      try {
        d = Duration.parse(text.strip().toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(
            "--lifetime '" + text + "' is not a lifetime; write e.g. 30m, 12h, 90d or PT8H");
      }
    }
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException("--lifetime must be positive: " + text);
    }
    return d;
  }
}

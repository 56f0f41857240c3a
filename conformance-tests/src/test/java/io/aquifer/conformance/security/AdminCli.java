package io.aquifer.conformance.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.aquifer.server.AquiferCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * Runs {@code aquifer} admin commands in the test's JVM against a data directory, as an admin
 * would.
 */
final class AdminCli {
  private AdminCli() {}

  /** Runs {@code aquifer args... --data-dir dataDirectory}, asserts exit 0, returns its output. */
  static String run(Path dataDirectory, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--data-dir");
    all.add(dataDirectory.toString());
    PrintStream old = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      assertEquals(0, new CommandLine(new AquiferCommand()).execute(all.toArray(String[]::new)));
    } finally {
      System.setOut(old);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** The id of the token whose comment is {@code comment} in {@code aquifer token list} output. */
  static String tokenId(String listing, String comment) {
    for (String line : listing.split("\n")) {
      if (line.endsWith("\t" + comment)) {
        return line.substring(0, line.indexOf('\t'));
      }
    }
    throw new AssertionError("no token with comment " + comment + " in " + listing);
  }
}

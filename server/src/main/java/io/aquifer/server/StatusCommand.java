package io.aquifer.server;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code aquifer status}: whether a server runs on a data directory, its pid and ports. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Says whether an Aquifer server runs on the data directory, with its pid and ports.",
      "Exit status: 0 running, 3 not running, 1 error (the data directory cannot be read)."
    },
    exitCodeListHeading = "Exit status:%n",
    exitCodeList = {"0:running", "3:not running", "1:error"})
final class StatusCommand implements Callable<Integer> {
  static final int RUNNING = 0;
  static final int NOT_RUNNING = 3;
  static final int ERROR = 1;

  @CommandLine.Mixin AquiferCommand.ConfigOptions config = new AquiferCommand.ConfigOptions();

  @Override
  public Integer call() {
    Path dataDir;
    DataDirectoryOwner owner;
    try {
      dataDir =
          ServerConfig.load(config.configFile, System.getenv(), config.flags()).dataDirectory();
      owner = DataDirectoryOwner.of(dataDir);
    } catch (IOException | RuntimeException e) {
      System.err.println("aquifer status: " + e.getMessage());
      return ERROR;
    }
    PrintStream out = System.out;
    if (!owner.running()) {
      out.println("Aquifer is not running on " + dataDir);
      return NOT_RUNNING;
    }
    out.println(
        "Aquifer is "
            + (owner.serving() ? "running" : "starting")
            + " on "
            + dataDir
            + owner.pid().stream().mapToObj(p -> " (pid " + p + ")").findFirst().orElse(""));
    owner.flightPort().ifPresent(p -> out.println("  Arrow Flight SQL port: " + p));
    owner.avaticaPort().ifPresent(p -> out.println("  Avatica port: " + p));
    owner
        .httpPort()
        .ifPresent(
            p ->
                out.println(
                    "  HTTP port (Databricks REST API, SQL protocol, editor, /metrics): " + p));
    if (owner.serving()) {
      out.println("  Connection details: " + dataDir.resolve(ConnectionFile.NAME));
    }
    return RUNNING;
  }
}

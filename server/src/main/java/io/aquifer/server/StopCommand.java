package io.aquifer.server;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code aquifer stop}: asks the server of a data directory to stop (SIGTERM, the same clean stop
 * as Ctrl-C: running statements are canceled, clusters stopped, history written) and waits until it
 * has let go of the data directory.
 */
@Command(
    name = "stop",
    mixinStandardHelpOptions = true,
    description = {
      "Stops the Aquifer server running on the data directory: sends it SIGTERM (a clean stop:"
          + " running statements are canceled, warehouse clusters stop, the query history is"
          + " written) and waits until it has exited.",
      "Exit status: 0 stopped, 3 not running, 1 it did not stop in time or could not be asked to."
    },
    exitCodeListHeading = "Exit status:%n",
    exitCodeList = {"0:stopped", "3:not running", "1:error or timeout"})
final class StopCommand implements Callable<Integer> {
  static final int STOPPED = 0;
  static final int NOT_RUNNING = 3;
  static final int ERROR = 1;

  @CommandLine.Mixin AquiferCommand.ConfigOptions config = new AquiferCommand.ConfigOptions();

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "60",
      description = "How long to wait for the server to exit (default: 60).")
  long timeoutSeconds;

  @Override
  public Integer call() throws InterruptedException {
    if (timeoutSeconds < 1) {
      System.err.println("aquifer stop: --timeout must be at least 1 second");
      return ERROR;
    }
    Path dataDir;
    DataDirectoryOwner owner;
    try {
      dataDir =
          ServerConfig.load(config.configFile, System.getenv(), config.flags()).dataDirectory();
      owner = DataDirectoryOwner.of(dataDir);
    } catch (IOException | RuntimeException e) {
      System.err.println("aquifer stop: " + e.getMessage());
      return ERROR;
    }
    if (!owner.running()) {
      System.out.println("Aquifer is not running on " + dataDir + "; nothing to stop");
      return NOT_RUNNING;
    }
    if (owner.pid().isEmpty()) {
      System.err.println(
          "aquifer stop: a process holds " + dataDir + " but its pid is not recorded there");
      return ERROR;
    }
    long pid = owner.pid().getAsLong();
    if (pid == ProcessHandle.current().pid()) {
      System.err.println("aquifer stop: the server of " + dataDir + " is this very process");
      return ERROR;
    }
    Optional<ProcessHandle> process = ProcessHandle.of(pid);
    if (process.isEmpty() || !process.get().isAlive()) {
      System.err.println(
          "aquifer stop: process " + pid + " recorded in " + dataDir + " is not running");
      return ERROR;
    }
    if (!process.get().destroy()) { // SIGTERM on Unix
      System.err.println("aquifer stop: could not signal process " + pid);
      return ERROR;
    }
    System.out.println(
        "Stopping Aquifer (pid "
            + pid
            + ") on "
            + dataDir
            + ", waiting up to "
            + timeoutSeconds
            + " s...");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    while (true) {
      boolean exited = !process.get().isAlive();
      boolean released;
      try {
        released = !DataDirectoryOwner.of(dataDir).running();
      } catch (IOException e) {
        released = false;
      }
      if (exited && released) {
        System.out.println("Aquifer (pid " + pid + ") stopped");
        return STOPPED;
      }
      if (System.nanoTime() > deadline) {
        System.err.println(
            "aquifer stop: Aquifer (pid "
                + pid
                + ") did not stop within "
                + timeoutSeconds
                + " s; it may still be finishing. Run 'aquifer stop' again to wait longer, or"
                + " 'kill -9 "
                + pid
                + "' to end it at once");
        return ERROR;
      }
      Thread.sleep(100);
    }
  }
}

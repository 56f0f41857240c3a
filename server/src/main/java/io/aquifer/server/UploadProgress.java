package io.aquifer.server;

import static java.util.Objects.requireNonNull;

import java.io.PrintStream;
import java.util.Locale;

/**
 * {@code aquifer load}'s progress on standard error: on a terminal a bar per file with the bytes
 * uploaded, redrawn in place ({@code \r}) at most a few times a second; otherwise one line per
 * uploaded file.
 */
final class UploadProgress {
  private static final int BAR_WIDTH = 30;
  private static final long REDRAW_NANOS = 200_000_000L;

  private final PrintStream err;
  private final boolean terminal;
  private String name = "";
  private long size;
  private long started;
  private long lastDraw;
  private int lastLength;

  UploadProgress(PrintStream err, boolean terminal) {
    this.err = requireNonNull(err, "err");
    this.terminal = terminal;
  }

  void fileStarted(String name, long size) {
    this.name = requireNonNull(name, "name");
    this.size = size;
    this.started = System.nanoTime();
    this.lastDraw = 0;
    if (terminal) {
      draw(0);
    }
  }

  /** Bytes of the current file sent so far (called from the uploading thread). */
  void uploaded(long bytes) {
    if (!terminal) {
      return;
    }
    long now = System.nanoTime();
    if (now - lastDraw >= REDRAW_NANOS) {
      lastDraw = now;
      draw(bytes);
    }
  }

  void fileDone() {
    double seconds = (System.nanoTime() - started) / 1e9;
    String line =
        String.format(
            Locale.ROOT,
            "uploaded %s (%s in %.1f s, %s/s)",
            name,
            bytes(size),
            seconds,
            bytes((long) (size / Math.max(seconds, 1e-3))));
    if (terminal) {
      err.print("\r" + pad(line) + "\n");
    } else {
      err.println(line);
    }
    lastLength = 0;
    err.flush();
  }

  /** Ends a bar left on the line (a failed upload), so later messages start on their own line. */
  void fileFailed() {
    if (terminal && lastLength > 0) {
      err.println();
      lastLength = 0;
    }
  }

  private void draw(long bytes) {
    double fraction = size == 0 ? 1 : Math.min(1, (double) bytes / size);
    int filled = (int) Math.round(fraction * BAR_WIDTH);
    String line =
        String.format(
            Locale.ROOT,
            "%s [%s%s] %3d%% %s / %s",
            name,
            "#".repeat(filled),
            " ".repeat(BAR_WIDTH - filled),
            Math.round(fraction * 100),
            bytes(bytes),
            bytes(size));
    err.print("\r" + pad(line));
    err.flush();
  }

  private String pad(String line) {
    String padded =
        line.length() < lastLength ? line + " ".repeat(lastLength - line.length()) : line;
    lastLength = line.length();
    return padded;
  }

  static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double value = n;
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }
}

package io.aquifer.tpch;

import static java.util.Objects.requireNonNull;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Shows a load on a terminal: one progress bar per table with rows and rows/s, redrawn in place
 * ({@code \r}) a few times a second, then a line per finished table and a summary. Without a
 * terminal (output redirected) only the finished lines and the summary are printed.
 */
public final class ConsoleLoadProgress implements LoadProgress {
  private static final int BAR_WIDTH = 30;
  private static final int NAME_WIDTH = 9;

  private final PrintStream out;
  private final boolean interactive;
  private long tableStart;
  private long expectedRows;
  private int lastLength;

  /**
   * @param interactive redraw progress bars in place (true when {@code out} is a terminal)
   */
  public ConsoleLoadProgress(PrintStream out, boolean interactive) {
    this.out = requireNonNull(out, "out");
    this.interactive = interactive;
  }

  /** Progress on standard error, with bars when the process has a terminal. */
  public static ConsoleLoadProgress onStandardError() {
    return new ConsoleLoadProgress(System.err, System.console() != null);
  }

  @Override
  public void loadStarted(TpchSchemaName schema, TpchScaleFactor scaleFactor, int tables) {
    out.printf(
        Locale.ROOT,
        "Loading TPC-H scale factor %s into %s (%d tables; derived from TPC-H, not audited TPC"
            + " results)%n",
        scaleFactor,
        schema,
        tables);
  }

  @Override
  public void tableStarted(String table, long expectedRows) {
    this.tableStart = System.nanoTime();
    this.expectedRows = expectedRows;
    draw(table, 0, "generating");
  }

  @Override
  public void rowsGenerated(String table, long rows) {
    draw(table, rows, "generating");
  }

  @Override
  public void tableWriting(String table, long rows) {
    draw(table, rows, "writing Parquet");
  }

  @Override
  public void tableLoaded(TableLoadResult result) {
    finish(
        String.format(
            Locale.ROOT,
            "%-" + NAME_WIDTH + "s %s %,13d rows %6.1f s %10s rows/s  %d file%s, %s",
            result.table().table(),
            bar(1.0),
            result.rows(),
            result.elapsed().toNanos() / 1e9,
            rate(result.rowsPerSecond()),
            result.files(),
            result.files() == 1 ? "" : "s",
            bytes(result.bytes())));
  }

  @Override
  public void tableSkipped(TableLoadResult result) {
    finish(
        String.format(
            Locale.ROOT,
            "%-" + NAME_WIDTH + "s %s %,13d rows  already loaded (version %d), skipped",
            result.table().table(),
            " ".repeat(BAR_WIDTH + 2),
            result.rows(),
            result.deltaVersion()));
  }

  @Override
  public void loadFinished(LoadSummary summary) {
    double seconds = summary.elapsed().toNanos() / 1e9;
    if (summary.nothingLoaded()) {
      out.printf(
          Locale.ROOT,
          "%s is complete already: %,d rows in %d tables, nothing to do.%n",
          summary.schema(),
          summary.totalRows(),
          summary.tables().size());
      return;
    }
    out.printf(
        Locale.ROOT,
        "Loaded %s: %d of %d tables written, %,d rows, %s of Parquet in %.1f s (%s rows/s)%s.%n",
        summary.schema(),
        summary.loadedTables(),
        summary.tables().size(),
        summary.loadedRows(),
        bytes(summary.loadedBytes()),
        seconds,
        rate(seconds > 0 ? summary.loadedRows() / seconds : 0),
        summary.loadedTables() == summary.tables().size()
            ? ""
            : String.format(Locale.ROOT, "; %,d rows in all", summary.totalRows()));
  }

  private void draw(String table, long rows, String phase) {
    if (!interactive) {
      return;
    }
    double seconds = (System.nanoTime() - tableStart) / 1e9;
    double fraction = expectedRows <= 0 ? 0 : Math.min(1.0, (double) rows / expectedRows);
    String line =
        String.format(
            Locale.ROOT,
            "%-" + NAME_WIDTH + "s %s %,13d rows %6.1f s %10s rows/s  %s",
            table,
            bar(fraction),
            rows,
            seconds,
            rate(seconds > 0 ? rows / seconds : 0),
            phase);
    out.print("\r" + pad(line));
    out.flush();
  }

  private void finish(String line) {
    out.print((interactive ? "\r" : "") + pad(line) + System.lineSeparator());
    out.flush();
    lastLength = 0;
  }

  /** Pads to the last drawn length so that a shorter line hides the longer one below it. */
  private String pad(String line) {
    String padded =
        line.length() < lastLength ? line + " ".repeat(lastLength - line.length()) : line;
    lastLength = line.length();
    return padded;
  }

  private static String bar(double fraction) {
    int full = (int) Math.round(fraction * BAR_WIDTH);
    return "[" + "#".repeat(full) + "-".repeat(BAR_WIDTH - full) + "]";
  }

  static String rate(double perSecond) {
    if (perSecond >= 1e6) {
      return String.format(Locale.ROOT, "%.2fM", perSecond / 1e6);
    }
    if (perSecond >= 1e3) {
      return String.format(Locale.ROOT, "%.1fk", perSecond / 1e3);
    }
    return String.format(Locale.ROOT, "%.0f", perSecond);
  }

  static String bytes(long bytes) {
    if (bytes >= 1L << 30) {
      return String.format(Locale.ROOT, "%.2f GiB", bytes / (double) (1L << 30));
    }
    if (bytes >= 1L << 20) {
      return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
    }
    if (bytes >= 1L << 10) {
      return String.format(Locale.ROOT, "%.1f KiB", bytes / (double) (1L << 10));
    }
    return bytes + " B";
  }
}

package io.aquifer.tpch;

import static java.util.Objects.requireNonNull;

import io.trino.tpch.TpchEntity;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Generates a table's rows with the io.trino.tpch generator and writes them as {@code |}-separated
 * text files, one per generator part, the parts spread over a thread pool. Large tables are split
 * into parts of about {@value #ROWS_PER_PART} rows (and at least one part per thread), so the
 * engine later reads several files in parallel.
 */
final class TpchTextGenerator {
  static final long ROWS_PER_PART = 1_000_000;

  /** Below this a table is generated as one part: splitting costs more than it saves. */
  private static final long MIN_ROWS_TO_SPLIT = 100_000;

  private static final int ROWS_PER_COUNT = 8_192;
  private static final long REPORT_INTERVAL_MILLIS = 200;

  private final ExecutorService pool;
  private final int threads;

  TpchTextGenerator(ExecutorService pool, int threads) {
    this.pool = requireNonNull(pool, "pool");
    if (threads < 1) {
      throw new IllegalArgumentException("threads < 1: " + threads);
    }
    this.threads = threads;
  }

  /** How many generator parts a table is cut into. Nation and region must stay one part. */
  int partCount(TpchTableSpec<?> table, TpchScaleFactor scaleFactor) {
    long rows = table.approximateRows(scaleFactor);
    if (!table.scaled() || rows < MIN_ROWS_TO_SPLIT) {
      return 1;
    }
    long parts = Math.max(threads, (rows + ROWS_PER_PART - 1) / ROWS_PER_PART);
    return (int) Math.min(parts, Integer.MAX_VALUE);
  }

  /** The text files of some parts of a table and the rows they hold. */
  record GeneratedText(List<Path> files, long rows) {
    GeneratedText {
      files = List.copyOf(files);
    }
  }

  /**
   * Writes parts {@code firstPart} to {@code lastPart} (1-based) of the table cut into {@code
   * parts} into {@code directory} as {@code part-NNNNN.tbl} files and returns them with their row
   * count. Calls {@code rowsSoFar} on the calling thread a few times a second with the rows these
   * parts have written so far; an exception it throws stops the generation. On failure or
   * interruption every running part is stopped before this returns; the caller deletes the
   * directory.
   */
  <E extends TpchEntity> GeneratedText generate(
      TpchTableSpec<E> table,
      TpchScaleFactor scaleFactor,
      int firstPart,
      int lastPart,
      int parts,
      Path directory,
      LongConsumer rowsSoFar)
      throws IOException, InterruptedException {
    if (firstPart < 1 || lastPart < firstPart || lastPart > parts) {
      throw new IllegalArgumentException(
          "parts " + firstPart + " to " + lastPart + " of " + parts + " do not exist");
    }
    Files.createDirectories(directory);
    AtomicLong rows = new AtomicLong();
    List<Path> files = new ArrayList<>();
    List<PartTask> tasks = new ArrayList<>();
    try {
      for (int part = firstPart; part <= lastPart; part++) {
        Path file = directory.resolve(String.format("part-%05d.tbl", part));
        files.add(file);
        int thisPart = part;
        PartTask task =
            new PartTask(() -> writePart(table, scaleFactor, thisPart, parts, file, rows));
        task.future = pool.submit(task);
        tasks.add(task);
      }
      for (PartTask task : tasks) {
        while (true) {
          try {
            task.future.get(REPORT_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
            break;
          } catch (TimeoutException e) {
            rowsSoFar.accept(rows.get());
          }
        }
      }
      rowsSoFar.accept(rows.get());
      return new GeneratedText(files, rows.get());
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IOException("generating " + table.name() + " failed", cause);
    } finally {
      for (PartTask task : tasks) {
        task.stop();
      }
    }
  }

  /** One part's work, which {@link #stop} either prevents from starting or waits out. */
  private static final class PartTask implements Callable<Void> {
    private static final int NEW = 0;
    private static final int RUNNING = 1;
    private static final int STOPPED = 2;

    private final IoAction action;
    private final AtomicInteger state = new AtomicInteger(NEW);
    private final CountDownLatch done = new CountDownLatch(1);
    Future<Void> future;

    PartTask(IoAction action) {
      this.action = action;
    }

    @Override
    public Void call() throws IOException {
      if (!state.compareAndSet(NEW, RUNNING)) {
        return null;
      }
      try {
        action.run();
        return null;
      } finally {
        done.countDown();
      }
    }

    /** Returns once the part is finished or will never start; interrupts it if running. */
    void stop() {
      if (state.compareAndSet(NEW, STOPPED)) {
        future.cancel(false);
        return;
      }
      future.cancel(true);
      boolean interrupted = false;
      while (true) {
        try {
          done.await();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @FunctionalInterface
  private interface IoAction {
    void run() throws IOException;
  }

  private static <E extends TpchEntity> void writePart(
      TpchTableSpec<E> table,
      TpchScaleFactor scaleFactor,
      int part,
      int parts,
      Path file,
      AtomicLong rows)
      throws IOException {
    TpchTableSpec.RowFormatter<E> formatter = table.formatter();
    int sinceCount = 0;
    try (OutputStream stream = Files.newOutputStream(file);
        DelimitedTextWriter out = new DelimitedTextWriter(stream)) {
      for (E row : table.generator().createGenerator(scaleFactor.asDouble(), part, parts)) {
        formatter.write(row, out);
        out.endRow();
        if (++sinceCount == ROWS_PER_COUNT) {
          rows.addAndGet(sinceCount);
          sinceCount = 0;
          if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedIOException("generating " + table.name() + " was interrupted");
          }
        }
      }
    }
    rows.addAndGet(sinceCount);
  }
}

package io.aquifer.exec.duckdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.exec.ExecErrorCode;
import io.aquifer.exec.ExecException;
import io.aquifer.exec.QueryFragment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cancel works before, during (while computing and while streaming) and after a query. */
class DuckDbCancelTest {
  /** Hours of work on two threads; only a cancel ends it. */
  static final String ENDLESS_AGGREGATE =
      "SELECT count(*) FROM range(1000000000) a, range(1000000) b WHERE a.range + b.range = -1";

  /** Streams two million rows at once, then searches for minutes for the next. */
  static final String ENDLESS_STREAM =
      "SELECT x FROM range(1000000000000) t(x) WHERE x < 2000000 OR x % 3000000000 = 7";

  @TempDir static Path root;
  static DuckDbEngineFixture fixture;

  @BeforeAll
  static void start() {
    fixture = new DuckDbEngineFixture(root);
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  @AfterEach
  void theEngineServesTheNextQuery() throws Exception {
    assertEquals(List.of(List.of(42)), fixture.rows("SELECT 42"));
    assertEquals(0, fixture.engine.runningQueries());
  }

  @Test
  void aQueryCanceledBeforeItArrivesFailsAtOnce() {
    QueryFragment fragment = DuckDbEngineFixture.fragment("SELECT 1");
    fixture.engine.cancel(fragment.queryId());
    ExecException e =
        assertThrows(
            ExecException.class, () -> fixture.engine.execute(fragment, fixture.allocator));
    assertEquals(ExecErrorCode.QUERY_CANCELED, e.code());
    assertEquals("57014", e.sqlState());
    assertTrue(e.getMessage().contains(fragment.queryId()), e.getMessage());
  }

  @Test
  void aLongCrossJoinIsCanceledFromAnotherThread() throws Exception {
    QueryFragment fragment = DuckDbEngineFixture.fragment(ENDLESS_AGGREGATE);
    CompletableFuture<Long> failedAt =
        CompletableFuture.supplyAsync(
            () -> {
              ExecException e =
                  assertThrows(
                      ExecException.class,
                      () -> {
                        try (ArrowReader reader =
                            fixture.engine.execute(fragment, fixture.allocator)) {
                          while (reader.loadNextBatch()) {}
                        }
                      });
              assertEquals(ExecErrorCode.QUERY_CANCELED, e.code(), e.getMessage());
              return System.nanoTime();
            });
    waitUntilRunning(fragment.queryId(), 1);
    Thread.sleep(300);
    long canceledAt = System.nanoTime();
    fixture.engine.cancel(fragment.queryId());
    long took = failedAt.get(60, TimeUnit.SECONDS) - canceledAt;
    assertTrue(took < Duration.ofSeconds(15).toNanos(), "cancel took " + took / 1_000_000 + " ms");
  }

  @Test
  void aStreamingQueryIsCanceledWhileTheReaderWaitsForRows() throws Exception {
    QueryFragment fragment = DuckDbEngineFixture.fragment(ENDLESS_STREAM);
    CountDownLatch streamed = new CountDownLatch(1);
    AtomicLong lastBatchAt = new AtomicLong();
    CompletableFuture<ExecException> failure =
        CompletableFuture.supplyAsync(
            () ->
                assertThrows(
                    ExecException.class,
                    () -> {
                      long rows = 0;
                      try (ArrowReader reader =
                          fixture.engine.execute(fragment, fixture.allocator)) {
                        while (reader.loadNextBatch()) {
                          lastBatchAt.set(System.nanoTime());
                          rows += reader.getVectorSchemaRoot().getRowCount();
                          if (rows >= 1_000_000) {
                            streamed.countDown();
                          }
                        }
                      }
                    }));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!streamed.await(50, TimeUnit.MILLISECONDS)) {
      if (failure.isDone()) {
        throw new AssertionError("the query failed before streaming its rows", failure.get());
      }
      assertTrue(System.nanoTime() < deadline, "the query did not stream its first rows");
    }
    Thread.sleep(1000);
    long canceledAt = System.nanoTime();
    assertTrue(
        canceledAt - lastBatchAt.get() > TimeUnit.MILLISECONDS.toNanos(500),
        "the reader should be waiting inside the engine for the next batch");
    fixture.engine.cancel(fragment.queryId());
    ExecException e = failure.get(15, TimeUnit.SECONDS);
    assertEquals(ExecErrorCode.QUERY_CANCELED, e.code(), e.getMessage());
  }

  @Test
  void cancelingBetweenBatchesStopsTheReader() throws Exception {
    QueryFragment fragment = DuckDbEngineFixture.fragment("SELECT range FROM range(100000000)");
    try (ArrowReader reader = fixture.engine.execute(fragment, fixture.allocator)) {
      assertTrue(reader.loadNextBatch());
      fixture.engine.cancel(fragment.queryId());
      ExecException e =
          assertThrows(
              ExecException.class,
              () -> {
                while (reader.loadNextBatch()) {}
              });
      assertEquals(ExecErrorCode.QUERY_CANCELED, e.code());
    }
  }

  @Test
  void cancelingAFinishedQueryChangesNothing() throws Exception {
    QueryFragment fragment = DuckDbEngineFixture.fragment("SELECT 7");
    try (ArrowReader reader = fixture.engine.execute(fragment, fixture.allocator)) {
      assertTrue(reader.loadNextBatch());
    }
    fixture.engine.cancel(fragment.queryId());
    fixture.engine.cancel("never-seen");
  }

  private static void waitUntilRunning(String queryId, int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (fixture.engine.runningQueries() < count && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
  }
}

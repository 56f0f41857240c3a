package io.aquifer.gateway.warehouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.catalog.CatalogDatabase;
import io.aquifer.catalog.Principal;
import io.aquifer.catalog.Warehouse;
import io.aquifer.catalog.WarehouseHealth;
import io.aquifer.catalog.WarehouseSize;
import io.aquifer.catalog.WarehouseSpec;
import io.aquifer.catalog.WarehouseStore;
import io.aquifer.exec.ExecErrorCode;
import io.aquifer.exec.ExecException;
import io.aquifer.exec.QueryFragment;
import io.aquifer.exec.WriteFragment;
import io.aquifer.gateway.ResultStream;
import io.aquifer.gateway.Session;
import io.aquifer.gateway.execution.WarehouseConnection;
import io.aquifer.storage.delta.NewDataFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a warehouse does when a cluster is lost, with a hand-written provisioner whose clusters die,
 * freeze or answer as each test says (the same with real node processes and kill -9 / SIGSTOP is
 * the server's WarehouseNodeProcessTest; here the order of events is exact and nothing waits for a
 * JVM). Health checks are pinged every 50 ms with a 100 ms deadline, unhealthy after 2 misses.
 */
class WarehousesNodeLossTest {
  private static final Schema ONE_BIGINT =
      new Schema(List.of(new Field("x", FieldType.nullable(new ArrowType.Int(64, true)), null)));

  @TempDir Path dir;
  private CatalogDatabase database;
  private WarehouseStore store;
  private BufferAllocator allocator;
  private final List<FakeCluster> started = new CopyOnWriteArrayList<>();

  /** How the n-th cluster (1-based) behaves, set by each test. */
  private volatile Function<Integer, FakeCluster> clusters;

  private volatile CountDownLatch startGate = new CountDownLatch(0);

  @BeforeEach
  void open() {
    database = CatalogDatabase.open(dir.resolve("catalog.db"));
    store = new WarehouseStore(database);
    allocator = new RootAllocator();
  }

  @AfterEach
  void close() {
    database.close();
    assertEquals(0, allocator.getAllocatedMemory(), "a result stream was not closed");
    allocator.close();
  }

  private Warehouses warehouses() {
    ClusterProvisioner provisioner =
        (warehouse, clusterId) -> {
          try {
            assertTrue(startGate.await(30, TimeUnit.SECONDS));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
          }
          FakeCluster c = clusters.apply(started.size() + 1);
          c.id = clusterId;
          started.add(c);
          return c;
        };
    WarehousesConfig config =
        new WarehousesConfig(
            10,
            Duration.ofMinutes(1),
            Duration.ofMinutes(10),
            Duration.ofMinutes(10),
            Duration.ofMillis(50),
            Duration.ofMillis(100),
            2);
    return new Warehouses(store, provisioner, config);
  }

  private Warehouse warehouse() {
    return store.create(
        new WarehouseSpec("w", WarehouseSize.XXSMALL, 1, 1, 0, 10, Map.of()), "admin");
  }

  private static Session session() {
    Session session = new Session("s1", new Principal("admin", true), "main", "default");
    session.warehouse("w");
    return session;
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(10);
    }
  }

  /** Reads the whole result: the values of column x. */
  private static List<Long> read(ResultStream rows) {
    List<Long> values = new java.util.ArrayList<>();
    assertEquals(ONE_BIGINT, rows.schema());
    while (rows.next()) {
      BigIntVector x = (BigIntVector) rows.root().getVector("x");
      for (int i = 0; i < rows.root().getRowCount(); i++) {
        values.add(x.get(i));
      }
    }
    return values;
  }

  @Test
  void aQueryWhoseClusterDiesBeforeRowsRunsOnceMoreOnTheReplacement() throws Exception {
    clusters = n -> n == 1 ? new FakeCluster(DIES_AT_FIRST_BATCH) : new FakeCluster(ROW_42);
    Warehouse w = warehouse();
    try (Warehouses warehouses = warehouses()) {
      try (ResultStream rows =
          warehouses.forSession(session()).query(new QueryFragment("st1/1", "q", List.of()))) {
        assertEquals(List.of(42L), read(rows));
      }
      assertEquals(2, started.size());
      assertEquals(1, started.get(0).queries.get());
      assertEquals(1, started.get(1).queries.get());
      assertTrue(started.get(0).closed, "the dead cluster is closed");
      await(
          "the warehouse is healthy with its replacement",
          () -> store.get(w.id()).orElseThrow().health() == WarehouseHealth.HEALTHY);
      assertEquals(0, warehouses.running(w.id()));
    }
  }

  @Test
  void aQueryLostTwiceFailsWithNodeUnavailableNamingTheStatementAndBothClusters() {
    clusters = n -> new FakeCluster(DIES_AT_FIRST_BATCH);
    warehouse();
    try (Warehouses warehouses = warehouses()) {
      ResultStream rows =
          warehouses.forSession(session()).query(new QueryFragment("st2/1", "q", List.of()));
      ExecException e = assertThrows(ExecException.class, () -> read(rows));
      rows.close();
      assertEquals(ExecErrorCode.NODE_UNAVAILABLE, e.code());
      assertEquals("08006", e.sqlState());
      String message = e.getMessage();
      assertTrue(message.contains("statement st2"), message);
      assertTrue(message.contains("cluster " + started.get(1).id + " of warehouse 'w'"), message);
      assertTrue(message.contains("after losing cluster " + started.get(0).id), message);
      assertTrue(message.contains("being replaced"), message);
      assertEquals(1, started.get(0).queries.get());
      assertEquals(1, started.get(1).queries.get());
    }
  }

  @Test
  void aQueryThatGaveRowsIsNotRunAgain() {
    clusters = n -> new FakeCluster(DIES_AFTER_A_ROW);
    warehouse();
    try (Warehouses warehouses = warehouses();
        ResultStream rows =
            warehouses.forSession(session()).query(new QueryFragment("st3/1", "q", List.of()))) {
      rows.schema();
      assertTrue(rows.next());
      ExecException e = assertThrows(ExecException.class, rows::next);
      assertEquals(ExecErrorCode.NODE_UNAVAILABLE, e.code());
      assertTrue(e.getMessage().contains("statement st3"), e.getMessage());
      assertFalse(e.getMessage().contains("after losing"), e.getMessage());
      assertEquals(1, started.get(0).queries.get());
      assertEquals(
          0, started.stream().skip(1).mapToInt(c -> c.queries.get()).sum(), "no second run");
    }
  }

  @Test
  void aCanceledQueryIsNotRunAgainEvenIfItsClusterDied() {
    clusters = n -> new FakeCluster(CANCELED_AS_IT_DIES);
    warehouse();
    try (Warehouses warehouses = warehouses();
        ResultStream rows =
            warehouses.forSession(session()).query(new QueryFragment("st4/1", "q", List.of()))) {
      rows.schema();
      ExecException e = assertThrows(ExecException.class, rows::next);
      assertEquals(ExecErrorCode.QUERY_CANCELED, e.code());
      assertEquals(
          0, started.stream().skip(1).mapToInt(c -> c.queries.get()).sum(), "no second run");
    }
  }

  @Test
  void aFrozenClusterIsKilledAndReplacedAndItsQueryRunsOnTheReplacement() throws Exception {
    clusters = n -> n == 1 ? new FakeCluster(HANGS_UNTIL_KILLED) : new FakeCluster(ROW_42);
    Warehouse w = warehouse();
    try (Warehouses warehouses = warehouses()) {
      WarehouseConnection connection = warehouses.forSession(session());
      ResultStream rows = connection.query(new QueryFragment("st5/1", "q", List.of()));
      CompletableFuture<List<Long>> result = CompletableFuture.supplyAsync(() -> read(rows));
      await("the query waits on the first cluster", () -> started.get(0).queries.get() == 1);
      startGate = new CountDownLatch(1); // the replacement waits, so that DEGRADED can be seen
      started.get(0).answersPings = false; // frozen: alive, silent
      await("the frozen cluster is killed", () -> started.get(0).killed);
      await(
          "the warehouse is degraded while the replacement starts",
          () -> store.get(w.id()).orElseThrow().health() == WarehouseHealth.DEGRADED);
      String why = store.get(w.id()).orElseThrow().healthMessage().orElseThrow();
      assertTrue(why.contains(started.get(0).id), why);
      assertTrue(why.contains("did not answer 2 health check(s) in a row within 100 ms"), why);
      assertFalse(result.isDone(), "the query waits for the replacement");
      startGate.countDown();
      assertEquals(List.of(42L), result.get(30, TimeUnit.SECONDS));
      rows.close();
      await(
          "the warehouse is healthy again",
          () -> store.get(w.id()).orElseThrow().health() == WarehouseHealth.HEALTHY);
      assertEquals(2, started.size());
    }
  }

  // ---- hand-written clusters ----

  /** What a cluster's query does. */
  private interface Behaviour {
    ResultStream run(FakeCluster cluster, BufferAllocator allocator);
  }

  private final Behaviour ROW_42 = (c, a) -> new Rows(a, 1, null);
  private final Behaviour DIES_AT_FIRST_BATCH = (c, a) -> new Rows(a, 0, c::die);
  private final Behaviour DIES_AFTER_A_ROW = (c, a) -> new Rows(a, 1, c::die);
  private final Behaviour CANCELED_AS_IT_DIES =
      (c, a) ->
          new Rows(
              a,
              0,
              () -> {
                c.alive = false;
                throw new ExecException(ExecErrorCode.QUERY_CANCELED, "canceled");
              });
  private final Behaviour HANGS_UNTIL_KILLED =
      (c, a) ->
          new Rows(
              a,
              0,
              () -> {
                try {
                  c.killedLatch.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                throw new ExecException(ExecErrorCode.NODE_UNAVAILABLE, "connection reset");
              });

  private final class FakeCluster implements WarehouseCluster {
    final Behaviour behaviour;
    final AtomicInteger queries = new AtomicInteger();
    final CountDownLatch killedLatch = new CountDownLatch(1);
    volatile String id;
    volatile boolean alive = true;
    volatile boolean answersPings = true;
    volatile boolean killed;
    volatile boolean closed;

    FakeCluster(Behaviour behaviour) {
      this.behaviour = behaviour;
    }

    /** The node process exits; its calls fail. */
    void die() {
      alive = false;
      throw new ExecException(ExecErrorCode.NODE_UNAVAILABLE, "connection reset by " + id);
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public WarehouseConnection connection() {
      return new WarehouseConnection() {
        @Override
        public ResultStream query(QueryFragment fragment) {
          queries.incrementAndGet();
          return behaviour.run(FakeCluster.this, allocator);
        }

        @Override
        public List<NewDataFile> write(WriteFragment fragment) {
          throw new UnsupportedOperationException();
        }

        @Override
        public void cancel(String queryId) {}

        @Override
        public void close() {}
      };
    }

    @Override
    public boolean isAlive() {
      return alive && !killed && !closed;
    }

    @Override
    public void ping(Duration timeout) {
      if (!answersPings || !isAlive()) {
        throw new ExecException(
            ExecErrorCode.NODE_UNAVAILABLE, id + " did not answer within " + timeout);
      }
    }

    @Override
    public String describe() {
      return "fake " + id;
    }

    @Override
    public void kill() {
      killed = true;
      killedLatch.countDown();
    }

    @Override
    public void close() {
      closed = true;
      killedLatch.countDown();
    }
  }

  /**
   * {@code rows} batches of one row (x = 42), then the end; {@code failure}, if any, runs instead
   * of the batch after them.
   */
  private static final class Rows implements ResultStream {
    private final VectorSchemaRoot root;
    private final Runnable failure;
    private int left;

    Rows(BufferAllocator allocator, int rows, Runnable failure) {
      this.root = VectorSchemaRoot.create(ONE_BIGINT, allocator);
      this.left = rows;
      this.failure = failure;
    }

    @Override
    public Schema schema() {
      return ONE_BIGINT;
    }

    @Override
    public boolean next() {
      if (left == 0) {
        if (failure != null) {
          failure.run();
        }
        return false;
      }
      left--;
      BigIntVector x = (BigIntVector) root.getVector("x");
      x.allocateNew(1);
      x.set(0, 42);
      root.setRowCount(1);
      return true;
    }

    @Override
    public VectorSchemaRoot root() {
      return root;
    }

    @Override
    public void close() {
      root.close();
    }
  }
}

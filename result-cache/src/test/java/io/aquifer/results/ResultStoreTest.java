package io.aquifer.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultStoreTest {
  private static final Schema SCHEMA =
      new Schema(List.of(new Field("x", FieldType.nullable(new ArrowType.Int(64, true)), null)));
  private static final Duration NO_WAIT = Duration.ZERO;

  @TempDir Path directory;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private BufferAllocator allocator;
  private ResultStore store;

  @BeforeEach
  void open() {
    allocator = new RootAllocator();
    store = store(ResultStoreConfig.DEFAULT_MEMORY_LIMIT_BYTES, 1L << 30);
  }

  @AfterEach
  void close() {
    store.close();
    allocator.close();
  }

  private ResultStore store(long memoryLimit, long quota) {
    ResultStoreConfig config =
        ResultStoreConfig.defaults(directory)
            .withMemoryLimitBytes(memoryLimit)
            .withQuotaPerPrincipalBytes(quota)
            .withExpiry(Duration.ofMinutes(10));
    return new ResultStore(
        config, new LocalDirectorySpillTier(directory.resolve("results")), clock);
  }

  @Test
  void chunksReadAgainGiveTheSameRows() {
    StoredResult result = store.create("r1", "alice", SCHEMA);
    result.append(3, batch(1, 2, 3));
    result.append(2, batch(4, 5));
    result.complete();

    for (int pass = 0; pass < 2; pass++) {
      assertEquals(List.of(1L, 2L, 3L), values(result.chunk(0, NO_WAIT).orElseThrow()));
      assertEquals(List.of(4L, 5L), values(result.chunk(1, NO_WAIT).orElseThrow()));
    }
    assertEquals(5, result.rowCount());
    assertEquals(2, result.chunkCount());
  }

  @Test
  void badChunkIndexesAreClearErrors() {
    StoredResult result = store.create("r1", "alice", SCHEMA);
    result.append(1, batch(1));
    result.complete();
    ResultStoreException past =
        assertThrows(ResultStoreException.class, () -> result.chunk(1, NO_WAIT));
    assertEquals(ResultStoreErrorCode.CHUNK_OUT_OF_RANGE, past.code());
    assertTrue(past.getMessage().contains("has 1 chunks"), past.getMessage());
    ResultStoreException negative =
        assertThrows(ResultStoreException.class, () -> result.chunk(-1, NO_WAIT));
    assertEquals(ResultStoreErrorCode.CHUNK_OUT_OF_RANGE, negative.code());
  }

  @Test
  void aReaderWaitsForAChunkThatIsStillSpooling() throws Exception {
    StoredResult result = store.create("r1", "alice", SCHEMA);
    assertEquals(Optional.empty(), result.chunk(0, NO_WAIT));
    CompletableFuture<ResultChunk> reader =
        CompletableFuture.supplyAsync(() -> result.chunk(0, Duration.ofMinutes(1)).orElseThrow());
    result.append(1, batch(7));
    assertEquals(List.of(7L), values(reader.get(1, TimeUnit.MINUTES)));
    assertFalse(result.isComplete());
  }

  @Test
  void chunksPastTheMemoryLimitSpillToFilesAndReadBack() throws IOException {
    store.close();
    store = store(0, 1L << 30);
    StoredResult result = store.create("r1", "alice", SCHEMA);
    result.append(2, batch(1, 2));
    result.complete();
    assertTrue(store.spilledBytes() > 0);
    assertEquals(0, store.memoryBytes());
    assertEquals(1, files().size());
    assertEquals(List.of(1L, 2L), values(result.chunk(0, NO_WAIT).orElseThrow()));
  }

  @Test
  void closeFreesMemoryAndFiles() throws IOException {
    store.close();
    store = store(1, 1L << 30);
    StoredResult result = store.create("r1", "alice", SCHEMA);
    result.append(2, batch(1, 2));
    result.append(2, batch(3, 4));
    result.complete();
    assertTrue(store.bytesOwnedBy("alice") > 0);

    result.close();

    assertEquals(0, store.memoryBytes());
    assertEquals(0, store.spilledBytes());
    assertEquals(0, store.bytesOwnedBy("alice"));
    assertEquals(List.of(), files());
    assertEquals(0, store.resultCount());
    ResultStoreException closed =
        assertThrows(ResultStoreException.class, () -> result.chunk(0, NO_WAIT));
    assertEquals(ResultStoreErrorCode.RESULT_CLOSED, closed.code());
  }

  @Test
  void expiryFreesTheStore() {
    StoredResult done = store.create("done", "alice", SCHEMA);
    done.append(1, batch(1));
    done.complete();
    StoredResult spooling = store.create("spooling", "alice", SCHEMA);
    spooling.append(1, batch(2));

    clock.advance(Duration.ofMinutes(9));
    assertEquals(0, store.expire());
    clock.advance(Duration.ofMinutes(2));
    assertEquals(1, store.expire(), "only the finished result expires");

    assertEquals(Optional.empty(), store.find("done"));
    assertSame(spooling, store.find("spooling").orElseThrow());
    assertEquals(spooling.byteCount(), store.bytesOwnedBy("alice"));
  }

  @Test
  void theQuotaDeletesTheOwnersOldestResultsFirst() {
    byte[] chunk = batch(1, 2, 3);
    store.close();
    store = store(1L << 20, 2L * chunk.length + 10);
    StoredResult first = store.create("first", "alice", SCHEMA);
    first.append(3, chunk);
    first.complete();
    clock.advance(Duration.ofSeconds(1));
    StoredResult second = store.create("second", "alice", SCHEMA);
    second.append(3, chunk);
    second.complete();
    clock.advance(Duration.ofSeconds(1));
    StoredResult bob = store.create("bob", "bob", SCHEMA);
    bob.append(3, chunk);
    clock.advance(Duration.ofSeconds(1));

    StoredResult third = store.create("third", "alice", SCHEMA);
    third.append(3, chunk);

    assertEquals(ResultState.DELETED, first.state());
    assertEquals(ResultState.COMPLETE, second.state());
    assertEquals(ResultState.SPOOLING, bob.state(), "another principal's results stay");
    assertEquals(2L * chunk.length, store.bytesOwnedBy("alice"));

    ResultStoreException tooBig =
        assertThrows(
            ResultStoreException.class,
            () -> {
              third.append(3, chunk);
              third.append(3, chunk);
            });
    assertEquals(ResultStoreErrorCode.RESULT_QUOTA_EXCEEDED, tooBig.code());
  }

  @Test
  void aFailedResultGivesItsErrorAndFreesItsChunks() {
    StoredResult result = store.create("r1", "alice", SCHEMA);
    result.append(1, batch(1));
    IllegalStateException error = new IllegalStateException("engine failed");
    result.fail(error);
    assertSame(error, assertThrows(IllegalStateException.class, () -> result.chunk(0, NO_WAIT)));
    assertEquals(0, store.bytesOwnedBy("alice"));
    assertEquals(0, store.memoryBytes());
  }

  @Test
  void largeBatchesAreCutIntoChunksOfTheTargetSize() {
    try (VectorSchemaRoot root = root(allocator, 10_000)) {
      List<ArrowChunkCodec.EncodedChunk> chunks = ArrowChunkCodec.encode(root, 16 * 1024);
      assertTrue(chunks.size() >= 5, "chunks: " + chunks.size());
      List<Long> all = new ArrayList<>();
      for (ArrowChunkCodec.EncodedChunk c : chunks) {
        assertTrue(c.arrowIpc().length < 20 * 1024, "chunk of " + c.arrowIpc().length);
        List<Long> values = values(new ResultChunk(0, c.rowCount(), c.arrowIpc()));
        assertEquals(c.rowCount(), values.size());
        all.addAll(values);
      }
      assertEquals(10_000, all.size());
      for (int i = 0; i < all.size(); i++) {
        assertEquals(i, all.get(i));
      }
    }
  }

  private byte[] batch(long... values) {
    try (VectorSchemaRoot root = VectorSchemaRoot.create(SCHEMA, allocator)) {
      BigIntVector x = (BigIntVector) root.getVector(0);
      for (int i = 0; i < values.length; i++) {
        x.setSafe(i, values[i]);
      }
      root.setRowCount(values.length);
      List<ArrowChunkCodec.EncodedChunk> chunks = ArrowChunkCodec.encode(root, 1L << 20);
      assertEquals(1, chunks.size());
      return chunks.get(0).arrowIpc();
    }
  }

  private static VectorSchemaRoot root(BufferAllocator allocator, int rows) {
    VectorSchemaRoot root = VectorSchemaRoot.create(SCHEMA, allocator);
    BigIntVector x = (BigIntVector) root.getVector(0);
    for (int i = 0; i < rows; i++) {
      x.setSafe(i, i);
    }
    root.setRowCount(rows);
    return root;
  }

  private List<Long> values(ResultChunk chunk) {
    try (ArrowStreamReader reader = ArrowChunkCodec.decode(chunk.arrowIpc(), allocator)) {
      VectorSchemaRoot root = reader.getVectorSchemaRoot();
      List<Long> values = new ArrayList<>();
      BigIntVector x = (BigIntVector) root.getVector(0);
      for (int i = 0; i < root.getRowCount(); i++) {
        values.add(x.get(i));
      }
      return values;
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private List<Path> files() throws IOException {
    try (Stream<Path> s = Files.walk(directory.resolve("results"))) {
      return s.filter(Files::isRegularFile).toList();
    }
  }

  /** A clock the test moves by hand. */
  private static final class MutableClock extends Clock {
    private Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}

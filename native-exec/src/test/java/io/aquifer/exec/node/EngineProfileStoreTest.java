package io.aquifer.exec.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class EngineProfileStoreTest {
  private final AtomicLong nanos = new AtomicLong();

  @Test
  void aProfileIsTakenOnce() {
    EngineProfileStore store =
        new EngineProfileStore(10, 1 << 20, Duration.ofMinutes(1), nanos::get);
    store.put("q1", "{\"a\":1}");
    assertEquals(Optional.of("{\"a\":1}"), store.take("q1"));
    assertEquals(Optional.empty(), store.take("q1"));
    assertEquals(0, store.size());
    assertEquals(0, store.bytes());
  }

  @Test
  void beyondMaxEntriesTheOldestAreDropped() {
    EngineProfileStore store =
        new EngineProfileStore(2, 1 << 20, Duration.ofMinutes(1), nanos::get);
    store.put("q1", "1");
    store.put("q2", "2");
    store.put("q3", "3");
    assertEquals(2, store.size());
    assertEquals(Optional.empty(), store.take("q1"));
    assertEquals(Optional.of("2"), store.take("q2"));
    assertEquals(Optional.of("3"), store.take("q3"));
  }

  @Test
  void beyondMaxBytesTheOldestAreDroppedAndOneTooLargeIsNotKept() {
    // two bytes a char: room for 10 chars
    EngineProfileStore store = new EngineProfileStore(100, 20, Duration.ofMinutes(1), nanos::get);
    store.put("q1", "aaaa");
    store.put("q2", "bbbb");
    store.put("q3", "cccc");
    assertEquals(2, store.size());
    assertEquals(16, store.bytes());
    assertEquals(Optional.empty(), store.take("q1"));
    store.put("big", "x".repeat(11));
    assertEquals(Optional.empty(), store.take("big"));
    assertEquals(Optional.of("bbbb"), store.take("q2"));
  }

  @Test
  void profilesOlderThanMaxAgeAreDropped() {
    EngineProfileStore store =
        new EngineProfileStore(100, 1 << 20, Duration.ofSeconds(30), nanos::get);
    store.put("old", "1");
    nanos.addAndGet(Duration.ofSeconds(20).toNanos());
    store.put("young", "2");
    nanos.addAndGet(Duration.ofSeconds(15).toNanos());
    assertEquals(Optional.empty(), store.take("old"));
    assertEquals(Optional.of("2"), store.take("young"));
  }

  @Test
  void aStoreNeedsRoom() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new EngineProfileStore(0, 1, Duration.ofSeconds(1), nanos::get));
  }
}

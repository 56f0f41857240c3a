package io.aquifer.gateway.warehouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FairStatementQueueTest {
  private static List<String> drain(FairStatementQueue<String> queue) {
    List<String> order = new ArrayList<>();
    for (Optional<String> next = queue.poll(); next.isPresent(); next = queue.poll()) {
      order.add(next.get());
    }
    return order;
  }

  @Test
  void principalsTakeTurnsInTheOrderTheyFirstQueued() {
    FairStatementQueue<String> queue = new FairStatementQueue<>(100);
    for (int i = 1; i <= 4; i++) {
      queue.offer("alice", "a" + i);
    }
    queue.offer("bob", "b1");
    queue.offer("carol", "c1");
    queue.offer("bob", "b2");
    assertEquals(7, queue.size());
    assertEquals(List.of("a1", "b1", "c1", "a2", "b2", "a3", "a4"), drain(queue));
    assertTrue(queue.isEmpty());
  }

  @Test
  void oneStatementOfAnotherPrincipalDoesNotWaitBehindAHundred() {
    FairStatementQueue<String> queue = new FairStatementQueue<>(200);
    for (int i = 0; i < 100; i++) {
      queue.offer("etl", "e" + i);
    }
    queue.offer("analyst", "question");
    assertEquals("e0", queue.poll().orElseThrow());
    assertEquals("question", queue.poll().orElseThrow());
  }

  @Test
  void refusesPastItsCapacityAndTakesAgainWhenRoomFrees() {
    FairStatementQueue<String> queue = new FairStatementQueue<>(2);
    assertTrue(queue.offer("a", "1"));
    assertTrue(queue.offer("b", "2"));
    assertFalse(queue.offer("c", "3"));
    assertEquals(2, queue.size());
    queue.poll();
    assertTrue(queue.offer("c", "3"));
  }

  @Test
  void removeIfDropsCanceledEntriesAndKeepsTheRestInTurn() {
    FairStatementQueue<String> queue = new FairStatementQueue<>(10);
    queue.offer("a", "a1");
    queue.offer("b", "b1");
    queue.offer("a", "a2");
    assertEquals(1, queue.removeIf("b1"::equals));
    assertEquals(2, queue.size());
    assertEquals(Optional.of("a1"), queue.oldest(Comparator.naturalOrder()));
    assertEquals(List.of("a1", "a2"), drain(queue));
  }
}

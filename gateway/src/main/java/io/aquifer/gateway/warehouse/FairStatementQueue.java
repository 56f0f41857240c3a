package io.aquifer.gateway.warehouse;

import static java.util.Objects.requireNonNull;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A bounded queue that takes turns between principals: the next entry is the oldest of the
 * principal whose turn it is, so one user's hundred statements do not hold back another's one. Not
 * thread-safe; its warehouse guards it.
 */
final class FairStatementQueue<T> {
  private final int capacity;
  // Principals in turn order; the head's oldest entry goes next, then the principal moves last.
  private final LinkedHashMap<String, ArrayDeque<T>> byPrincipal = new LinkedHashMap<>();
  private int size;

  FairStatementQueue(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1");
    }
    this.capacity = capacity;
  }

  /** Adds an entry; false if the queue is full. */
  boolean offer(String principal, T entry) {
    requireNonNull(principal, "principal");
    requireNonNull(entry, "entry");
    if (size >= capacity) {
      return false;
    }
    byPrincipal.computeIfAbsent(principal, p -> new ArrayDeque<>()).addLast(entry);
    size++;
    return true;
  }

  /** The next entry, taking turns between principals; empty if the queue is empty. */
  Optional<T> poll() {
    Iterator<Map.Entry<String, ArrayDeque<T>>> turns = byPrincipal.entrySet().iterator();
    if (!turns.hasNext()) {
      return Optional.empty();
    }
    Map.Entry<String, ArrayDeque<T>> turn = turns.next();
    T next = turn.getValue().pollFirst();
    turns.remove();
    if (!turn.getValue().isEmpty()) {
      byPrincipal.put(turn.getKey(), turn.getValue());
    }
    size--;
    return Optional.of(next);
  }

  /** Removes the entries that match; returns how many. */
  int removeIf(Predicate<T> filter) {
    int removed = 0;
    Iterator<Map.Entry<String, ArrayDeque<T>>> principals = byPrincipal.entrySet().iterator();
    while (principals.hasNext()) {
      ArrayDeque<T> entries = principals.next().getValue();
      int before = entries.size();
      entries.removeIf(filter);
      removed += before - entries.size();
      if (entries.isEmpty()) {
        principals.remove();
      }
    }
    size -= removed;
    return removed;
  }

  /** The oldest entry of any principal, if any (entries are compared by {@code older}). */
  Optional<T> oldest(java.util.Comparator<T> older) {
    return byPrincipal.values().stream().map(ArrayDeque::peekFirst).min(older);
  }

  /** Calls {@code action} with every entry, in no particular order. */
  void forEach(java.util.function.Consumer<T> action) {
    byPrincipal.values().forEach(entries -> entries.forEach(action));
  }

  int size() {
    return size;
  }

  int capacity() {
    return capacity;
  }

  boolean isEmpty() {
    return size == 0;
  }
}

package io.aquifer.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.catalog.Principal;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AuthenticationCacheTest {
  private final AtomicLong clock = new AtomicLong();
  private final AuthenticationCache cache = new AuthenticationCache(clock::get);
  private final AtomicInteger checks = new AtomicInteger();

  private Optional<Principal> check(String token, boolean valid) {
    return cache.authenticate(
        token,
        t -> {
          checks.incrementAndGet();
          return valid ? Optional.of(new Principal("alice", false)) : Optional.empty();
        });
  }

  @Test
  void successfulChecksAreReusedUntilTheyExpire() {
    assertTrue(check("t1", true).isPresent());
    assertTrue(check("t1", true).isPresent());
    assertEquals(1, checks.get());
    clock.addAndGet(AuthenticationCache.TTL.toNanos() + 1);
    // A token revoked meanwhile is refused once the entry expired.
    assertTrue(check("t1", false).isEmpty());
    assertEquals(2, checks.get());
  }

  @Test
  void failedChecksAreNeverCached() {
    assertTrue(check("bad", false).isEmpty());
    assertTrue(check("bad", false).isEmpty());
    assertEquals(2, checks.get());
  }
}

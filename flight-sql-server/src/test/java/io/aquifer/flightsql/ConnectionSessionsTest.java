package io.aquifer.flightsql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.catalog.Principal;
import io.aquifer.gateway.Session;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;

class ConnectionSessionsTest {
  /** A clock that moves only when told. */
  private static final class ManualClock extends Clock {
    private Instant now = Instant.parse("2024-01-01T00:00:00Z");

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void opensOnFirstUseReopensWhenTheGatewayDroppedItAndClosesWhenIdle() {
    try (RootAllocator allocator = new RootAllocator()) {
      InMemoryStatementService service = new InMemoryStatementService(allocator);
      ManualClock clock = new ManualClock();
      ConnectionSessions sessions = new ConnectionSessions(service, Duration.ofMinutes(30), clock);
      List<String> closedKeys = new ArrayList<>();
      sessions.onClose(closedKeys::add);

      SessionBinding binding = sessions.create(new Principal("alice", false));
      assertEquals(0, service.openSessions());
      Session first = sessions.session(binding);
      assertSame(first, sessions.session(binding));
      assertEquals(1, service.openSessions());

      service.closeSession(first.id());
      Session second = sessions.session(binding);
      assertNotEquals(first.id(), second.id());

      clock.advance(Duration.ofMinutes(29));
      assertEquals(0, sessions.closeIdle());
      assertTrue(sessions.find(binding.key()).isPresent());
      clock.advance(Duration.ofMinutes(31));
      assertEquals(1, sessions.closeIdle());
      assertEquals(List.of(binding.key()), closedKeys);
      assertEquals(0, service.openSessions());
      assertTrue(sessions.find(binding.key()).isEmpty());
    }
  }
}

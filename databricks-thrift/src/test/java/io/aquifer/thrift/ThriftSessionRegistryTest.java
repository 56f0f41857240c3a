package io.aquifer.thrift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.aquifer.catalog.Principal;
import io.aquifer.gateway.GatewayException;
import io.aquifer.gateway.PreparedStatementInfo;
import io.aquifer.gateway.SchemaRef;
import io.aquifer.gateway.Session;
import io.aquifer.gateway.Statement;
import io.aquifer.gateway.StatementService;
import io.aquifer.gateway.TableRef;
import io.aquifer.storage.types.TableSchema;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class ThriftSessionRegistryTest {
  private static final Principal ALICE = new Principal("alice", false);
  private static final Principal BOB = new Principal("bob", false);

  /** A clock the test moves by hand. */
  private static final class ManualClock extends Clock {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  /** Just sessions: open, look up by owner, close. */
  private static final class SessionsOnly implements StatementService {
    final Map<String, Session> open = new ConcurrentHashMap<>();

    Session add(String id, Principal p) {
      Session s = new Session(id, p, "main", "default");
      open.put(id, s);
      return s;
    }

    @Override
    public Optional<Session> session(String sessionId, Principal principal) {
      return Optional.ofNullable(open.get(sessionId)).filter(s -> s.principal().equals(principal));
    }

    @Override
    public void closeSession(String sessionId) {
      open.remove(sessionId);
    }

    @Override
    public Principal authenticateToken(String token) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Principal authenticateBasic(String user, String password) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Session openSession(Principal principal) {
      throw new UnsupportedOperationException();
    }

    @Override
    public PreparedStatementInfo prepare(Session session, String sql) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Statement submit(Session session, String sql, List<Object> parameters) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void cancel(Session session, String statementId) {
      throw new UnsupportedOperationException();
    }

    @Override
    public List<String> catalogs(Session session) {
      throw new UnsupportedOperationException();
    }

    @Override
    public List<SchemaRef> schemas(
        Session session, Optional<String> catalog, Optional<String> schemaPattern) {
      throw new UnsupportedOperationException();
    }

    @Override
    public List<TableRef> tables(
        Session session,
        Optional<String> catalog,
        Optional<String> schemaPattern,
        Optional<String> tablePattern,
        List<String> types) {
      throw new UnsupportedOperationException();
    }

    @Override
    public TableSchema columns(Session session, String catalog, String schema, String table) {
      throw new UnsupportedOperationException();
    }
  }

  @Test
  void handlesWorkOnlyForTheirOwnerAndWithTheirSecret() {
    SessionsOnly service = new SessionsOnly();
    ThriftSessionRegistry registry = new ThriftSessionRegistry(service, new ManualClock());
    ThriftSession s = registry.open(service.add("s1", ALICE));
    assertEquals(s, registry.session(s.wire(), ALICE));
    GatewayException foreign =
        assertThrows(GatewayException.class, () -> registry.session(s.wire(), BOB));
    assertEquals("INVALID_HANDLE", foreign.errorClass());
    var forged = s.wire();
    forged.getSessionId().setSecret(new byte[16]);
    assertThrows(GatewayException.class, () -> registry.session(forged, ALICE));
  }

  @Test
  void idleSessionsAndSessionsClosedElsewhereAreForgotten() {
    SessionsOnly service = new SessionsOnly();
    ManualClock clock = new ManualClock();
    ThriftSessionRegistry registry = new ThriftSessionRegistry(service, clock);
    ThriftSession idle = registry.open(service.add("idle", ALICE));
    ThriftSession busy = registry.open(service.add("busy", ALICE));
    ThriftSession gone = registry.open(service.add("gone", ALICE));
    service.closeSession("gone");

    clock.advance(Duration.ofMinutes(50));
    registry.session(busy.wire(), ALICE);
    assertEquals(List.of(gone), registry.removeIdle(Duration.ofHours(1)));

    clock.advance(Duration.ofMinutes(20));
    assertEquals(List.of(idle), registry.removeIdle(Duration.ofHours(1)));
    assertEquals(List.of(busy), registry.sessions());
    assertThrows(GatewayException.class, () -> registry.session(idle.wire(), ALICE));
  }
}

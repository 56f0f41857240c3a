package io.aquifer.gateway.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.catalog.Principal;
import io.aquifer.gateway.GatewayErrorCode;
import io.aquifer.gateway.GatewayException;
import io.aquifer.gateway.PreparedStatementInfo;
import java.util.List;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;

class PreparedStatementsTest {
  private static final Principal ALICE = new Principal("alice", false);
  private static final Principal BOB = new Principal("bob", false);

  private final PreparedStatements registry = new PreparedStatements();

  private static PreparedStatementInfo twoParameters() {
    Schema parameters =
        new Schema(
            List.of(
                new Field("1", FieldType.notNullable(new ArrowType.Int(64, true)), null),
                Field.nullable("2", ArrowType.Null.INSTANCE)));
    return new PreparedStatementInfo("SELECT ? + ?", new Schema(List.of()), parameters, true);
  }

  @Test
  void onlyItsPrincipalFindsAStatementByItsUnguessableId() {
    PreparedStatements.Prepared first = registry.create("c1", ALICE, twoParameters());
    PreparedStatements.Prepared second = registry.create("c1", ALICE, twoParameters());
    assertNotEquals(first.id(), second.id());
    assertTrue(first.id().length() >= 24, first.id());
    assertSame(first, registry.get(first.id(), ALICE));
    GatewayException foreign =
        assertThrows(GatewayException.class, () -> registry.get(first.id(), BOB));
    assertEquals(GatewayErrorCode.INVALID_HANDLE.name(), foreign.errorClass());
    assertFalse(registry.close(first.id(), BOB), "another principal cannot close it");
    assertSame(first, registry.get(first.id(), ALICE));
    assertThrows(GatewayException.class, () -> registry.get("no-such-id", ALICE));
    assertThrows(GatewayException.class, () -> registry.get(null, ALICE));
  }

  @Test
  void closingAStatementOrItsConnectionForgetsIt() {
    PreparedStatements.Prepared closed = registry.create("c1", ALICE, twoParameters());
    PreparedStatements.Prepared onC1 = registry.create("c1", ALICE, twoParameters());
    PreparedStatements.Prepared onC2 = registry.create("c2", ALICE, twoParameters());
    assertTrue(registry.close(closed.id(), ALICE));
    assertFalse(registry.close(closed.id(), ALICE), "closing twice");
    assertThrows(GatewayException.class, () -> registry.get(closed.id(), ALICE));
    registry.closeOwnedBy("c1");
    assertThrows(GatewayException.class, () -> registry.get(onC1.id(), ALICE));
    assertSame(onC2, registry.get(onC2.id(), ALICE));
    assertEquals(1, registry.size());
  }

  @Test
  void aConnectionKeepsItsMostRecentlyUsedStatementsUpToTheLimit() {
    PreparedStatements limited = new PreparedStatements(3);
    PreparedStatements.Prepared a = limited.create("c1", ALICE, twoParameters());
    PreparedStatements.Prepared b = limited.create("c1", ALICE, twoParameters());
    PreparedStatements.Prepared c = limited.create("c1", ALICE, twoParameters());
    PreparedStatements.Prepared other = limited.create("c2", ALICE, twoParameters());
    assertSame(a, limited.get(a.id(), ALICE)); // a is now used more recently than b
    PreparedStatements.Prepared d = limited.create("c1", ALICE, twoParameters());
    GatewayException forgotten =
        assertThrows(GatewayException.class, () -> limited.get(b.id(), ALICE));
    assertEquals(GatewayErrorCode.INVALID_HANDLE.name(), forgotten.errorClass());
    assertSame(a, limited.get(a.id(), ALICE));
    assertSame(c, limited.get(c.id(), ALICE));
    assertSame(d, limited.get(d.id(), ALICE));
    assertSame(other, limited.get(other.id(), ALICE), "another connection's are its own");
    assertEquals(4, limited.size());
    for (int i = 0; i < 100; i++) {
      limited.create("c1", ALICE, twoParameters());
    }
    assertEquals(4, limited.size(), "c1 keeps 3, c2 keeps 1");
    assertTrue(limited.close(other.id(), ALICE));
    limited.closeOwnedBy("c1");
    assertEquals(0, limited.size());
    assertThrows(IllegalArgumentException.class, () -> new PreparedStatements(0));
  }

  @Test
  void bindingsAreKeptByNumberUpToTheLimit() {
    PreparedStatements.Prepared prepared = registry.create("c1", ALICE, twoParameters());
    assertEquals(List.of(), prepared.latestBinding());
    long first = prepared.bind(List.of(List.of(1L, "a")));
    for (int i = 0; i < PreparedStatements.MAX_BINDINGS - 1; i++) {
      prepared.bind(List.of(List.of((long) i, "b")));
    }
    assertEquals(List.of(List.of(1L, "a")), prepared.binding(first));
    long replacing = prepared.bind(List.of(List.of(2L, "c")));
    assertEquals(List.of(List.of(2L, "c")), prepared.latestBinding());
    assertEquals(List.of(List.of(2L, "c")), prepared.binding(replacing));
    GatewayException replaced = assertThrows(GatewayException.class, () -> prepared.binding(first));
    assertEquals(GatewayErrorCode.INVALID_HANDLE.name(), replaced.errorClass());
  }

  @Test
  void parameterCountsAndClientMetadata() {
    PreparedStatements.Prepared prepared = registry.create("c1", ALICE, twoParameters());
    assertEquals(2, prepared.parameterCount());
    prepared.checkParameterCount(List.of(List.of(1L, "x"), List.of(2L, "y")));
    GatewayException wrong =
        assertThrows(
            GatewayException.class, () -> prepared.checkParameterCount(List.of(List.of(1L))));
    assertEquals("07001", wrong.sqlState());
    assertTrue(wrong.getMessage().contains("has 2 parameters; got 1"), wrong.getMessage());

    List<Field> offered = prepared.clientParameterSchema().getFields();
    assertTrue(offered.get(0).isNullable(), "every parameter may be NULL");
    assertEquals(new ArrowType.Int(64, true), offered.get(0).getType());
    assertEquals(ArrowType.Utf8.INSTANCE, offered.get(1).getType(), "untyped offered as string");
  }
}

package io.aquifer.gateway.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.aquifer.exec.ExecErrorCode;
import io.aquifer.exec.ExecException;
import io.aquifer.gateway.GatewayException;
import org.junit.jupiter.api.Test;

/**
 * The engine's own failures reach users as INTERNAL_ERROR without the engine's wording. Since every
 * function the planner accepts now runs on the engine, no SQL text triggers this path end to end
 * (the end-to-end test through the Flight SQL driver used {@code crc32}, which Aquifer now has), so
 * the translation is checked here on the exception the node client raises.
 */
class EngineErrorsTest {
  @Test
  void engineFailuresBecomeInternalErrorsWithoutTheEnginesWords() {
    ExecException engine =
        new ExecException(
            ExecErrorCode.ENGINE_ERROR,
            "Warehouse node n1 failed: Catalog Error: Scalar Function with name crc33 does not"
                + " exist! Did you mean \"crc32\"?");
    GatewayException e = EngineErrors.translate(engine);
    assertEquals("INTERNAL_ERROR", e.errorClass());
    assertEquals("XX000", e.sqlState());
    assertFalse(e.clientMessage().contains("Did you mean"), e.clientMessage());
    assertFalse(e.clientMessage().contains("Scalar Function"), e.clientMessage());
    assertSame(engine, e.getCause(), "the engine's words stay in the log through the cause");
  }

  @Test
  void classifiedEngineErrorsKeepTheirClassAndState() {
    GatewayException e =
        EngineErrors.translate(
            new ExecException(ExecErrorCode.QUERY_CANCELED, "The statement was canceled"));
    assertEquals("QUERY_CANCELED", e.errorClass());
    assertEquals(ExecErrorCode.QUERY_CANCELED.sqlState(), e.sqlState());
  }

  @Test
  void otherFailuresAreNotTheEnginesToTranslate() {
    assertNull(EngineErrors.translate(new IllegalStateException("not from the engine")));
  }
}

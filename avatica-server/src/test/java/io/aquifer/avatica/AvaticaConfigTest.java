package io.aquifer.avatica;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class AvaticaConfigTest {
  @Test
  void defaults() {
    AvaticaConfig config = AvaticaConfig.defaults();
    assertEquals("127.0.0.1", config.host());
    assertEquals(8765, config.port());
    assertEquals(Duration.ofMinutes(10), config.connectionIdleTimeout());
    assertEquals(10_000, config.maxFrameRows());
    assertEquals(Duration.ofSeconds(10), config.heartbeatTimeout());
  }

  @Test
  void rejectsNonsense() {
    AvaticaConfig config = AvaticaConfig.defaults();
    assertThrows(IllegalArgumentException.class, () -> config.withPort(65536));
    assertThrows(IllegalArgumentException.class, () -> config.withPort(-1));
    assertThrows(IllegalArgumentException.class, () -> config.withHost(" "));
    assertThrows(
        IllegalArgumentException.class, () -> config.withConnectionIdleTimeout(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> config.withMaxFrameRows(0));
    assertThrows(
        IllegalArgumentException.class, () -> config.withHeartbeatTimeout(Duration.ofMillis(999)));
    assertEquals(0, config.withPort(0).port());
  }
}

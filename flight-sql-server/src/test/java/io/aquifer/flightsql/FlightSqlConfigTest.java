package io.aquifer.flightsql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FlightSqlConfigTest {
  @Test
  void defaultsAreSafeOnALaptop() {
    FlightSqlConfig config = FlightSqlConfig.defaults();
    assertEquals("127.0.0.1", config.host());
    assertEquals(31337, config.port());
    assertEquals(Duration.ofHours(8), config.sessionIdleTimeout());
    assertEquals(Duration.ofMinutes(10), config.unclaimedResultTimeout());
  }

  @Test
  void rejectsNonsense() {
    assertThrows(IllegalArgumentException.class, () -> FlightSqlConfig.defaults().withPort(70000));
    assertThrows(IllegalArgumentException.class, () -> FlightSqlConfig.defaults().withHost(" "));
    assertThrows(
        IllegalArgumentException.class,
        () -> FlightSqlConfig.defaults().withSessionIdleTimeout(Duration.ZERO));
  }
}

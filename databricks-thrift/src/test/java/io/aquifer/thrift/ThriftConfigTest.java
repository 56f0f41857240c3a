package io.aquifer.thrift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ThriftConfigTest {
  @Test
  void defaultsArePinned() {
    ThriftConfig c = ThriftConfig.defaults();
    assertEquals(Duration.ofSeconds(5), c.directResultsWait());
    assertEquals(Duration.ofMinutes(5), c.syncWait());
    assertEquals(Duration.ofSeconds(1), c.statusPollWait());
    assertEquals(true, c.arrowResults());
    assertEquals(Duration.ofHours(8), c.sessionIdleTimeout());
    assertEquals(true, c.lz4Compression());
    assertEquals(1L << 20, c.cloudFetchMinBytes());
  }

  @Test
  void negativeWaitsAreRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new ThriftConfig(
                Duration.ofSeconds(-1),
                Duration.ZERO,
                Duration.ZERO,
                true,
                Duration.ofHours(1),
                true,
                ThriftConfig.DEFAULT_CLOUD_FETCH_MIN_BYTES));
  }
}

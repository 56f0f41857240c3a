package io.aquifer.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SparkRemoteTest {
  @Test
  void acceptsSparkConnectConnectionStrings() {
    assertEquals("sc://127.0.0.1:15002", SparkRemote.check("sc://127.0.0.1:15002"));
    assertEquals("sc://spark.example.com", SparkRemote.check(" sc://spark.example.com "));
    assertEquals(
        "sc://spark:443/;use_ssl=true;token=abc",
        SparkRemote.check("sc://spark:443/;use_ssl=true;token=abc"));
  }

  @Test
  void rejectsOtherEndpointsNamingTheProblem() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> SparkRemote.check("http://spark:15002"));
    assertTrue(e.getMessage().contains("http://spark:15002"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> SparkRemote.check(""));
    assertThrows(IllegalArgumentException.class, () -> SparkRemote.check(null));
    assertThrows(IllegalArgumentException.class, () -> SparkRemote.check("sc://"));
  }
}

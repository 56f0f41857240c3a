package io.aquifer.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.catalog.Principal;
import io.aquifer.exec.EngineTimeZones;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class SessionTimeZoneTest {
  private static Session session() {
    return new Session("s1", new Principal("alice", false), "main", "default");
  }

  @Test
  void defaultIsUtc() {
    Session s = session();
    assertEquals(ZoneId.of("UTC"), SessionSettings.timeZone(s));
    assertEquals("UTC", SessionSettings.engineTimeZone(s));
    assertEquals("UTC", SessionSettings.show(s, "timezone"));
  }

  @Test
  void everyNameSetsTheOneSetting() {
    Session s = session();
    SessionSettings.set(s, "TIME ZONE", "America/Los_Angeles");
    assertEquals("America/Los_Angeles", SessionSettings.show(s, "spark.sql.session.timeZone"));
    SessionSettings.set(s, "spark.sql.session.timezone", "Asia/Kolkata");
    assertEquals("Asia/Kolkata", SessionSettings.show(s, "TIMEZONE"));
    SessionSettings.set(s, "timezone", "PST");
    assertEquals("America/Los_Angeles", SessionSettings.timeZone(s).getId());
    SessionSettings.set(s, "timezone", "+5:30");
    assertEquals("GMT+05:30", SessionSettings.engineTimeZone(s));
    SessionSettings.set(s, "timezone", "Z");
    assertEquals("UTC", SessionSettings.engineTimeZone(s));
    SessionSettings.set(s, "timezone", "UTC-03:45");
    assertEquals("GMT-03:45", SessionSettings.engineTimeZone(s));
  }

  @Test
  void badZoneFailsAndChangesNothing() {
    Session s = session();
    SessionSettings.set(s, "timezone", "Europe/Berlin");
    for (String bad : new String[] {"Mars/Olympus", "", "+05:07", "+19:00", "America/"}) {
      GatewayException e =
          assertThrows(GatewayException.class, () -> SessionSettings.set(s, "timezone", bad));
      assertEquals("INVALID_CONF_VALUE.TIME_ZONE", e.errorClass());
      assertEquals("22022", e.sqlState());
      assertTrue(e.getMessage().contains("spark.sql.session.timeZone"), e.getMessage());
      assertEquals("Europe/Berlin", SessionSettings.show(s, "timezone"));
    }
  }

  @Test
  void theEngineKnowsEveryAcceptedZone() {
    assertTrue(EngineTimeZones.all().contains("America/Los_Angeles"));
    assertTrue(EngineTimeZones.all().contains("GMT+05:45"));
    assertTrue(EngineTimeZones.all().contains("GMT-18:00"));
    assertEquals("UTC", EngineTimeZones.all().get(0));
    for (String id : ZoneId.getAvailableZoneIds()) {
      assertTrue(EngineTimeZones.all().contains(EngineTimeZones.engineName(ZoneId.of(id)).get()));
    }
  }
}

package io.aquifer.planner.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.planner.PlannerException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SetStatementParserTest {
  private static ParsedStatement.SetTimeZone zone(String sql) {
    return assertInstanceOf(ParsedStatement.SetTimeZone.class, StatementParser.parse(sql));
  }

  private static ParsedStatement.SetConfig config(String sql) {
    return assertInstanceOf(ParsedStatement.SetConfig.class, StatementParser.parse(sql));
  }

  @Test
  void setTimeZoneForms() {
    assertEquals(
        Optional.of("America/Los_Angeles"), zone("SET TIME ZONE 'America/Los_Angeles'").zone());
    assertEquals(Optional.empty(), zone("set time zone local;").zone());
    assertEquals(
        Optional.of("+05:30"), zone("SET TIME ZONE INTERVAL '+05:30' HOUR TO MINUTE").zone());
    assertEquals(
        Optional.of("-08:00"), zone("SET TIME ZONE INTERVAL '-08:00:00' HOUR TO SECOND").zone());
    assertEquals(Optional.of("-08:00"), zone("SET TIME ZONE INTERVAL -8 HOURS").zone());
    assertEquals(Optional.of("+01:30"), zone("SET TIME ZONE INTERVAL 1 HOUR 30 MINUTES").zone());
    assertEquals(Optional.of("+00:00:10"), zone("SET TIME ZONE INTERVAL 10 SECONDS").zone());
  }

  @Test
  void badTimeZoneStatementsFailToParse() {
    PlannerException e =
        assertThrows(
            PlannerException.class, () -> StatementParser.parse("SET TIME ZONE INTERVAL 19 HOURS"));
    assertTrue(e.getMessage().contains("-18:00 to +18:00"), e.getMessage());
    assertThrows(PlannerException.class, () -> StatementParser.parse("SET TIME ZONE"));
    assertThrows(
        PlannerException.class, () -> StatementParser.parse("SET TIME ZONE INTERVAL '5:30' HOUR"));
    assertThrows(PlannerException.class, () -> StatementParser.parse("SET TIME ZONE 'UTC' extra"));
  }

  @Test
  void setKeyValue() {
    ParsedStatement.SetConfig s = config("SET spark.sql.session.timeZone = America/New_York");
    assertEquals(Optional.of("spark.sql.session.timeZone"), s.key());
    assertEquals(Optional.of("America/New_York"), s.value());
    assertEquals(Optional.of("Asia/Kolkata"), config("SET timezone = 'Asia/Kolkata';").value());
    assertEquals(Optional.of("timezone"), config("SET timezone").key());
    assertEquals(Optional.empty(), config("SET timezone").value());
    assertEquals(Optional.empty(), config("SET").key());
    assertEquals(Optional.of("60"), config("SET STATEMENT_TIMEOUT=60").value());
  }

  @Test
  void timestampLiteralsAndCasts() {
    String sql =
        ((ParsedStatement.Query)
                StatementParser.parse(
                    "SELECT TIMESTAMP '2024-05-01 10:00:00.123456', TIMESTAMP_NTZ '2024-05-01"
                        + " 10:00:00', CAST(s AS TIMESTAMP), TIMESTAMP '2024-05-01T10:00:00Z',"
                        + " CAST(s AS TIMESTAMP_NTZ) FROM t"))
            .calciteSql();
    assertEquals(
        "SELECT CAST(TIMESTAMP '2024-05-01 10:00:00.123456' AS TIMESTAMP_LTZ), TIMESTAMP    "
            + " '2024-05-01 10:00:00', CAST(s AS TIMESTAMP_LTZ), CAST('2024-05-01T10:00:00Z' AS"
            + " TIMESTAMP_LTZ), CAST(s AS TIMESTAMP_NTZ) FROM t",
        sql);
  }
}

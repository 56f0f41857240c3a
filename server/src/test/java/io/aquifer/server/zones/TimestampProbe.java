package io.aquifer.server.zones;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Calendar;
import java.util.Properties;
import java.util.TimeZone;
import java.util.concurrent.Callable;

/**
 * The client side of {@link TimestampClientZonesTest}, run in its own JVM with the time zone under
 * test ({@code -Duser.timezone}), since a JVM's default zone cannot be changed safely once a driver
 * has read it. Connects with one driver, reads the timestamps of a table, a literal and a golden
 * table, binds timestamp parameters, and prints what it saw as {@code key=value} lines (an
 * exception as {@code !ClassName: message}). The test decides what is right.
 *
 * <p>Arguments: client name ({@code flight}, {@code flight-instant} or {@code aquifer}), JDBC URL,
 * token, and the name of the table its parameter rows go to.
 */
public final class TimestampProbe {
  private TimestampProbe() {}

  public static void main(String[] args) throws Exception {
    String client = args[0];
    String url = args[1];
    Properties properties = new Properties();
    properties.setProperty("token", args[2]);
    if (client.equals("flight-instant")) {
      properties.setProperty("x-aquifer-timestamps", "instant");
    }
    String parameterTable = args[3];
    System.out.println("zone=" + TimeZone.getDefault().getID());
    try (Connection c = DriverManager.getConnection(url, properties)) {
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT id, at, wall FROM tz.ts ORDER BY id")) {
        while (rs.next()) {
          observe("row" + rs.getLong("id"), rs);
        }
      }
      try (Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT 0 AS id, TIMESTAMP '2024-05-01 10:00:00.123' AS at,"
                      + " CAST('2024-05-01 10:00:00.123' AS TIMESTAMP_NTZ) AS wall")) {
        rs.next();
        observe("literal", rs);
      }
      try (Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT TimestampType FROM tz.golden WHERE TimestampType IS NOT NULL"
                      + " ORDER BY TimestampType")) {
        int i = 0;
        while (rs.next()) {
          i++;
          print("golden" + i + ".getTimestamp", () -> instant(rs.getTimestamp(1)));
          print("golden" + i + ".getString", () -> rs.getString(1));
        }
      }
      bindParameters(c, parameterTable);
      // The session time zone reads literals; the client's zone plays no part.
      try (Statement s = c.createStatement()) {
        s.execute("SET TIME ZONE 'America/Los_Angeles'");
      }
      try (Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT 0 AS id, TIMESTAMP '2024-05-01 03:00:00.123' AS at,"
                      + " TIMESTAMP_NTZ '2024-05-01 10:00:00.123' AS wall")) {
        rs.next();
        observe("session", rs);
      }
    }
  }

  private static void observe(String row, ResultSet rs) {
    Calendar utc = Calendar.getInstance(TimeZone.getTimeZone("UTC"));
    Calendar local = Calendar.getInstance();
    print(row + ".at.getTimestamp", () -> instant(rs.getTimestamp("at")));
    print(row + ".at.getTimestampUtcCalendar", () -> instant(rs.getTimestamp("at", utc)));
    print(row + ".at.getTimestampLocalCalendar", () -> instant(rs.getTimestamp("at", local)));
    // By index: getObject(label) takes another path in the Flight SQL driver.
    print(row + ".at.getObject", () -> describe(rs.getObject(2)));
    print(row + ".at.getObjectInstant", () -> rs.getObject(2, Instant.class));
    print(
        row + ".at.getObjectOffsetDateTime",
        () -> rs.getObject(2, OffsetDateTime.class).toInstant());
    print(row + ".at.getString", () -> rs.getString("at"));
    print(row + ".wall.getTimestamp", () -> rs.getTimestamp("wall").toLocalDateTime());
    print(row + ".wall.getObject", () -> describe(rs.getObject(3)));
    print(row + ".wall.getObjectLocalDateTime", () -> rs.getObject(3, LocalDateTime.class));
    print(row + ".wall.getString", () -> rs.getString("wall"));
  }

  /**
   * Row 1: setTimestamp without a Calendar; row 2: with a UTC Calendar; row 3: with the JVM's
   * Calendar. The instant is 2024-03-31T01:30:00.123Z and the wall clock 2024-03-31T01:30:00.123.
   */
  private static void bindParameters(Connection c, String table) throws SQLException {
    Instant instant = Instant.parse("2024-03-31T01:30:00.123Z");
    LocalDateTime wall = LocalDateTime.parse("2024-03-31T01:30:00.123");
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE tz." + table + " (id BIGINT, at TIMESTAMP, wall TIMESTAMP_NTZ)");
    }
    try (PreparedStatement insert =
        c.prepareStatement("INSERT INTO tz." + table + " VALUES (?, ?, ?)")) {
      insert.setLong(1, 1);
      insert.setTimestamp(2, Timestamp.from(instant));
      insert.setTimestamp(3, Timestamp.valueOf(wall));
      insert.executeUpdate();

      Calendar utc = Calendar.getInstance(TimeZone.getTimeZone("UTC"));
      insert.setLong(1, 2);
      insert.setTimestamp(2, Timestamp.from(instant), utc);
      // The wall clock in the Calendar's zone is what an NTZ value takes.
      insert.setTimestamp(3, Timestamp.from(wall.toInstant(ZoneOffset.UTC)), utc);
      insert.executeUpdate();

      Calendar local = Calendar.getInstance();
      insert.setLong(1, 3);
      insert.setTimestamp(2, Timestamp.from(instant), local);
      insert.setTimestamp(3, Timestamp.valueOf(wall), local);
      insert.executeUpdate();
    }
    System.out.println("parameters=done");
  }

  private static Object describe(Object value) {
    return value instanceof Timestamp t ? instant(t) + " (Timestamp)" : value;
  }

  /** A Timestamp as the instant it stands for, and its wall clock in this JVM. */
  private static String instant(Timestamp t) {
    return t == null ? "null" : t.toInstant() + " " + t.toLocalDateTime();
  }

  private static void print(String key, Callable<Object> value) {
    String shown;
    try {
      shown = String.valueOf(value.call());
    } catch (Exception | Error e) {
      shown = "!" + e.getClass().getSimpleName() + ": " + e.getMessage();
    }
    System.out.println(key + "=" + shown.replace('\n', ' '));
  }
}

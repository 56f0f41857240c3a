package io.aquifer.jdbc;

import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Calendar;
import java.util.TimeZone;
import org.apache.calcite.avatica.AvaticaResultSet;
import org.apache.calcite.avatica.AvaticaStatement;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.QueryState;

/**
 * A result set whose {@link #next()} reports a failed fetch (a canceled statement, a lost
 * connection) as a {@link SQLException}, where Avatica's lets an unchecked exception through.
 *
 * <p>TIMESTAMP columns hold instants. The server sends them as milliseconds since the epoch, which
 * Avatica would read as a wall clock in the connection's time zone; here they are read as the
 * instant they are, whatever the JVM's zone or the Calendar passed ({@code getTimestamp}, {@code
 * getObject}, {@code getObject(i, Instant.class)} and the other java.time classes). TIMESTAMP_NTZ
 * columns keep JDBC's wall-clock reading. See docs/timestamps.md.
 */
final class AquiferResultSet extends AvaticaResultSet {
  /** The instant's epoch milliseconds are its UTC wall clock. */
  private static final TimeZone UTC = TimeZone.getTimeZone("UTC");

  AquiferResultSet(
      AvaticaStatement statement,
      QueryState state,
      Meta.Signature signature,
      ResultSetMetaData metaData,
      TimeZone timeZone,
      Meta.Frame firstFrame)
      throws SQLException {
    super(statement, state, signature, metaData, timeZone, firstFrame);
  }

  @Override
  public boolean next() throws SQLException {
    try {
      return super.next();
    } catch (RuntimeException e) {
      throw Errors.toSqlException("Cannot fetch the next rows", e);
    }
  }

  @Override
  public Timestamp getTimestamp(int columnIndex) throws SQLException {
    return isInstant(columnIndex)
        ? super.getTimestamp(columnIndex, utc())
        : super.getTimestamp(columnIndex);
  }

  @Override
  public Timestamp getTimestamp(int columnIndex, Calendar cal) throws SQLException {
    // An instant does not depend on the Calendar, which only places a wall clock.
    return super.getTimestamp(columnIndex, isInstant(columnIndex) ? utc() : cal);
  }

  @Override
  public Timestamp getTimestamp(String columnLabel) throws SQLException {
    return getTimestamp(findColumn(columnLabel));
  }

  @Override
  public Timestamp getTimestamp(String columnLabel, Calendar cal) throws SQLException {
    return getTimestamp(findColumn(columnLabel), cal);
  }

  @Override
  public Object getObject(int columnIndex) throws SQLException {
    return isInstant(columnIndex) ? getTimestamp(columnIndex) : super.getObject(columnIndex);
  }

  @Override
  public Object getObject(String columnLabel) throws SQLException {
    return getObject(findColumn(columnLabel));
  }

  @Override
  public <T> T getObject(int columnIndex, Class<T> type) throws SQLException {
    if (type == LocalDate.class && column(columnIndex).type.id == Types.DATE) {
      // The day itself, read at midnight UTC so that no zone shifts it (Avatica has no LocalDate).
      java.sql.Date day = super.getDate(columnIndex, utc());
      return day == null
          ? null
          : type.cast(Instant.ofEpochMilli(day.getTime()).atZone(ZoneOffset.UTC).toLocalDate());
    }
    if (!isTimestamp(columnIndex)) {
      return super.getObject(columnIndex, type);
    }
    boolean instant = isInstant(columnIndex);
    // The wall clock an NTZ value stands for, read without any zone.
    Timestamp raw = super.getTimestamp(columnIndex, utc());
    if (raw == null) {
      return null;
    }
    Instant epoch = raw.toInstant();
    Object value;
    if (type == Timestamp.class) {
      value = getTimestamp(columnIndex);
    } else if (type == LocalDateTime.class) {
      value = LocalDateTime.ofInstant(epoch, ZoneOffset.UTC);
    } else if (instant && type == Instant.class) {
      value = epoch;
    } else if (instant && type == OffsetDateTime.class) {
      value = epoch.atOffset(ZoneOffset.UTC);
    } else if (instant && type == ZonedDateTime.class) {
      value = epoch.atZone(ZoneOffset.UTC);
    } else {
      throw new SQLException(
          "Cannot read a "
              + columnMetaDataList.get(columnIndex - 1).type.name
              + " column as "
              + type.getName(),
          "22018");
    }
    return type.cast(value);
  }

  @Override
  public <T> T getObject(String columnLabel, Class<T> type) throws SQLException {
    return getObject(findColumn(columnLabel), type);
  }

  private boolean isTimestamp(int columnIndex) throws SQLException {
    return column(columnIndex).type.id == Types.TIMESTAMP;
  }

  private boolean isInstant(int columnIndex) throws SQLException {
    ColumnMetaData column = column(columnIndex);
    return column.type.id == Types.TIMESTAMP && "TIMESTAMP".equals(column.type.name);
  }

  private ColumnMetaData column(int columnIndex) throws SQLException {
    if (columnIndex < 1 || columnIndex > columnMetaDataList.size()) {
      throw new SQLException(
          "Column " + columnIndex + " does not exist; the result has " + columnMetaDataList.size(),
          "07009");
    }
    return columnMetaDataList.get(columnIndex - 1);
  }

  private static Calendar utc() {
    return Calendar.getInstance(UTC);
  }
}

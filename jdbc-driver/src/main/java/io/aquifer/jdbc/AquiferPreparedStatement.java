package io.aquifer.jdbc;

import java.sql.ParameterMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Calendar;
import java.util.Optional;
import java.util.TimeZone;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.AvaticaPreparedStatement;
import org.apache.calcite.avatica.Meta;

/**
 * A prepared statement whose {@link #cancel()} stops it on the server, and whose {@code
 * setTimestamp} binds a TIMESTAMP parameter (an instant) as that instant, whatever the JVM's zone
 * or the Calendar; Avatica would send the wall clock of the connection's zone, which the server
 * cannot tell from UTC. TIMESTAMP_NTZ parameters keep JDBC's wall-clock binding.
 */
final class AquiferPreparedStatement extends AvaticaPreparedStatement
    implements AquiferJdbcStatement {
  private static final TimeZone UTC = TimeZone.getTimeZone("UTC");

  AquiferPreparedStatement(
      AvaticaConnection connection,
      Meta.StatementHandle h,
      Meta.Signature signature,
      int resultSetType,
      int resultSetConcurrency,
      int resultSetHoldability)
      throws SQLException {
    super(connection, h, signature, resultSetType, resultSetConcurrency, resultSetHoldability);
  }

  @Override
  public void setTimestamp(int parameterIndex, Timestamp x) throws SQLException {
    if (isInstant(parameterIndex)) {
      super.setTimestamp(parameterIndex, x, Calendar.getInstance(UTC));
    } else {
      super.setTimestamp(parameterIndex, x);
    }
  }

  @Override
  public void setTimestamp(int parameterIndex, Timestamp x, Calendar cal) throws SQLException {
    super.setTimestamp(
        parameterIndex, x, isInstant(parameterIndex) ? Calendar.getInstance(UTC) : cal);
  }

  private boolean isInstant(int parameterIndex) throws SQLException {
    ParameterMetaData parameters = getParameterMetaData();
    return parameterIndex >= 1
        && parameterIndex <= parameters.getParameterCount()
        && "TIMESTAMP".equals(parameters.getParameterTypeName(parameterIndex));
  }

  /**
   * Stops what this statement runs, from any thread: the running call fails with SQLSTATE 57014,
   * and the statement stays usable. (Not synchronized, unlike Avatica's, which waits for the
   * running call.)
   */
  /**
   * Also sent to the server, which cancels an execution that runs longer, in the engine too (the
   * call fails with SQLSTATE 57014; the statement stays usable).
   */
  @Override
  public void setQueryTimeout(int seconds) throws SQLException {
    super.setQueryTimeout(seconds);
    ((AquiferConnection) connection).queryTimeout(getId(), seconds);
  }

  @Override
  public Optional<String> runningStatementId() throws SQLException {
    checkOpen();
    return ((AquiferConnection) connection).runningStatementId(getId());
  }

  @Override
  public void cancel() throws SQLException {
    checkOpen();
    ((AquiferConnection) connection).cancel(getId());
  }
}

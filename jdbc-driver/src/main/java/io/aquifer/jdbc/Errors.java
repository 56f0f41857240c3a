package io.aquifer.jdbc;

import java.sql.SQLException;
import org.apache.calcite.avatica.AvaticaClientRuntimeException;
import org.apache.calcite.avatica.AvaticaSqlException;

/** Avatica's unchecked client errors as the {@link SQLException}s JDBC callers expect. */
final class Errors {
  private Errors() {}

  static SQLException toSqlException(String context, RuntimeException e) {
    if (e instanceof AvaticaClientRuntimeException) {
      AvaticaClientRuntimeException avatica = (AvaticaClientRuntimeException) e;
      String message = avatica.getMessage();
      return new AvaticaSqlException(
          message,
          avatica.getSqlState(),
          avatica.getErrorCode(),
          avatica.getServerExceptions(),
          avatica.getRpcMetadata() == null ? null : avatica.getRpcMetadata().serverAddress);
    }
    return new SQLException(context + ": " + e.getMessage(), e);
  }
}

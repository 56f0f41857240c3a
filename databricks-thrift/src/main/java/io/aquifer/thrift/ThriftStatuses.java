package io.aquifer.thrift;

import com.databricks.jdbc.model.client.thrift.generated.TStatus;
import com.databricks.jdbc.model.client.thrift.generated.TStatusCode;
import io.aquifer.gateway.GatewayException;
import io.aquifer.gateway.StatementError;
import io.aquifer.rest.DatabricksApiException;

/**
 * Errors as the protocol's {@link TStatus}: {@code ERROR_STATUS} with the SQLSTATE, the message
 * {@code [ERROR_CLASS] message SQLSTATE: xxxxx} as Databricks writes it, and the bare message as
 * display message.
 */
final class ThriftStatuses {
  private ThriftStatuses() {}

  static TStatus ok() {
    return new TStatus(TStatusCode.SUCCESS_STATUS);
  }

  static TStatus error(GatewayException e) {
    return error(e.errorClass(), e.sqlState(), e.clientMessage(), e.getMessage());
  }

  static TStatus error(DatabricksApiException e) {
    String sqlState = e.sqlState().orElse("42000");
    String message = e.getMessage();
    String full =
        message.startsWith("[")
            ? message
            : "[" + e.errorCode() + "] " + message + " SQLSTATE: " + sqlState;
    return error(e.errorCode(), sqlState, full, message);
  }

  static TStatus error(StatementError e) {
    return error(e.errorClass(), e.sqlState(), message(e), e.message());
  }

  /** {@code [ERROR_CLASS] message (at position) SQLSTATE: xxxxx}. */
  static String message(StatementError e) {
    return "["
        + e.errorClass()
        + "] "
        + e.message()
        + e.position().map(p -> " (at " + p + ")").orElse("")
        + " SQLSTATE: "
        + e.sqlState();
  }

  private static TStatus error(
      String errorClass, String sqlState, String message, String displayMessage) {
    TStatus status = new TStatus(TStatusCode.ERROR_STATUS);
    status.setSqlState(sqlState);
    status.setErrorMessage(message);
    status.setDisplayMessage(displayMessage);
    status.setErrorDetailsJson(
        "{\"error_class\":\"" + json(errorClass) + "\",\"sqlState\":\"" + json(sqlState) + "\"}");
    return status;
  }

  private static String json(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}

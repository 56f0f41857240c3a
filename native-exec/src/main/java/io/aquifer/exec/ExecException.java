package io.aquifer.exec;

import static java.util.Objects.requireNonNull;

/**
 * A failure of a fragment on a warehouse node. The message says what went wrong in terms a user can
 * act on; it never carries engine-SQL positions or stack traces.
 */
public class ExecException extends RuntimeException {
  private final ExecErrorCode code;

  public ExecException(ExecErrorCode code, String message) {
    this(code, message, null);
  }

  public ExecException(ExecErrorCode code, String message, Throwable cause) {
    super(requireNonNull(message, "message"), cause);
    this.code = requireNonNull(code, "code");
  }

  public ExecErrorCode code() {
    return code;
  }

  public String sqlState() {
    return code.sqlState();
  }
}

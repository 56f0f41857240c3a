package io.aquifer.tpch;

import static java.util.Objects.requireNonNull;

/** A failure of the TPC-H kit; the message names the table, query or file. */
public class TpchException extends RuntimeException {
  private final TpchErrorCode code;

  public TpchException(TpchErrorCode code, String message) {
    this(code, message, null);
  }

  public TpchException(TpchErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = requireNonNull(code, "code");
  }

  public TpchErrorCode code() {
    return code;
  }
}

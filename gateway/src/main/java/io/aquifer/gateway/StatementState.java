package io.aquifer.gateway;

/** Life cycle of a statement. SUCCEEDED, FAILED, CANCELED and CLOSED are final. */
public enum StatementState {
  PENDING,
  RUNNING,
  SUCCEEDED,
  FAILED,
  CANCELED,
  CLOSED;

  public boolean isFinal() {
    return this != PENDING && this != RUNNING;
  }
}

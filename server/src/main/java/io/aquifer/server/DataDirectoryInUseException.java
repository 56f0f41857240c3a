package io.aquifer.server;

/**
 * Another Aquifer process holds the data directory's lock. Its message is meant for the user as is:
 * {@code aquifer start} prints it as one line, without a stack trace.
 */
public final class DataDirectoryInUseException extends IllegalStateException {
  public DataDirectoryInUseException(String message) {
    super(message);
  }
}

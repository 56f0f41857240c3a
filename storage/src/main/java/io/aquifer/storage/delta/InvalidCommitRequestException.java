package io.aquifer.storage.delta;

/**
 * A create or commit request that cannot be right whatever the table's state: statistics for a
 * column the table lacks, partition values that do not match the partition columns, a removed file
 * that is not in the version the request was read from. A bug of the caller, not a user error.
 */
public final class InvalidCommitRequestException extends IllegalArgumentException {
  public InvalidCommitRequestException(String message) {
    super(message);
  }
}

package io.aquifer.storage.delta;

import io.aquifer.storage.StorageErrorCode;
import io.aquifer.storage.StorageException;
import io.delta.kernel.exceptions.CommitStateUnknownException;
import io.delta.kernel.exceptions.ConcurrentWriteException;
import io.delta.kernel.exceptions.InvalidConfigurationValueException;
import io.delta.kernel.exceptions.InvalidTableException;
import io.delta.kernel.exceptions.KernelEngineException;
import io.delta.kernel.exceptions.MaxCommitRetryLimitReachedException;
import io.delta.kernel.exceptions.TableAlreadyExistsException;
import io.delta.kernel.exceptions.TableNotFoundException;
import io.delta.kernel.exceptions.UnknownConfigurationException;
import io.delta.kernel.exceptions.UnsupportedProtocolVersionException;
import io.delta.kernel.exceptions.UnsupportedTableFeatureException;
import java.io.UncheckedIOException;
import java.util.TreeSet;

/**
 * Turns what Kernel throws into {@link StorageException}s whose message names the table and the
 * problem in words a user can act on. The Kernel exception stays attached as the cause.
 */
final class KernelErrorTranslator {
  /** Highest Delta reader protocol version Kernel 4.4 (and so Aquifer) reads. */
  static final int MAX_READER_VERSION = 3;

  /** Highest Delta writer protocol version Kernel 4.4 (and so Aquifer) writes. */
  static final int MAX_WRITER_VERSION = 7;

  /** What was being done, for the fallback of failures without a more precise code. */
  enum Action {
    READ(StorageErrorCode.DELTA_LOG_CORRUPT, "cannot read the Delta log of table "),
    CREATE(StorageErrorCode.DELTA_CHANGE_REJECTED, "cannot create table "),
    COMMIT(StorageErrorCode.DELTA_CHANGE_REJECTED, "cannot commit to table ");

    private final StorageErrorCode fallback;
    private final String prefix;

    Action(StorageErrorCode fallback, String prefix) {
      this.fallback = fallback;
      this.prefix = prefix;
    }
  }

  private KernelErrorTranslator() {}

  static StorageException translate(RuntimeException e, TableLocation table, Action action) {
    if (e instanceof StorageException storage) {
      return storage;
    }
    if (e instanceof TableNotFoundException) {
      return new StorageException(
          StorageErrorCode.DELTA_TABLE_NOT_FOUND,
          "no Delta table at " + table + ": _delta_log holds no commits",
          e);
    }
    if (e instanceof TableAlreadyExistsException) {
      return new StorageException(
          StorageErrorCode.DELTA_TABLE_ALREADY_EXISTS,
          "a Delta table already exists at " + table,
          e);
    }
    if (e instanceof UnsupportedProtocolVersionException protocol) {
      boolean reader =
          protocol.getVersionType()
              == UnsupportedProtocolVersionException.ProtocolVersionType.READER;
      return new StorageException(
          StorageErrorCode.DELTA_UNSUPPORTED_PROTOCOL,
          "table "
              + table
              + " requires Delta "
              + (reader ? "reader" : "writer")
              + " version "
              + protocol.getVersion()
              + ", Aquifer supports up to "
              + (reader ? MAX_READER_VERSION : MAX_WRITER_VERSION),
          e);
    }
    if (e instanceof UnsupportedTableFeatureException feature) {
      return new StorageException(
          StorageErrorCode.DELTA_UNSUPPORTED_PROTOCOL,
          "table "
              + table
              + " requires Delta table features "
              + new TreeSet<>(feature.getUnsupportedFeatures())
              + " that Aquifer does not support"
              + (action == Action.READ ? "" : " for writing")
              + " ("
              + e.getMessage()
              + ")",
          e);
    }
    if (e instanceof InvalidTableException) {
      return new StorageException(
          StorageErrorCode.DELTA_LOG_CORRUPT,
          "the Delta log of table " + table + " is damaged: " + invalidTableReason(e.getMessage()),
          e);
    }
    if (e instanceof ConcurrentWriteException || e instanceof MaxCommitRetryLimitReachedException) {
      return new StorageException(
          StorageErrorCode.DELTA_COMMIT_CONFLICT,
          "commit to table "
              + table
              + " conflicts with a concurrent commit: "
              + e.getMessage()
              + "; nothing was written, read the table again and retry",
          e);
    }
    if (e instanceof UnknownConfigurationException
        || e instanceof InvalidConfigurationValueException) {
      return new StorageException(
          StorageErrorCode.DELTA_CHANGE_REJECTED, action.prefix + table + ": " + e.getMessage(), e);
    }
    if (e instanceof CommitStateUnknownException) {
      return new StorageException(
          StorageErrorCode.STORAGE_IO_ERROR,
          "commit to table "
              + table
              + " may or may not have been written (I/O failure, then a conflict): "
              + e.getMessage()
              + "; read the table's history before retrying",
          e);
    }
    if (e instanceof KernelEngineException || e instanceof UncheckedIOException) {
      return new StorageException(
          StorageErrorCode.STORAGE_IO_ERROR,
          action.prefix + table + ": I/O failure: " + messageChain(e),
          e);
    }
    return new StorageException(action.fallback, action.prefix + table + ": " + messageChain(e), e);
  }

  /** Kernel's InvalidTableException message without its "Invalid table found at X: " prefix. */
  private static String invalidTableReason(String message) {
    String marker = "Invalid table found at ";
    if (message != null && message.startsWith(marker)) {
      int reason = message.indexOf(": ", marker.length());
      if (reason >= 0) {
        return message.substring(reason + 2);
      }
    }
    return message;
  }

  /** The message of an exception and its causes, for failures Kernel wraps several times. */
  static String messageChain(Throwable e) {
    StringBuilder text = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String message = t.getMessage();
      if (message == null || message.isBlank() || text.indexOf(message) >= 0) {
        continue;
      }
      if (text.length() > 0) {
        text.append(": ");
      }
      text.append(message);
    }
    return text.length() == 0 ? e.getClass().getSimpleName() : text.toString();
  }
}

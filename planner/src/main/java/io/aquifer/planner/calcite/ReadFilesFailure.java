package io.aquifer.planner.calcite;

/**
 * Carries a failure of the catalog's {@code read_files} resolution (a missing path, a missing
 * privilege, an unreadable file) through Calcite's validator, so that the statement fails with it
 * as it is and not as a generic planning error.
 */
public final class ReadFilesFailure extends RuntimeException {
  private final RuntimeException failure;

  public ReadFilesFailure(RuntimeException failure) {
    super(failure.getMessage(), failure);
    this.failure = failure;
  }

  public RuntimeException failure() {
    return failure;
  }

  /** The read_files failure {@code e} is or wraps, if any. */
  public static java.util.Optional<RuntimeException> in(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof ReadFilesFailure f) {
        return java.util.Optional.of(f.failure());
      }
    }
    return java.util.Optional.empty();
  }
}

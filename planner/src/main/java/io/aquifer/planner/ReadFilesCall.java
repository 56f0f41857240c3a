package io.aquifer.planner;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * One call of the {@code read_files(path [, option => value, ...])} table function as written in a
 * query's FROM clause.
 *
 * @param path the first argument: a {@code /Volumes/...} path, or a path or {@code file:} URI below
 *     an external location
 * @param options the named arguments by lower-case name, values as written (strings unquoted,
 *     numbers and words as their text), in the order written
 * @param metadata the statement names a {@code _metadata} column somewhere: the files' table gets
 *     the hidden {@code _metadata} column (left out of {@code SELECT *})
 */
public record ReadFilesCall(String path, Map<String, String> options, boolean metadata) {
  public ReadFilesCall(String path, Map<String, String> options) {
    this(path, options, false);
  }

  public ReadFilesCall {
    requireNonNull(path, "path");
    options = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(options));
  }
}

package io.aquifer.gateway;

import static java.util.Objects.requireNonNull;

/**
 * A session's temporary view ({@code CREATE TEMPORARY VIEW}): visible only to statements of the
 * session that created it, by its one-part name, and gone when the session closes.
 *
 * @param name as written, without catalog or schema
 * @param sql the query that defines it
 * @param currentCatalog the session's catalog when it was created; the query's names resolve there
 * @param currentSchema the session's schema when it was created
 */
public record TemporaryView(String name, String sql, String currentCatalog, String currentSchema) {
  public TemporaryView {
    requireNonNull(name, "name");
    requireNonNull(sql, "sql");
    requireNonNull(currentCatalog, "currentCatalog");
    requireNonNull(currentSchema, "currentSchema");
  }
}

package io.aquifer.tpch;

import java.util.List;

/**
 * The loader's way into a running warehouse: SQL statements as any client sends them, so that every
 * table is created and committed by the gateway. Over JDBC for {@code aquifer tpch load} ({@link
 * JdbcWarehouseSql}), in-process for the server's first start ({@link StatementServiceSql}).
 * Failures are {@link TpchException}s that carry the warehouse's message.
 */
public interface WarehouseSql {
  /**
   * Runs a statement; returns its update count (0 for DDL), or for COPY INTO the first value of its
   * result row ({@code num_affected_rows}).
   */
  long update(String sql);

  /** Runs a query; every value as text (null for NULL). */
  List<List<String>> query(String sql);
}

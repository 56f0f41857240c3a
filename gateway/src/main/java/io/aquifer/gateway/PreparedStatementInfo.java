package io.aquifer.gateway;

import static java.util.Objects.requireNonNull;

import org.apache.arrow.vector.types.pojo.Schema;

/**
 * What a client learns when it prepares a statement.
 *
 * @param resultSchema columns of the result; empty for statements that return no rows
 * @param parameterSchema one field per {@code ?}, in order, named after its position
 * @param returnsRows true for queries and SHOW/DESCRIBE/EXPLAIN, false for DML and DDL
 */
public record PreparedStatementInfo(
    String sql, Schema resultSchema, Schema parameterSchema, boolean returnsRows) {
  public PreparedStatementInfo {
    requireNonNull(sql, "sql");
    requireNonNull(resultSchema, "resultSchema");
    requireNonNull(parameterSchema, "parameterSchema");
  }
}

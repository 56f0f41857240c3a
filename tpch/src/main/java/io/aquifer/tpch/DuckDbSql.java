package io.aquifer.tpch;

/** Quoting for the DuckDB SQL the kit writes itself (file lists, view names). */
final class DuckDbSql {
  private DuckDbSql() {}

  static String string(String text) {
    if (text.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("NUL character in " + text);
    }
    return "'" + text.replace("'", "''") + "'";
  }

  static String identifier(String name) {
    if (name.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("NUL character in " + name);
    }
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }
}

package io.aquifer.planner.parse;

import java.util.List;

/**
 * Rewrites Databricks string literals into the standard form Calcite's parser reads: {@code "text"}
 * and backslash escapes ({@code 'it\'s'}) become {@code 'it''s'}. Literals already in standard form
 * are left alone, so positions only move after a rewritten literal.
 */
public final class StringLiteralNormalizer {
  private StringLiteralNormalizer() {}

  public static String normalize(String sql) {
    List<Token> tokens = SqlTokenizer.tokenize(sql);
    StringBuilder out = new StringBuilder(sql);
    for (int i = tokens.size() - 1; i >= 0; i--) {
      Token t = tokens.get(i);
      if (t.kind() != Token.Kind.STRING) {
        continue;
      }
      String raw = sql.substring(t.start(), t.end());
      String standard = "'" + t.text().replace("'", "''") + "'";
      if (!raw.equals(standard)) {
        out.replace(t.start(), t.end(), standard);
      }
    }
    return out.toString();
  }
}

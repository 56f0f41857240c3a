package io.aquifer.planner.parse;

import io.aquifer.planner.PlannerErrorCode;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits SQL into tokens, skipping white space and comments. Knows Databricks SQL's lexical rules:
 * back-quoted identifiers ({@code `a``b`}), single- and double-quoted strings with backslash
 * escapes, raw strings without them ({@code r'\d+'}), {@code --} and nested {@code /* *}{@code /}
 * comments.
 */
public final class SqlTokenizer {
  private final String sql;
  private final boolean backslashEscapes;
  private int pos;

  private SqlTokenizer(String sql, boolean backslashEscapes) {
    this.sql = sql;
    this.backslashEscapes = backslashEscapes;
  }

  public static List<Token> tokenize(String sql) {
    return new SqlTokenizer(sql, true).run();
  }

  /**
   * Tokenizes SQL whose strings are in standard form already (see {@link StringLiteralNormalizer}):
   * a backslash in a string is a plain character there, so {@code 'c\'} is the two characters c and
   * backslash.
   */
  public static List<Token> tokenizeNormalized(String sql) {
    return new SqlTokenizer(sql, false).run();
  }

  private List<Token> run() {
    List<Token> tokens = new ArrayList<>();
    while (true) {
      skipSpaceAndComments();
      if (pos >= sql.length()) {
        tokens.add(new Token(Token.Kind.END, "", pos, pos));
        return tokens;
      }
      tokens.add(next());
    }
  }

  private void skipSpaceAndComments() {
    while (pos < sql.length()) {
      char c = sql.charAt(pos);
      if (Character.isWhitespace(c)) {
        pos++;
      } else if (c == '-' && peek(1) == '-') {
        while (pos < sql.length() && sql.charAt(pos) != '\n') {
          pos++;
        }
      } else if (c == '/' && peek(1) == '*' && peek(2) != '+') {
        int depth = 0;
        int start = pos;
        do {
          if (sql.startsWith("/*", pos)) {
            depth++;
            pos += 2;
          } else if (sql.startsWith("*/", pos)) {
            depth--;
            pos += 2;
          } else if (pos >= sql.length()) {
            throw ParseErrors.at(
                sql, start, PlannerErrorCode.PARSE_SYNTAX_ERROR, "unclosed comment");
          } else {
            pos++;
          }
        } while (depth > 0);
      } else {
        return;
      }
    }
  }

  private char peek(int ahead) {
    int i = pos + ahead;
    return i < sql.length() ? sql.charAt(i) : '\0';
  }

  private Token next() {
    int start = pos;
    char c = sql.charAt(pos);
    if ((c == 'r' || c == 'R') && (peek(1) == '\'' || peek(1) == '"') && backslashEscapes) {
      // A raw string literal, r'...': backslashes are plain characters.
      pos++;
      Token raw = quoted(sql.charAt(pos), Token.Kind.STRING, false);
      return new Token(Token.Kind.STRING, raw.text(), start, raw.end());
    }
    if (Character.isLetter(c) || c == '_') {
      while (pos < sql.length()
          && (Character.isLetterOrDigit(sql.charAt(pos)) || sql.charAt(pos) == '_')) {
        pos++;
      }
      return new Token(Token.Kind.WORD, sql.substring(start, pos), start, pos);
    }
    if (Character.isDigit(c) || (c == '.' && Character.isDigit(peek(1)))) {
      while (pos < sql.length()
          && (Character.isLetterOrDigit(sql.charAt(pos)) || sql.charAt(pos) == '.')) {
        pos++;
      }
      return new Token(Token.Kind.NUMBER, sql.substring(start, pos), start, pos);
    }
    if (c == '`') {
      return quoted('`', Token.Kind.QUOTED_IDENTIFIER, false);
    }
    if (c == '\'' || c == '"') {
      return quoted(c, Token.Kind.STRING, backslashEscapes);
    }
    for (String op : new String[] {"<=>", "<>", "!=", "<=", ">=", "||", "::", "/*+", "*/"}) {
      if (sql.startsWith(op, pos)) {
        pos += op.length();
        return new Token(Token.Kind.SYMBOL, op, start, pos);
      }
    }
    pos++;
    return new Token(Token.Kind.SYMBOL, String.valueOf(c), start, pos);
  }

  private boolean isUnicodeEscape(int at) {
    if (at + 6 > sql.length() || sql.charAt(at + 1) != 'u') {
      return false;
    }
    for (int i = at + 2; i < at + 6; i++) {
      if (Character.digit(sql.charAt(i), 16) < 0) {
        return false;
      }
    }
    return true;
  }

  private Token quoted(char quote, Token.Kind kind, boolean backslashEscapes) {
    int start = pos;
    StringBuilder value = new StringBuilder();
    pos++;
    while (true) {
      if (pos >= sql.length()) {
        throw ParseErrors.at(
            sql,
            start,
            PlannerErrorCode.PARSE_SYNTAX_ERROR,
            kind == Token.Kind.STRING ? "unclosed string literal" : "unclosed quoted identifier");
      }
      char c = sql.charAt(pos);
      if (c == quote) {
        if (peek(1) == quote) {
          value.append(quote);
          pos += 2;
          continue;
        }
        pos++;
        return new Token(kind, value.toString(), start, pos);
      }
      if (backslashEscapes && c == '\\' && isUnicodeEscape(pos)) {
        // Spark's \\uXXXX: one UTF-16 unit in four hex digits
        value.append((char) Integer.parseInt(sql.substring(pos + 2, pos + 6), 16));
        pos += 6;
        continue;
      }
      if (backslashEscapes && c == '\\' && pos + 1 < sql.length()) {
        char e = sql.charAt(pos + 1);
        value.append(
            switch (e) {
              case 'n' -> '\n';
              case 't' -> '\t';
              case 'r' -> '\r';
              case '0' -> '\0';
              default -> e;
            });
        pos += 2;
        continue;
      }
      value.append(c);
      pos++;
    }
  }
}

package io.aquifer.planner.parse;

import io.aquifer.planner.PlannerErrorCode;
import io.aquifer.planner.PlannerException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Databricks SQL that is valid but not supported by Aquifer yet. Such a statement fails with
 * UNSUPPORTED_FEATURE (0A000, "... is not supported") at the construct, never with a syntax error
 * that would make the user hunt for a typo.
 */
public final class UnsupportedSyntax {
  /** Statements by their first word, and what the message calls them. */
  private static final Map<String, String> STATEMENTS =
      Map.ofEntries(
          Map.entry("ANALYZE", "ANALYZE TABLE"),
          Map.entry("REFRESH", "REFRESH"),
          Map.entry("CACHE", "CACHE TABLE"),
          Map.entry("UNCACHE", "UNCACHE TABLE"),
          Map.entry("CLEAR", "CLEAR CACHE"),
          Map.entry("MSCK", "MSCK REPAIR TABLE"),
          Map.entry("REPAIR", "REPAIR TABLE"),
          Map.entry("FSCK", "FSCK REPAIR TABLE"),
          Map.entry("CONVERT", "CONVERT TO DELTA"),
          Map.entry("REORG", "REORG TABLE"),
          Map.entry("GENERATE", "GENERATE"),
          Map.entry("SYNC", "SYNC"),
          Map.entry("LOAD", "LOAD DATA"),
          Map.entry("DECLARE", "DECLARE VARIABLE"),
          Map.entry("EXECUTE", "EXECUTE IMMEDIATE"),
          Map.entry("CALL", "CALL"),
          Map.entry("RESET", "RESET"),
          Map.entry("LIST", "LIST without a quoted path"),
          Map.entry("ADD", "ADD FILE/JAR"));

  /** Objects of CREATE and DROP that Aquifer does not have (first words after CREATE/DROP). */
  private static final Map<List<String>, String> OBJECTS =
      Map.ofEntries(
          Map.entry(List.of("TEMPORARY", "FUNCTION"), "temporary functions"),
          Map.entry(List.of("TEMP", "FUNCTION"), "temporary functions"),
          Map.entry(List.of("MATERIALIZED", "VIEW"), "materialized views"),
          Map.entry(List.of("STREAMING", "TABLE"), "streaming tables"),
          Map.entry(List.of("EXTERNAL", "LOCATION"), "external locations as catalog objects"),
          Map.entry(List.of("STORAGE", "CREDENTIAL"), "storage credentials"),
          Map.entry(List.of("CONNECTION"), "connections"),
          Map.entry(List.of("SHARE"), "Delta Sharing shares"),
          Map.entry(List.of("RECIPIENT"), "Delta Sharing recipients"),
          Map.entry(List.of("PROVIDER"), "Delta Sharing providers"),
          Map.entry(List.of("ROLE"), "roles"));

  private UnsupportedSyntax() {}

  /** A statement whose first word names a Databricks statement Aquifer lacks, or empty. */
  static Optional<PlannerException> statement(TokenCursor c) {
    Token first = c.peek();
    String name = first.kind() == Token.Kind.WORD ? STATEMENTS.get(first.upper()) : null;
    if (name == null) {
      return Optional.empty();
    }
    return Optional.of(
        ParseErrors.at(
            c.sql(),
            first.start(),
            PlannerErrorCode.UNSUPPORTED_FEATURE,
            name + " is not supported"));
  }

  /**
   * After CREATE [OR REPLACE] or DROP (the cursor at the next word): an object kind Aquifer does
   * not have, or empty.
   */
  static Optional<PlannerException> object(TokenCursor c, String verb) {
    for (Map.Entry<List<String>, String> e : OBJECTS.entrySet()) {
      List<String> words = e.getKey();
      boolean matches = true;
      for (int i = 0; i < words.size() && matches; i++) {
        matches = c.peek(i).kind() == Token.Kind.WORD && c.peek(i).is(words.get(i));
      }
      if (matches) {
        return Optional.of(
            ParseErrors.at(
                c.sql(),
                c.peek().start(),
                PlannerErrorCode.UNSUPPORTED_FEATURE,
                verb
                    + " "
                    + String.join(" ", words)
                    + " is not supported: Aquifer has no "
                    + e.getValue()));
      }
    }
    return Optional.empty();
  }

  /**
   * A query the parser could not read because of a Databricks construct Aquifer does not support
   * yet, at or before where the parser stopped ({@code line}, {@code column}, 1-based; 0 when
   * unknown): that construct's UNSUPPORTED_FEATURE error, or empty when the text is simply wrong.
   */
  public static Optional<PlannerException> inQuery(String sql, int line, int column) {
    int stop = line <= 0 ? sql.length() : offset(sql, line, Math.max(column, 1));
    List<Token> tokens;
    try {
      tokens = SqlTokenizer.tokenizeNormalized(sql);
    } catch (PlannerException e) {
      return Optional.empty();
    }
    for (int i = 0; i < tokens.size(); i++) {
      Token t = tokens.get(i);
      if (t.start() > stop) {
        break;
      }
      if (t.kind() != Token.Kind.WORD) {
        continue;
      }
      Token next = i + 1 < tokens.size() ? tokens.get(i + 1) : t;
      String feature = null;
      if (t.is("STRUCT") && next.isSymbol("(") && namedStructFields(tokens, i + 1, stop)) {
        feature = "struct(... AS name) with named fields (use named_struct('name', value, ...))";
      }
      if (feature != null) {
        return Optional.of(
            ParseErrors.at(
                sql,
                t.start(),
                PlannerErrorCode.UNSUPPORTED_FEATURE,
                feature + " is not supported"));
      }
    }
    return Optional.empty();
  }

  /** True if the parentheses opened at {@code open} hold an {@code AS} of their own before stop. */
  private static boolean namedStructFields(List<Token> tokens, int open, int stop) {
    int depth = 0;
    for (int i = open; i < tokens.size() && tokens.get(i).start() <= stop; i++) {
      Token t = tokens.get(i);
      if (t.isSymbol("(")) {
        depth++;
      } else if (t.isSymbol(")")) {
        if (--depth == 0) {
          return false;
        }
      } else if (depth == 1 && t.kind() == Token.Kind.WORD && t.is("AS")) {
        return true;
      }
    }
    return false;
  }

  private static int offset(String sql, int line, int column) {
    int currentLine = 1;
    int i = 0;
    while (i < sql.length() && currentLine < line) {
      if (sql.charAt(i) == '\n') {
        currentLine++;
      }
      i++;
    }
    return Math.min(sql.length(), i + column - 1);
  }
}

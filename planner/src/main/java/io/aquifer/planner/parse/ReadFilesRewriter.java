package io.aquifer.planner.parse;

import io.aquifer.planner.PlannerErrorCode;
import io.aquifer.planner.ReadFilesCall;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns each {@code read_files('path', option => value, ...)} in a FROM clause into a quoted name
 * ({@code `\u0001read_files_<n>`}) that the planner's schema resolves to the files' table, and
 * collects the calls. Arguments are constants: the path a string, option values strings, numbers,
 * {@code true}/{@code false} or words; options are named ({@code name => value}).
 */
public final class ReadFilesRewriter {
  /** What the table name of a rewritten call starts with. */
  public static final String PREFIX = "\u0001read_files_";

  /** The hidden column of a read_files table that describes each row's file. */
  public static final String METADATA = "_metadata";

  private ReadFilesRewriter() {}

  /** The rewritten text, and the calls by their number in the names. */
  public record Result(String sql, List<ReadFilesCall> calls) {}

  public static boolean isReference(String name) {
    return name.startsWith(PREFIX);
  }

  public static int number(String name) {
    return Integer.parseInt(name.substring(PREFIX.length()));
  }

  /**
   * @param first the number of the first call found (a statement parsed in parts numbers on)
   */
  public static Result rewrite(String sql, int first) {
    if (!containsIgnoreCase(sql, "read_files")) {
      return new Result(sql, List.of());
    }
    List<Token> tokens = SqlTokenizer.tokenizeNormalized(sql);
    List<ReadFilesCall> calls = new ArrayList<>();
    boolean metadata =
        tokens.stream()
            .anyMatch(
                t ->
                    (t.kind() == Token.Kind.WORD || t.kind() == Token.Kind.QUOTED_IDENTIFIER)
                        && t.text().equalsIgnoreCase(METADATA));
    StringBuilder out = new StringBuilder();
    int copied = 0;
    for (int i = 1; i + 1 < tokens.size(); i++) {
      Token name = tokens.get(i);
      Token before = tokens.get(i - 1);
      if (!name.is("read_files") || !tokens.get(i + 1).isSymbol("(")) {
        continue;
      }
      if (!(before.is("FROM") || before.is("JOIN") || before.isSymbol(","))) {
        continue;
      }
      int j = i + 2;
      Token path = tokens.get(j);
      if (path.kind() != Token.Kind.STRING) {
        throw ParseErrors.at(
            sql,
            path.start(),
            PlannerErrorCode.PARSE_SYNTAX_ERROR,
            "read_files takes a path as its first argument, a string literal");
      }
      j++;
      Map<String, String> options = new LinkedHashMap<>();
      while (tokens.get(j).isSymbol(",")) {
        Token key = tokens.get(j + 1);
        if (key.kind() != Token.Kind.WORD && key.kind() != Token.Kind.QUOTED_IDENTIFIER
            || !tokens.get(j + 2).isSymbol("=")
            || !tokens.get(j + 3).isSymbol(">")) {
          throw ParseErrors.at(
              sql,
              key.start(),
              PlannerErrorCode.PARSE_SYNTAX_ERROR,
              "read_files options are named: write option => value");
        }
        Token value = tokens.get(j + 4);
        String v;
        if (value.kind() == Token.Kind.STRING
            || value.kind() == Token.Kind.NUMBER
            || value.kind() == Token.Kind.WORD) {
          v = value.text();
        } else if (value.isSymbol("-") && tokens.get(j + 5).kind() == Token.Kind.NUMBER) {
          v = "-" + tokens.get(j + 5).text();
          j++;
        } else {
          throw ParseErrors.at(
              sql,
              value.start(),
              PlannerErrorCode.PARSE_SYNTAX_ERROR,
              "the value of read_files option '"
                  + key.text()
                  + "' must be a constant (a string, a number, true or false)");
        }
        if (options.put(key.text().toLowerCase(Locale.ROOT), v) != null) {
          throw ParseErrors.at(
              sql,
              key.start(),
              PlannerErrorCode.PARSE_SYNTAX_ERROR,
              "read_files option '" + key.text() + "' is given twice");
        }
        j += 5;
      }
      Token close = tokens.get(j);
      if (!close.isSymbol(")")) {
        throw ParseErrors.at(
            sql,
            close.start(),
            PlannerErrorCode.PARSE_SYNTAX_ERROR,
            "expected ',' or ')' in the arguments of read_files");
      }
      out.append(sql, copied, name.start());
      String replacement = "`" + PREFIX + (first + calls.size()) + "`";
      int length = close.end() - name.start();
      out.append(replacement);
      if (replacement.length() < length) {
        out.append(" ".repeat(length - replacement.length()));
      }
      copied = close.end();
      calls.add(new ReadFilesCall(path.text(), options, metadata));
      i = j;
    }
    out.append(sql.substring(copied));
    String rewritten = out.toString();
    if (metadata && calls.size() == 1) {
      rewritten = qualifyMetadata(rewritten, "`" + PREFIX + first + "`");
    }
    return new Result(rewritten, calls);
  }

  /** Words after a FROM item that are not its alias. */
  private static final java.util.Set<String> NOT_ALIASES =
      java.util.Set.of(
          "WHERE",
          "GROUP",
          "ORDER",
          "LIMIT",
          "JOIN",
          "INNER",
          "LEFT",
          "RIGHT",
          "FULL",
          "CROSS",
          "ON",
          "UNION",
          "EXCEPT",
          "INTERSECT",
          "MINUS",
          "HAVING",
          "WINDOW",
          "QUALIFY",
          "LATERAL",
          "NATURAL",
          "USING",
          "OFFSET",
          "PIVOT",
          "UNPIVOT",
          "TABLESAMPLE",
          "SEMI",
          "ANTI");

  /**
   * With one read_files call, {@code _metadata.field} (a struct column's field, which the planner
   * reads only after a table name) is qualified by the call's alias, or its name without one, as
   * Databricks reads it.
   */
  private static String qualifyMetadata(String sql, String table) {
    List<Token> tokens = SqlTokenizer.tokenizeNormalized(sql);
    String qualifier = table;
    for (int i = 0; i + 1 < tokens.size(); i++) {
      Token t = tokens.get(i);
      if (t.kind() == Token.Kind.QUOTED_IDENTIFIER && ("`" + t.text() + "`").equals(table)) {
        Token next = tokens.get(i + 1);
        if (next.is("AS") && i + 2 < tokens.size()) {
          next = tokens.get(i + 2);
        }
        if ((next.kind() == Token.Kind.WORD && !NOT_ALIASES.contains(next.upper()))
            || next.kind() == Token.Kind.QUOTED_IDENTIFIER) {
          qualifier = "`" + next.text().replace("`", "``") + "`";
        }
        break;
      }
    }
    StringBuilder out = new StringBuilder();
    int copied = 0;
    for (int i = 0; i + 1 < tokens.size(); i++) {
      Token t = tokens.get(i);
      if (t.kind() == Token.Kind.WORD
          && t.text().equalsIgnoreCase(METADATA)
          && tokens.get(i + 1).isSymbol(".")
          && (i == 0 || !tokens.get(i - 1).isSymbol("."))) {
        out.append(sql, copied, t.start()).append(qualifier).append('.');
        copied = t.start();
      }
    }
    out.append(sql.substring(copied));
    return out.toString();
  }

  private static boolean containsIgnoreCase(String sql, String word) {
    return sql.toLowerCase(Locale.ROOT).contains(word);
  }
}

package io.aquifer.planner.parse;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Rewrites Spark SQL's lexical forms that Calcite's parser does not read into equivalent standard
 * SQL, token by token:
 *
 * <ul>
 *   <li>{@code FROM VALUES (1), (2) AS t(a)}: an inline table without parentheses becomes {@code
 *       FROM (VALUES (1), (2)) AS t(a)}.
 *   <li>Typed number literals: {@code 2L} (BIGINT), {@code 2S} (SMALLINT), {@code 2Y} (TINYINT),
 *       {@code 0.5D} (DOUBLE), {@code 0.5F} (FLOAT), {@code 1.5BD} (DECIMAL) become casts.
 *   <li>{@code a == b} becomes {@code a = b}.
 *   <li>{@code substring(str, pos, len)} with commas becomes {@code substr(str, pos, len)}: Spark's
 *       positions (0 reads as 1), not the SQL standard's.
 *   <li>Binary literals with a space or an odd number of digits: {@code X '0'} becomes {@code
 *       X'00'}.
 *   <li>The table-valued {@code range(start, end, step)} in FROM becomes a sub-query of its {@code
 *       id} column.
 *   <li>{@code GROUP BY ALL} becomes {@code GROUP BY} the ordinals of the SELECT items that hold no
 *       aggregate (no GROUP BY when all do).
 *   <li>{@code ORDER BY ALL [ASC|DESC] [NULLS FIRST|LAST]} becomes {@code ORDER BY} the ordinals of
 *       every SELECT item, each with the direction given.
 *   <li>{@code IDENTIFIER('name')} with a string literal becomes the name it holds, back-quoted.
 *   <li>Function names Calcite's grammar reserves for another form are quoted when called the Spark
 *       way, so that they resolve to Databricks' functions: {@code datediff(end, start)}, {@code
 *       date_diff(end, start)}, {@code position(substr, str)} (without {@code IN}), {@code
 *       ceil(expr, d)} and {@code floor(expr, d)} (with a scale), {@code any(expr)} and {@code
 *       some(expr)} (the aggregates, not {@code = ANY (...)}).
 * </ul>
 *
 * Text that is not rewritten keeps its position; a rewrite that lengthens the text moves the
 * positions after it.
 */
public final class SparkSyntaxRewriter {
  private SparkSyntaxRewriter() {}

  /**
   * Words that start a clause or a join, upper case: they end an inline table's rows, and a LATERAL
   * VIEW whose alias no column names follow ({@link LateralViewRewriter}).
   */
  static final Set<String> CLAUSE_WORDS =
      Set.of(
          "WHERE",
          "GROUP",
          "ORDER",
          "HAVING",
          "LIMIT",
          "JOIN",
          "INNER",
          "LEFT",
          "RIGHT",
          "FULL",
          "CROSS",
          "UNION",
          "EXCEPT",
          "INTERSECT",
          "WINDOW",
          "QUALIFY",
          "ON",
          "USING",
          "NATURAL",
          "LATERAL",
          "MINUS",
          "CLUSTER",
          "DISTRIBUTE",
          "SORT",
          "OFFSET");

  /** Words that continue an expression inside a row: they never start an alias. */
  private static final Set<String> EXPRESSION_WORDS =
      Set.of(
          "AND",
          "OR",
          "NOT",
          "IS",
          "NULL",
          "IN",
          "LIKE",
          "BETWEEN",
          "MONTH",
          "YEAR",
          "DAY",
          "HOUR",
          "MINUTE",
          "SECOND",
          "TO",
          "INTERVAL",
          "CASE",
          "WHEN",
          "THEN",
          "ELSE",
          "END",
          "TRUE",
          "FALSE",
          "DATE",
          "TIMESTAMP",
          "X");

  public static String rewrite(String sql) {
    sql = rewriteLiteralsAndInlineTables(rewriteRanges(sql));
    List<Token> tokens = SqlTokenizer.tokenizeNormalized(sql);
    StringBuilder out = new StringBuilder(sql);
    // Right to left, so that earlier offsets stay valid.
    for (int i = tokens.size() - 1; i >= 0; i--) {
      Token t = tokens.get(i);
      if (t.kind() == Token.Kind.NUMBER) {
        String typed = typedNumber(t.text());
        if (typed != null) {
          out.replace(t.start(), t.end(), typed);
        }
      } else if (t.isSymbol("=")
          && i + 1 < tokens.size()
          && tokens.get(i + 1).isSymbol("=")
          && tokens.get(i + 1).start() == t.end()) {
        out.replace(t.end(), t.end() + 1, " ");
      } else if (t.is("ALL")
          && i >= 2
          && tokens.get(i - 1).is("BY")
          && tokens.get(i - 2).is("GROUP")
          && !tokens.get(i + 1).isSymbol("(")) {
        String ordinals = groupByAllOrdinals(tokens, i - 2);
        if (ordinals != null) {
          if (ordinals.isEmpty()) {
            // Only aggregates: one group of all rows.
            Token group = tokens.get(i - 2);
            out.replace(group.start(), t.end(), " ".repeat(t.end() - group.start()));
          } else {
            out.replace(t.start(), t.end(), ordinals);
          }
        }
      } else if (t.is("IDENTIFIER")
          && i + 3 < tokens.size()
          && tokens.get(i + 1).isSymbol("(")
          && tokens.get(i + 2).kind() == Token.Kind.STRING
          && tokens.get(i + 3).isSymbol(")")) {
        String name = quotedName(tokens.get(i + 2).text());
        if (name != null) {
          out.replace(t.start(), tokens.get(i + 3).end(), name);
        }
      } else if (t.is("ALL")
          && i >= 2
          && tokens.get(i - 1).is("BY")
          && tokens.get(i - 2).is("ORDER")
          && !tokens.get(i + 1).isSymbol("(")) {
        int items = selectItemCount(tokens, i - 2);
        if (items > 0) {
          // ORDER BY ALL [ASC|DESC] [NULLS FIRST|LAST]: every SELECT item, in order, each so.
          int end = i;
          if (tokens.get(end + 1).is("ASC") || tokens.get(end + 1).is("DESC")) {
            end++;
          }
          if (tokens.get(end + 1).is("NULLS")
              && (tokens.get(end + 2).is("FIRST") || tokens.get(end + 2).is("LAST"))) {
            end += 2;
          }
          String suffix =
              end > i ? sql.substring(tokens.get(i + 1).start(), tokens.get(end).end()) : "";
          StringBuilder ordinals = new StringBuilder();
          for (int n = 1; n <= items; n++) {
            if (n > 1) {
              ordinals.append(", ");
            }
            ordinals.append(n);
            if (!suffix.isEmpty()) {
              ordinals.append(' ').append(suffix);
            }
          }
          out.replace(t.start(), tokens.get(end).end(), ordinals.toString());
        }
      } else if (t.is("ARRAY")
          && i > 0
          && (tokens.get(i - 1).is("AS") || tokens.get(i - 1).isSymbol("::"))
          && tokens.get(i + 1).isSymbol("<")) {
        int close = arrayTypeEnd(tokens, i + 2);
        if (close > 0) {
          // CAST(x AS ARRAY<INT>): Calcite spells the array type INT ARRAY
          String element = sql.substring(tokens.get(i + 2).start(), tokens.get(close - 1).end());
          out.replace(t.start(), tokens.get(close).end(), element + " ARRAY");
        }
      } else if (isSparkStyleCall(tokens, i)) {
        out.replace(t.start(), t.end(), "`" + t.text() + "`");
      } else if (t.is("SUBSTRING")
          && tokens.get(i + 1).isSymbol("(")
          && (i == 0 || !tokens.get(i - 1).isSymbol("."))
          && topLevelCommas(tokens, i + 1) >= 1) {
        // substring(str, pos [, len]) is Spark's substr (pos 0 is 1, negative from the end),
        // not the SQL standard's SUBSTRING, which would read pos 0 as before the first character.
        out.replace(t.start(), t.end(), "substr");
      }
    }
    return out.toString();
  }

  /**
   * The index of the {@code >} closing an array type whose element type (a type name, with its
   * precision in parentheses) starts at {@code first}; -1 for anything else (nested types).
   */
  private static int arrayTypeEnd(List<Token> tokens, int first) {
    if (first >= tokens.size() || tokens.get(first).kind() != Token.Kind.WORD) {
      return -1;
    }
    int depth = 0;
    for (int k = first + 1; k < tokens.size(); k++) {
      Token t = tokens.get(k);
      if (t.isSymbol("(")) {
        depth++;
      } else if (t.isSymbol(")")) {
        depth--;
      } else if (t.isSymbol(">") && depth == 0) {
        return k;
      } else if (!(t.kind() == Token.Kind.NUMBER || (t.isSymbol(",") && depth > 0))) {
        return -1;
      }
    }
    return -1;
  }

  /**
   * Passes that change the length of text other rewrites look at, each on the previous one's
   * result: binary literals, then inline tables.
   */
  private static String rewriteLiteralsAndInlineTables(String sql) {
    List<Token> tokens = SqlTokenizer.tokenizeNormalized(sql);
    StringBuilder out = new StringBuilder(sql);
    for (int i = tokens.size() - 2; i >= 0; i--) {
      Token t = tokens.get(i);
      Token next = tokens.get(i + 1);
      if (t.is("X")
          && next.kind() == Token.Kind.STRING
          && next.text().matches("[0-9A-Fa-f]*")
          && (next.start() > t.end() || next.text().length() % 2 == 1)) {
        // X '1010' (a space) and X'0' (odd digits, a leading 0 implied) are Spark binary literals
        String hex = next.text();
        out.replace(t.start(), next.end(), "X'" + (hex.length() % 2 == 1 ? "0" : "") + hex + "'");
      }
    }
    sql = out.toString();
    tokens = SqlTokenizer.tokenizeNormalized(sql);
    out = new StringBuilder(sql);
    for (int i = tokens.size() - 1; i > 0; i--) {
      Token t = tokens.get(i);
      if (t.is("VALUES") && isTableStart(tokens.get(i - 1))) {
        int last = lastRowToken(tokens, i + 1);
        if (last > i) {
          out.insert(tokens.get(last).end(), ')');
          out.insert(t.start(), '(');
        }
      }
    }
    return out.toString();
  }

  /** Aggregate functions, for GROUP BY ALL (which groups by every other SELECT item). */
  private static final Set<String> AGGREGATES =
      Set.of(
          "COUNT",
          "SUM",
          "AVG",
          "MIN",
          "MAX",
          "STDDEV",
          "STDDEV_POP",
          "STDDEV_SAMP",
          "VARIANCE",
          "VAR_POP",
          "VAR_SAMP",
          "BIT_AND",
          "BIT_OR",
          "BIT_XOR",
          "ANY_VALUE",
          "FIRST",
          "LAST",
          "FIRST_VALUE",
          "LAST_VALUE",
          "COLLECT_LIST",
          "COLLECT_SET",
          "ARRAY_AGG",
          "COUNT_IF",
          "BOOL_AND",
          "BOOL_OR",
          "EVERY",
          "ANY",
          "SOME",
          "MEDIAN",
          "PERCENTILE",
          "PERCENTILE_APPROX",
          "APPROX_PERCENTILE",
          "APPROX_COUNT_DISTINCT",
          "MAX_BY",
          "MIN_BY",
          "MEAN",
          "LISTAGG",
          "STRING_AGG",
          "MODE",
          "KURTOSIS",
          "SKEWNESS",
          "CORR",
          "COVAR_POP",
          "COVAR_SAMP",
          "REGR_SLOPE",
          "REGR_INTERCEPT",
          "REGR_R2",
          "REGR_SXX",
          "REGR_SYY",
          "REGR_SXY",
          "REGR_COUNT",
          "REGR_AVGX",
          "REGR_AVGY",
          "TRY_SUM",
          "TRY_AVG");

  /**
   * The first token of the SELECT list of the query whose clause starts at {@code clause} (after
   * DISTINCT or ALL), or -1 when there is no SELECT before it at its level.
   */
  private static int selectListStart(List<Token> tokens, int clause) {
    int depth = 0;
    for (int i = clause - 1; i >= 0; i--) {
      Token t = tokens.get(i);
      if (t.isSymbol(")")) {
        depth++;
      } else if (t.isSymbol("(")) {
        depth--;
      } else if (depth == 0 && t.is("SELECT")) {
        int start = i + 1;
        return tokens.get(start).is("DISTINCT") || tokens.get(start).is("ALL") ? start + 1 : start;
      }
    }
    return -1;
  }

  /**
   * For {@code GROUP BY ALL} at {@code group}: the ordinals of the SELECT items without an
   * aggregate ("" when all are aggregates), or null when the SELECT list cannot be read (a star).
   */
  private static String groupByAllOrdinals(List<Token> tokens, int group) {
    int i = selectListStart(tokens, group);
    if (i < 0) {
      return null;
    }
    List<String> ordinals = new java.util.ArrayList<>();
    int item = 1;
    boolean aggregate = false;
    boolean empty = true;
    int depth = 0;
    for (; i < group; i++) {
      Token t = tokens.get(i);
      if (depth == 0 && (t.is("FROM") || t.isSymbol(","))) {
        if (empty) {
          return null;
        }
        if (!aggregate) {
          ordinals.add(Integer.toString(item));
        }
        if (t.is("FROM")) {
          return String.join(", ", ordinals);
        }
        item++;
        aggregate = false;
        empty = true;
        continue;
      }
      if (t.isSymbol("*") && depth == 0 && empty) {
        return null;
      }
      if (t.isSymbol("(")) {
        depth++;
      } else if (t.isSymbol(")")) {
        depth--;
      } else if ((t.kind() == Token.Kind.WORD || t.kind() == Token.Kind.QUOTED_IDENTIFIER)
          && tokens.get(i + 1).isSymbol("(")
          && AGGREGATES.contains(t.upper())) {
        aggregate = true;
      }
      empty = false;
    }
    return null;
  }

  /**
   * {@code IDENTIFIER('a.`b c`')} as the name it holds, each part back-quoted ({@code `a`.`b c`});
   * null when the text is not a name (an empty part, an unclosed quote).
   */
  static String quotedName(String text) {
    List<String> parts = new java.util.ArrayList<>();
    StringBuilder part = new StringBuilder();
    boolean quoted = false;
    boolean wasQuoted = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '`' && i + 1 < text.length() && text.charAt(i + 1) == '`') {
          part.append('`');
          i++;
        } else if (c == '`') {
          quoted = false;
        } else {
          part.append(c);
        }
      } else if (c == '`') {
        quoted = true;
        wasQuoted = true;
      } else if (c == '.') {
        if (part.isEmpty() && !wasQuoted) {
          return null;
        }
        parts.add(part.toString());
        part.setLength(0);
        wasQuoted = false;
      } else if (Character.isWhitespace(c) && !wasQuoted && part.isEmpty()) {
        continue;
      } else {
        part.append(c);
      }
    }
    if (quoted || (part.isEmpty() && !wasQuoted)) {
      return null;
    }
    parts.add(part.toString().strip());
    StringBuilder out = new StringBuilder();
    for (String p : parts) {
      if (p.isEmpty()) {
        return null;
      }
      if (out.length() > 0) {
        out.append('.');
      }
      out.append('`').append(p.replace("`", "``")).append('`');
    }
    return out.toString();
  }

  /**
   * For {@code ORDER BY ALL} at {@code order}: how many items the SELECT list of its query has, or
   * -1 when it cannot be read (a star).
   */
  private static int selectItemCount(List<Token> tokens, int order) {
    int i = selectListStart(tokens, order);
    if (i < 0) {
      return -1;
    }
    int items = 1;
    boolean empty = true;
    int depth = 0;
    for (; i < order; i++) {
      Token t = tokens.get(i);
      if (depth == 0 && t.is("FROM")) {
        break;
      }
      if (depth == 0 && t.isSymbol(",")) {
        if (empty) {
          return -1;
        }
        items++;
        empty = true;
        continue;
      }
      if (t.isSymbol("*") && depth == 0 && empty) {
        return -1;
      }
      if (t.isSymbol("(")) {
        depth++;
      } else if (t.isSymbol(")")) {
        depth--;
      }
      empty = false;
    }
    return empty ? -1 : items;
  }

  private static final Set<String> COMPARISONS = Set.of("=", "<", ">", "<=", ">=", "<>", "!=");

  /** A call of a name Calcite parses in another form, written as Spark writes it. */
  private static boolean isSparkStyleCall(List<Token> tokens, int i) {
    Token t = tokens.get(i);
    if (t.kind() != Token.Kind.WORD
        || i + 1 >= tokens.size()
        || !tokens.get(i + 1).isSymbol("(")
        || tokens.get(i + 1).start() != t.end()
        || (i > 0 && tokens.get(i - 1).isSymbol("."))) {
      return false;
    }
    String word = t.upper();
    return switch (word) {
      case "DATEDIFF", "DATE_DIFF" -> topLevelCommas(tokens, i + 1) == 1;
      case "POSITION" -> topLevelCommas(tokens, i + 1) >= 1;
      case "CEIL", "CEILING", "FLOOR" -> topLevelCommas(tokens, i + 1) == 1;
      case "ANY", "SOME" ->
          i == 0
              || !(tokens.get(i - 1).kind() == Token.Kind.SYMBOL
                  && COMPARISONS.contains(tokens.get(i - 1).text()));
      default -> false;
    };
  }

  /**
   * The table-valued {@code range([start,] end [, step [, numSlices]])} at {@code i} as a sub-query
   * of its BIGINT column {@code id}: start, start + step, ... before end.
   */
  private static String rewriteRanges(String sql) {
    List<Token> tokens = SqlTokenizer.tokenizeNormalized(sql);
    for (int i = tokens.size() - 1; i > 0; i--) {
      Token t = tokens.get(i);
      if (t.is("RANGE") && isTableStart(tokens.get(i - 1)) && tokens.get(i + 1).isSymbol("(")) {
        String table = rangeTable(sql, tokens, i);
        if (table != null) {
          sql =
              sql.substring(0, t.start())
                  + table
                  + sql.substring(tokens.get(closing(tokens, i + 1)).end());
        }
      }
    }
    return sql;
  }

  private static String rangeTable(String sql, List<Token> tokens, int i) {
    int close = closing(tokens, i + 1);
    if (close < 0) {
      return null;
    }
    List<String> args = new java.util.ArrayList<>();
    int depth = 0;
    int from = tokens.get(i + 1).end();
    for (int k = i + 2; k <= close; k++) {
      Token t = tokens.get(k);
      if (t.isSymbol("(")) {
        depth++;
      } else if (t.isSymbol(")") && depth > 0) {
        depth--;
      } else if (depth == 0 && (t.isSymbol(",") || k == close)) {
        args.add(sql.substring(from, t.start()).strip());
        from = t.end();
      }
    }
    if (args.isEmpty() || args.size() > 4 || args.get(0).isEmpty()) {
      return null;
    }
    String start = args.size() == 1 ? "0" : args.get(0);
    String end = args.size() == 1 ? args.get(0) : args.get(1);
    String step = args.size() >= 3 ? args.get(2) : "1";
    return "(SELECT explode(sequence(CAST("
        + start
        + " AS BIGINT), CAST("
        + end
        + " AS BIGINT) - CASE WHEN ("
        + step
        + ") > 0 THEN 1 ELSE -1 END, CAST("
        + step
        + " AS BIGINT))) AS id)";
  }

  /** The index of the parenthesis closing the one at {@code open}, or -1. */
  static int closing(List<Token> tokens, int open) {
    int depth = 0;
    for (int i = open; i < tokens.size(); i++) {
      if (tokens.get(i).isSymbol("(")) {
        depth++;
      } else if (tokens.get(i).isSymbol(")") && --depth == 0) {
        return i;
      }
    }
    return -1;
  }

  /** The number of commas directly inside the parentheses opening at {@code open}. */
  private static int topLevelCommas(List<Token> tokens, int open) {
    int depth = 0;
    int commas = 0;
    for (int i = open; i < tokens.size(); i++) {
      Token t = tokens.get(i);
      if (t.isSymbol("(")) {
        depth++;
      } else if (t.isSymbol(")")) {
        if (--depth == 0) {
          return commas;
        }
      } else if (depth == 1 && t.isSymbol(",")) {
        commas++;
      }
    }
    return commas;
  }

  private static boolean isTableStart(Token previous) {
    return previous.is("FROM") || previous.is("JOIN") || previous.isSymbol(",");
  }

  /**
   * The index of the last token of an inline table's rows starting at {@code first}, or -1 when the
   * rows are not followed by something that ends them.
   */
  private static int lastRowToken(List<Token> tokens, int first) {
    int depth = 0;
    int last = -1;
    for (int i = first; i < tokens.size(); i++) {
      Token t = tokens.get(i);
      if (t.kind() == Token.Kind.END) {
        return last;
      }
      if (t.isSymbol("(")) {
        depth++;
      } else if (t.isSymbol(")")) {
        if (depth == 0) {
          return last; // the end of an enclosing parenthesis
        }
        depth--;
      } else if (depth == 0) {
        if (t.is("AS") || t.isSymbol(";")) {
          return last;
        }
        if (t.kind() == Token.Kind.WORD) {
          String word = t.upper();
          if (CLAUSE_WORDS.contains(word)) {
            return last;
          }
          Token previous = tokens.get(i - 1);
          boolean afterValue =
              previous.isSymbol(")")
                  || previous.kind() == Token.Kind.STRING
                  || previous.kind() == Token.Kind.NUMBER
                  || (previous.kind() == Token.Kind.WORD
                      && !EXPRESSION_WORDS.contains(previous.upper())
                      && i - 1 > first);
          if (afterValue && !EXPRESSION_WORDS.contains(word)) {
            return last; // an alias without AS: VALUES (1), (2) t(a)
          }
        }
      }
      last = i;
    }
    return last;
  }

  /** A cast for a Spark typed number literal ({@code 10L}, {@code 0.5D}), or null. */
  static String typedNumber(String text) {
    String upper = text.toUpperCase(Locale.ROOT);
    String[][] suffixes = {
      {"BD", "DECIMAL"},
      {"L", "BIGINT"},
      {"S", "SMALLINT"},
      {"Y", "TINYINT"},
      {"D", "DOUBLE"},
      {"F", "FLOAT"}
    };
    for (String[] s : suffixes) {
      if (upper.endsWith(s[0])) {
        String number = text.substring(0, text.length() - s[0].length());
        if (!number.matches("\\d+(\\.\\d*)?|\\.\\d+")) {
          return null;
        }
        if (s[1].equals("DECIMAL")) {
          return number; // an exact number literal is a DECIMAL already
        }
        if (s[1].equals("DOUBLE") || s[1].equals("FLOAT")) {
          return "CAST(" + number + " AS " + s[1] + ")";
        }
        if (!number.matches("\\d+")) {
          return null;
        }
        return "CAST(" + number + " AS " + s[1] + ")";
      }
    }
    return null;
  }
}

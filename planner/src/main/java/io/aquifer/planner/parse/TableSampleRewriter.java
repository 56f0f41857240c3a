package io.aquifer.planner.parse;

import io.aquifer.planner.PlannerErrorCode;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.Set;

/**
 * Turns Databricks' {@code TABLESAMPLE} clause into the form Calcite's parser reads, which the
 * planner then carries as a {@code Sample} node (the engine's dialect prints it back as DuckDB's
 * Bernoulli sample):
 *
 * <ul>
 *   <li>{@code t TABLESAMPLE (10 PERCENT) [REPEATABLE (s)] [AS] a} becomes {@code t [AS] a
 *       TABLESAMPLE BERNOULLI(10) [REPEATABLE(s)]} (Calcite wants the alias first);
 *   <li>{@code BUCKET x OUT OF y} is the fraction x/y, as in Spark;
 *   <li>{@code t TABLESAMPLE (n ROWS) [AS] a} becomes {@code (SELECT * FROM t LIMIT n) AS a}, which
 *       is what Spark makes of it (a limit, the first rows the scan finds).
 * </ul>
 *
 * <p>Byte-length samples and {@code BUCKET x OUT OF y ON ...} are refused as Spark refuses them
 * (0A000); a fraction outside [0, 1] fails with 42000 as in Spark's parser.
 */
public final class TableSampleRewriter {
  /**
   * Words that end a FROM item: after TABLESAMPLE (...) they are no alias. The clause and join
   * words, and those that may follow a sampled table otherwise.
   */
  private static final Set<String> NOT_ALIAS =
      java.util.stream.Stream.concat(
              SparkSyntaxRewriter.CLAUSE_WORDS.stream(),
              java.util.stream.Stream.of(
                  "FETCH",
                  "SEMI",
                  "ANTI",
                  "PIVOT",
                  "UNPIVOT",
                  "TABLESAMPLE",
                  "WHEN",
                  "THEN",
                  "SET",
                  "VALUES",
                  "SELECT"))
          .collect(java.util.stream.Collectors.toUnmodifiableSet());

  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

  private TableSampleRewriter() {}

  public static String rewrite(String sql) {
    if (!mentionsTableSample(sql)) {
      return sql;
    }
    List<Token> tokens = SqlTokenizer.tokenizeNormalized(sql);
    for (int i = 0; i < tokens.size(); i++) {
      if (tokens.get(i).is("TABLESAMPLE") && at(tokens, i + 1).isSymbol("(")) {
        // One clause at a time: the rest is tokenized again on the rewritten text.
        return rewrite(rewriteAt(sql, tokens, i));
      }
    }
    return sql;
  }

  private static String rewriteAt(String sql, List<Token> tokens, int sample) {
    Token keyword = tokens.get(sample);
    int i = sample + 2;
    Token first = at(tokens, i);
    boolean negative = false;
    if (first.isSymbol("-")) {
      negative = true;
      first = at(tokens, ++i);
    }
    BigDecimal percent = null;
    String rows = null;
    if (first.is("BUCKET")) {
      Token numerator = at(tokens, i + 1);
      Token denominator = at(tokens, i + 4);
      if (numerator.kind() != Token.Kind.NUMBER
          || !at(tokens, i + 2).is("OUT")
          || !at(tokens, i + 3).is("OF")
          || denominator.kind() != Token.Kind.NUMBER) {
        throw syntax(sql, first, "TABLESAMPLE (BUCKET x OUT OF y) needs two numbers");
      }
      i += 5;
      if (at(tokens, i).is("ON")) {
        boolean function = at(tokens, i + 2).isSymbol("(");
        throw ParseErrors.at(
            sql,
            at(tokens, i).start(),
            PlannerErrorCode.UNSUPPORTED_FEATURE,
            "TABLESAMPLE(BUCKET x OUT OF y ON "
                + (function ? "function" : "colname")
                + ") is not supported");
      }
      BigDecimal y = new BigDecimal(denominator.text());
      if (y.signum() == 0) {
        throw outOfRange(sql, denominator, "Infinity");
      }
      BigDecimal fraction = new BigDecimal(numerator.text()).divide(y, MathContext.DECIMAL64);
      percent = fraction.multiply(HUNDRED);
      if (fraction.compareTo(BigDecimal.ONE) > 0) {
        throw outOfRange(sql, numerator, fraction.toPlainString());
      }
    } else if (first.kind() == Token.Kind.NUMBER && at(tokens, i + 1).is("PERCENT")) {
      percent = new BigDecimal(first.text());
      if (negative) {
        percent = percent.negate();
      }
      if (percent.signum() < 0 || percent.compareTo(HUNDRED) > 0) {
        throw outOfRange(
            sql, first, percent.divide(HUNDRED, MathContext.DECIMAL64).toPlainString());
      }
      i += 2;
    } else if (first.kind() == Token.Kind.NUMBER
        && !negative
        && first.text().matches("\\d+")
        && at(tokens, i + 1).is("ROWS")) {
      rows = first.text();
      i += 2;
    } else if (first.kind() == Token.Kind.NUMBER && first.text().matches("\\d+[bBkKmMgG]")) {
      throw ParseErrors.at(
          sql,
          keyword.start(),
          PlannerErrorCode.UNSUPPORTED_FEATURE,
          "TABLESAMPLE(byteLengthLiteral) is not supported");
    } else {
      throw syntax(
          sql,
          first,
          "TABLESAMPLE takes (n PERCENT), (n ROWS) or (BUCKET x OUT OF y)"
              + (at(tokens, sample + 2).isSymbol(")") ? ", not an empty sample" : ""));
    }
    if (!at(tokens, i).isSymbol(")")) {
      throw syntax(sql, at(tokens, i), "TABLESAMPLE (...) is not closed");
    }
    int clauseEnd = at(tokens, i).end();
    i++;
    String repeatable = "";
    if (at(tokens, i).is("REPEATABLE")) {
      Token seed = at(tokens, i + 2);
      boolean negativeSeed = seed.isSymbol("-");
      if (negativeSeed) {
        seed = at(tokens, i + 3);
      }
      int close = i + (negativeSeed ? 4 : 3);
      if (!at(tokens, i + 1).isSymbol("(")
          || seed.kind() != Token.Kind.NUMBER
          || !seed.text().matches("\\d+")
          || !at(tokens, close).isSymbol(")")) {
        throw syntax(sql, at(tokens, i), "REPEATABLE takes an integer seed: REPEATABLE (42)");
      }
      long value;
      try {
        value = Long.parseLong((negativeSeed ? "-" : "") + seed.text());
      } catch (NumberFormatException e) {
        throw syntax(sql, seed, "the REPEATABLE seed must be a BIGINT");
      }
      // Calcite keeps an INT seed; a BIGINT seed picks its sample just as reproducibly.
      repeatable = " REPEATABLE(" + Long.hashCode(value) + ")";
      clauseEnd = at(tokens, close).end();
      i = close + 1;
    }
    // The alias after the clause, if any: [AS] name [(c1, c2 ...)].
    int aliasStart = i;
    Token maybeAlias = at(tokens, i);
    if (maybeAlias.is("AS")) {
      i++;
    }
    Token name = at(tokens, i);
    boolean hasAlias =
        (name.kind() == Token.Kind.WORD && !NOT_ALIAS.contains(name.upper()))
            || name.kind() == Token.Kind.QUOTED_IDENTIFIER;
    int aliasEnd = clauseEnd;
    if (hasAlias) {
      i++;
      if (at(tokens, i).isSymbol("(")) {
        int close = closing(tokens, i);
        i = close + 1;
      }
      aliasEnd = tokens.get(i - 1).end();
    } else if (maybeAlias.is("AS")) {
      throw syntax(sql, name, "AS after TABLESAMPLE (...) needs an alias");
    }
    String alias = hasAlias ? sql.substring(tokens.get(aliasStart).start(), aliasEnd) : "";
    StringBuilder out = new StringBuilder();
    if (rows != null) {
      int refStart = tableRefStart(sql, tokens, sample);
      String ref = sql.substring(refStart, keyword.start()).strip();
      if (!hasAlias) {
        alias = "AS " + lastName(tokens, sample);
      }
      out.append(sql, 0, refStart)
          .append("(SELECT * FROM ")
          .append(ref)
          .append(" LIMIT ")
          .append(rows)
          .append(") ")
          .append(alias);
    } else {
      out.append(sql, 0, keyword.start());
      if (hasAlias) {
        out.append(alias).append(' ');
      }
      out.append("TABLESAMPLE BERNOULLI(")
          .append(percent.stripTrailingZeros().toPlainString())
          .append(')')
          .append(repeatable);
    }
    out.append(' ').append(sql, aliasEnd, sql.length());
    return out.toString();
  }

  /** The first character of the FROM item before the TABLESAMPLE at {@code sample}. */
  private static int tableRefStart(String sql, List<Token> tokens, int sample) {
    int j = sample - 1;
    if (j < 0) {
      throw syntax(sql, tokens.get(sample), "TABLESAMPLE needs a table before it");
    }
    if (tokens.get(j).isSymbol(")")) {
      int depth = 0;
      for (; j >= 0; j--) {
        if (tokens.get(j).isSymbol(")")) {
          depth++;
        } else if (tokens.get(j).isSymbol("(") && --depth == 0) {
          return tokens.get(j).start();
        }
      }
      throw syntax(sql, tokens.get(sample), "TABLESAMPLE needs a table before it");
    }
    while (j >= 2 && tokens.get(j - 1).isSymbol(".")) {
      j -= 2;
    }
    return tokens.get(j).start();
  }

  /** The table's own name (last part), back-quoted, to alias a ROWS sample by. */
  private static String lastName(List<Token> tokens, int sample) {
    Token last = tokens.get(sample - 1);
    if (last.kind() == Token.Kind.WORD || last.kind() == Token.Kind.QUOTED_IDENTIFIER) {
      String text = last.text();
      int marker = text.indexOf(TimeTravelRewriter.MARKER);
      if (marker > 0) {
        text = text.substring(0, marker);
      }
      return "`" + text.replace("`", "``") + "`";
    }
    return "`__sample`";
  }

  private static int closing(List<Token> tokens, int open) {
    int depth = 0;
    for (int j = open; j < tokens.size(); j++) {
      if (tokens.get(j).isSymbol("(")) {
        depth++;
      } else if (tokens.get(j).isSymbol(")") && --depth == 0) {
        return j;
      }
    }
    return tokens.size() - 2;
  }

  private static boolean mentionsTableSample(String sql) {
    for (int i = 0; i + 11 <= sql.length(); i++) {
      if (sql.regionMatches(true, i, "TABLESAMPLE", 0, 11)) {
        return true;
      }
    }
    return false;
  }

  private static Token at(List<Token> tokens, int i) {
    return tokens.get(Math.min(i, tokens.size() - 1));
  }

  private static io.aquifer.planner.PlannerException syntax(String sql, Token at, String message) {
    return ParseErrors.at(sql, at.start(), PlannerErrorCode.PARSE_SYNTAX_ERROR, message);
  }

  private static io.aquifer.planner.PlannerException outOfRange(
      String sql, Token at, String fraction) {
    return ParseErrors.at(
        sql,
        at.start(),
        PlannerErrorCode.INVALID_STATEMENT,
        "Sampling fraction (" + fraction + ") must be on interval [0, 1]");
  }
}

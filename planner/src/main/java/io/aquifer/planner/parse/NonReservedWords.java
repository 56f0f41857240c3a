package io.aquifer.planner.parse;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;

/**
 * Makes the words that Calcite's (Babel) parser reserves but Databricks SQL does not usable as
 * names, as Databricks allows: {@code main.default.t}, {@code SELECT date, timestamp FROM t},
 * {@code SELECT 1 AS next}, {@code GROUP BY date}.
 *
 * <p>Databricks SQL (ANSI mode off, the default) reserves almost no words: a keyword is a name
 * wherever the grammar does not expect the keyword. Calcite's Babel parser reserves the words in
 * {@link #WORDS} besides the clause words both dialects reserve (SELECT, FROM, JOIN, ...). One rule
 * applies to every word of that list: it stays a keyword where it starts one of its keyword forms,
 * and is otherwise quoted as an identifier before Calcite parses the text. The keyword forms are
 *
 * <ul>
 *   <li>a call or constructor, the word followed by {@code (}: {@code date(x)}, {@code
 *       timestamp(x)}, {@code dateadd(...)}, {@code PARTITION (p = 1)};
 *   <li>a typed literal, the word followed by a string: {@code DATE '2024-01-01'};
 *   <li>a type, after {@code AS} in {@code CAST}, {@code TRY_CAST} or {@code SAFE_CAST} or after
 *       {@code ::};
 *   <li>the few clauses of Databricks SQL that use them ({@link #keywordForm}): window frames
 *       ({@code ROWS BETWEEN}, {@code RANGE UNBOUNDED PRECEDING}, {@code CURRENT ROW}), {@code
 *       PARTITION BY}, {@code AT TIME ZONE}, {@code FETCH NEXT}, {@code NEXT VALUE FOR} and {@code
 *       DEFAULT} as a whole value ({@code VALUES (1, DEFAULT)}, {@code SET a = DEFAULT [WHERE
 *       ...]}).
 * </ul>
 *
 * A word next to a dot is always a name ({@code main.default.t}, {@code t.date}). Limits: {@code
 * DEFAULT} standing alone between commas or parentheses is the keyword (write {@code `default`}
 * there to mean a column). Quoting lengthens the text by two characters per word, which moves the
 * positions after it on the same line.
 */
public final class NonReservedWords {
  private NonReservedWords() {}

  /**
   * The words Calcite's Babel parser reserves (its {@code SqlAbstractParserImpl.getMetadata()
   * .isReservedWord}) that Databricks SQL reads as names; {@code NonReservedWordsTest} checks that
   * each is still reserved and that every other reserved word is one Databricks uses as a keyword.
   */
  static final Set<String> WORDS =
      Set.of(
          "ASOF",
          "CURRENT",
          "CURSOR",
          "DATE",
          "DATEADD",
          "DATEDIFF",
          "DATEPART",
          "DATETIME",
          "DATE_PART",
          "DEFAULT",
          "DEFINE",
          "JSON_SCOPE",
          "MATCH_CONDITION",
          "MEASURE",
          "NEW",
          "NEXT",
          "ORDINAL",
          "PARTITION",
          "PATTERN",
          "RANGE",
          "ROW",
          "ROWS",
          "SAFE_OFFSET",
          "SAFE_ORDINAL",
          "SKIP",
          "SNAPSHOT",
          "STREAM",
          "TIME",
          "TIMESTAMP",
          "UNSIGNED",
          "UUID",
          "VARIANT",
          "VOLATILE",
          "MONDAY",
          "TUESDAY",
          "WEDNESDAY",
          "THURSDAY",
          "FRIDAY",
          "SATURDAY",
          "SUNDAY");

  /**
   * Words whose call is a Databricks function that Calcite's parser does not read as a call ({@code
   * uuid()}; Calcite has UUID only as a type): quoted there too, so the call resolves in the
   * function catalog.
   */
  private static final Set<String> CALLS = Set.of("UUID");

  /**
   * Words Calcite's parser reads only as {@code word(unit, value, expr)}, while Databricks also has
   * a two-argument function of that name ({@code dateadd(startDate, numDays)}, {@code
   * datediff(endDate, startDate)}): a call with two arguments is quoted, so it resolves in the
   * function catalog.
   */
  private static final Set<String> TWO_ARGUMENT_CALLS = Set.of("DATEADD", "DATEDIFF");

  private static final Set<String> CASTS = Set.of("CAST", "TRY_CAST", "SAFE_CAST");

  /** An open parenthesis: whether it opened a cast, and whether that cast's AS was seen. */
  private static final class Paren {
    final boolean cast;
    boolean type;

    Paren(boolean cast) {
      this.cast = cast;
    }
  }

  /** The text for Calcite's parser, with the words of {@link #WORDS} used as names quoted. */
  public static String quote(String sql) {
    List<Token> tokens = SqlTokenizer.tokenizeNormalized(sql);
    StringBuilder out = null;
    int copied = 0;
    Deque<Paren> parens = new ArrayDeque<>();
    for (int i = 0; i < tokens.size(); i++) {
      Token t = tokens.get(i);
      Token prev = i > 0 ? tokens.get(i - 1) : null;
      if (t.isSymbol("(")) {
        parens.push(new Paren(prev != null && prev.kind() == Token.Kind.WORD && isCast(prev)));
        continue;
      }
      if (t.isSymbol(")")) {
        parens.poll();
        continue;
      }
      if (t.is("AS") && !parens.isEmpty() && parens.peek().cast) {
        parens.peek().type = true;
        continue;
      }
      if (t.kind() != Token.Kind.WORD || !WORDS.contains(t.upper())) {
        continue;
      }
      Token next = tokens.get(Math.min(i + 1, tokens.size() - 1));
      boolean twoArgumentCall =
          next.isSymbol("(")
              && TWO_ARGUMENT_CALLS.contains(t.upper())
              && argumentCount(tokens, i + 1) == 2;
      if (!twoArgumentCall && !isName(t, prev, next, parens)) {
        continue;
      }
      if (out == null) {
        out = new StringBuilder(sql.length() + 16);
      }
      out.append(sql, copied, t.start()).append('`').append(t.text()).append('`');
      copied = t.end();
    }
    if (out == null) {
      return sql;
    }
    return out.append(sql, copied, sql.length()).toString();
  }

  /** The number of top-level arguments of the call whose {@code (} is at {@code open}. */
  private static int argumentCount(List<Token> tokens, int open) {
    int depth = 0;
    int commas = 0;
    boolean empty = true;
    for (int j = open; j < tokens.size(); j++) {
      Token t = tokens.get(j);
      if (t.isSymbol("(")) {
        depth++;
      } else if (t.isSymbol(")")) {
        depth--;
        if (depth == 0) {
          return empty ? 0 : commas + 1;
        }
      } else if (depth == 1 && t.isSymbol(",")) {
        commas++;
      }
      if (j > open) {
        empty = false;
      }
    }
    return -1;
  }

  private static boolean isCast(Token t) {
    return CASTS.contains(t.upper());
  }

  private static boolean isName(Token t, Token prev, Token next, Deque<Paren> parens) {
    boolean afterDot = prev != null && prev.isSymbol(".");
    if (afterDot || next.isSymbol(".")) {
      return true;
    }
    if (next.isSymbol("(") && CALLS.contains(t.upper())) {
      return true;
    }
    if (next.isSymbol("(") || next.kind() == Token.Kind.STRING) {
      return false;
    }
    if (prev != null && prev.isSymbol("::") || inType(parens)) {
      return false;
    }
    return !keywordForm(t.upper(), prev, next);
  }

  /** Inside the type of a cast: after its AS, also within parentheses of the type. */
  private static boolean inType(Deque<Paren> parens) {
    for (Paren p : parens) {
      if (p.cast) {
        return p.type;
      }
    }
    return false;
  }

  /** The clauses of Databricks SQL where the word is the keyword. */
  private static boolean keywordForm(String word, Token prev, Token next) {
    String before = prev == null ? "" : prev.upper();
    String after = next.upper();
    boolean afterCount = prev != null && (prev.kind() == Token.Kind.NUMBER || prev.isSymbol("?"));
    return switch (word) {
      case "ROWS", "RANGE" ->
          Set.of("BETWEEN", "UNBOUNDED", "CURRENT", "INTERVAL").contains(after)
              || next.kind() == Token.Kind.NUMBER
              || next.isSymbol("?")
              || afterCount;
      case "ROW" -> before.equals("CURRENT") || afterCount;
      case "CURRENT" -> after.equals("ROW");
      case "PARTITION" -> after.equals("BY");
      case "TIME" -> before.equals("AT") || after.equals("ZONE");
      case "NEXT" -> before.equals("FETCH") || after.equals("VALUE");
      case "DEFAULT" ->
          prev != null
              && (prev.isSymbol("(") || prev.isSymbol(",") || prev.isSymbol("="))
              && (next.isSymbol(",")
                  || next.isSymbol(")")
                  || next.kind() == Token.Kind.END
                  || next.isSymbol(";")
                  || (prev.isSymbol("=") && Set.of("WHERE", "WHEN").contains(after)));
      default -> false;
    };
  }
}

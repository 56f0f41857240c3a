package io.aquifer.planner.parse;

import io.aquifer.planner.PlannerErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Hive's {@code LATERAL VIEW}, which Databricks SQL keeps, as the standard lateral join Calcite
 * reads:
 *
 * <pre>
 * FROM t LATERAL VIEW [OUTER] gen(args) v [AS] c1, c2
 * FROM t CROSS JOIN LATERAL (SELECT gen(args)) AS v(c1, c2)
 * </pre>
 *
 * The generator runs once per row of what precedes it ({@code explode}, {@code posexplode}, {@code
 * inline}, {@code stack}, ...; several LATERAL VIEWs chain). {@code OUTER} keeps a row whose
 * generator gives nothing, with NULLs: it picks the generator's {@code _outer} form, so it is
 * refused for generators that have none. Without column names the generator's own names stay
 * ({@code col}, {@code pos}, ...). Text after the rewrite moves by the added length.
 */
final class LateralViewRewriter {
  private LateralViewRewriter() {}

  private static final Map<String, String> OUTER_FORMS =
      Map.of(
          "explode", "explode_outer",
          "posexplode", "posexplode_outer",
          "inline", "inline_outer",
          "explode_outer", "explode_outer",
          "posexplode_outer", "posexplode_outer",
          "inline_outer", "inline_outer");

  static String rewrite(String sql) {
    List<Token> tokens = SqlTokenizer.tokenizeNormalized(sql);
    boolean any = false;
    for (int i = 0; i + 1 < tokens.size(); i++) {
      if (tokens.get(i).is("LATERAL") && tokens.get(i + 1).is("VIEW")) {
        any = true;
        break;
      }
    }
    if (!any) {
      return sql;
    }
    StringBuilder out = new StringBuilder(sql);
    // Right to left, so that earlier offsets stay valid.
    for (int i = tokens.size() - 2; i >= 0; i--) {
      if (tokens.get(i).is("LATERAL") && tokens.get(i + 1).is("VIEW")) {
        rewriteOne(sql, tokens, i, out);
      }
    }
    return out.toString();
  }

  private static void rewriteOne(String sql, List<Token> tokens, int lateral, StringBuilder out) {
    int k = lateral + 2;
    boolean outer = false;
    if (tokens.get(k).is("OUTER")) {
      outer = true;
      k++;
    }
    Token function = tokens.get(k);
    if (!isName(function) || !tokens.get(k + 1).isSymbol("(")) {
      throw ParseErrors.at(
          sql,
          function.start(),
          PlannerErrorCode.PARSE_SYNTAX_ERROR,
          "LATERAL VIEW needs a generator call, e.g. LATERAL VIEW explode(arr) t AS x");
    }
    int close = SparkSyntaxRewriter.closing(tokens, k + 1);
    if (close < 0) {
      throw ParseErrors.at(
          sql, function.start(), PlannerErrorCode.PARSE_SYNTAX_ERROR, "unclosed parenthesis");
    }
    String name = function.text().toLowerCase(Locale.ROOT);
    if (outer) {
      String outerForm = OUTER_FORMS.get(name);
      if (outerForm == null) {
        throw ParseErrors.at(
            sql,
            function.start(),
            PlannerErrorCode.UNSUPPORTED_FEATURE,
            "LATERAL VIEW OUTER is supported for explode, posexplode and inline; not for "
                + function.text());
      }
      name = outerForm;
    }
    int next = close + 1;
    Token alias = tokens.get(next);
    if (!isName(alias) || alias.is("AS")) {
      throw ParseErrors.at(
          sql,
          alias.start(),
          PlannerErrorCode.PARSE_SYNTAX_ERROR,
          "LATERAL VIEW needs a table alias after the generator, e.g. LATERAL VIEW explode(arr) t"
              + " AS x");
    }
    next++;
    List<Token> columns = new ArrayList<>();
    boolean as = tokens.get(next).is("AS");
    if (as || (isName(tokens.get(next)) && !isClauseWord(tokens.get(next)))) {
      if (as) {
        next++;
      }
      columns.add(requireName(sql, tokens.get(next++)));
      while (tokens.get(next).isSymbol(",") && isName(tokens.get(next + 1))) {
        columns.add(requireName(sql, tokens.get(next + 1)));
        next += 2;
      }
    }
    StringBuilder join = new StringBuilder(" CROSS JOIN LATERAL (SELECT ");
    join.append(name).append(sql, tokens.get(k + 1).start(), tokens.get(close).end());
    join.append(") AS ").append(sql, alias.start(), alias.end());
    if (!columns.isEmpty()) {
      join.append('(');
      for (int c = 0; c < columns.size(); c++) {
        Token column = columns.get(c);
        join.append(c == 0 ? "" : ", ").append(sql, column.start(), column.end());
      }
      join.append(')');
    }
    join.append(' ');
    out.replace(tokens.get(lateral).start(), tokens.get(next - 1).end(), join.toString());
  }

  private static Token requireName(String sql, Token t) {
    if (!isName(t)) {
      throw ParseErrors.at(
          sql,
          t.start(),
          PlannerErrorCode.PARSE_SYNTAX_ERROR,
          "expected a column name after the LATERAL VIEW's table alias");
    }
    return t;
  }

  private static boolean isName(Token t) {
    return t.kind() == Token.Kind.WORD || t.kind() == Token.Kind.QUOTED_IDENTIFIER;
  }

  /** Words that end a LATERAL VIEW when no column names follow its alias. */
  private static boolean isClauseWord(Token t) {
    return t.kind() == Token.Kind.WORD && SparkSyntaxRewriter.CLAUSE_WORDS.contains(t.upper());
  }
}

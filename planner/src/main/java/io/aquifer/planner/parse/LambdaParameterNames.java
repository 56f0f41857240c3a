package io.aquifer.planner.parse;

import io.aquifer.planner.parse.impl.AquiferSqlParserImpl;
import java.io.StringReader;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeMap;
import org.apache.calcite.sql.parser.SqlAbstractParserImpl;

/**
 * Lets lambda parameters have names Calcite's parser reserves, as Spark's documented comparator
 * {@code array_sort(a, (left, right) -> case when left < right then -1 ... end)} does: such a
 * parameter is quoted ({@code `left`}) in its parameter list and wherever the lambda's body uses
 * it. The body ends at the comma or closing parenthesis that ends the lambda argument.
 */
public final class LambdaParameterNames {
  private LambdaParameterNames() {}

  private static final SqlAbstractParserImpl.Metadata RESERVED =
      ((SqlAbstractParserImpl) AquiferSqlParserImpl.FACTORY.getParser(new StringReader("")))
          .getMetadata();

  /** The text with reserved lambda parameter names quoted; the same text when there are none. */
  public static String quote(String sql) {
    if (!sql.contains("->")) {
      return sql;
    }
    List<Token> tokens = SqlTokenizer.tokenizeNormalized(sql);
    TreeMap<Integer, Token> toQuote = new TreeMap<>();
    for (int i = 1; i + 1 < tokens.size(); i++) {
      if (!isArrow(tokens, i)) {
        continue;
      }
      Set<String> names = new HashSet<>();
      int first = i - 1;
      Token before = tokens.get(i - 1);
      if (before.kind() == Token.Kind.WORD) {
        addIfReserved(names, before);
      } else if (before.isSymbol(")")) {
        int j = i - 2;
        while (j >= 0 && !tokens.get(j).isSymbol("(")) {
          if (tokens.get(j).kind() == Token.Kind.WORD) {
            addIfReserved(names, tokens.get(j));
          } else if (!tokens.get(j).isSymbol(",")) {
            break; // not a parameter list
          }
          j--;
        }
        if (j < 0 || !tokens.get(j).isSymbol("(")) {
          continue;
        }
        first = j;
      }
      if (names.isEmpty()) {
        continue;
      }
      int depth = 0;
      for (int k = first; k < tokens.size(); k++) {
        Token t = tokens.get(k);
        if (t.kind() == Token.Kind.END) {
          break;
        }
        if (k > i + 1) {
          if (t.isSymbol("(")) {
            depth++;
          } else if (t.isSymbol(")")) {
            if (depth == 0) {
              break;
            }
            depth--;
          } else if (t.isSymbol(",") && depth == 0) {
            break;
          }
        }
        if (t.kind() == Token.Kind.WORD && names.contains(t.upper())) {
          toQuote.put(t.start(), t);
        }
      }
    }
    if (toQuote.isEmpty()) {
      return sql;
    }
    StringBuilder out = new StringBuilder(sql.length() + 2 * toQuote.size());
    int copied = 0;
    for (Token t : toQuote.values()) {
      out.append(sql, copied, t.start()).append('`').append(t.text()).append('`');
      copied = t.end();
    }
    return out.append(sql, copied, sql.length()).toString();
  }

  private static boolean isArrow(List<Token> tokens, int i) {
    Token minus = tokens.get(i);
    Token greater = tokens.get(i + 1);
    return minus.isSymbol("-") && greater.isSymbol(">") && minus.end() == greater.start();
  }

  private static void addIfReserved(Set<String> names, Token word) {
    String upper = word.text().toUpperCase(Locale.ROOT);
    if (RESERVED.isReservedWord(upper)) {
      names.add(upper);
    }
  }
}

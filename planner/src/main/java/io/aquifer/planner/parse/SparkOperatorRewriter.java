package io.aquifer.planner.parse;

import java.util.List;
import java.util.Set;

/**
 * Rewrites Spark SQL's operators that Calcite's parser does not read into calls of the function
 * catalog's functions of the same meaning, with Spark's operator precedence deciding the operands:
 *
 * <ul>
 *   <li>{@code a >> b} becomes {@code shiftright(a, b)}, {@code a >>> b} {@code
 *       shiftrightunsigned(a, b)} (shift operators bind less tightly than {@code +} and {@code -},
 *       more than {@code &});
 *   <li>{@code a div b} (integral division, as tight as {@code *}) becomes {@code `div`(a, b)};
 *   <li>{@code ~ a} (bitwise NOT, as tight as unary minus) becomes {@code `~`(a)}.
 * </ul>
 *
 * The {@code >} of a type ({@code ARRAY<ARRAY<INT>>}) is never an operator. One operator is
 * rewritten at a time, leftmost first, until none is left.
 */
public final class SparkOperatorRewriter {
  private SparkOperatorRewriter() {}

  /** Binding levels: lower binds tighter (Spark's SqlBaseParser valueExpression). */
  private static final int UNARY = 0;

  private static final int MULTIPLY = 1;
  private static final int ADD = 2;
  private static final int SHIFT = 3;
  private static final int BIT_AND = 4;
  private static final int BIT_XOR = 5;
  private static final int BIT_OR = 6;
  private static final int COMPARE = 7;

  /** Words that end an operand: clauses, predicates and logical operators. */
  private static final Set<String> STOP_WORDS =
      Set.of(
          "SELECT",
          "FROM",
          "WHERE",
          "GROUP",
          "HAVING",
          "ORDER",
          "BY",
          "LIMIT",
          "AND",
          "OR",
          "NOT",
          "WHEN",
          "THEN",
          "ELSE",
          "CASE",
          "END",
          "AS",
          "ON",
          "IS",
          "IN",
          "LIKE",
          "ILIKE",
          "RLIKE",
          "BETWEEN",
          "UNION",
          "EXCEPT",
          "INTERSECT",
          "DISTINCT",
          "ALL",
          "JOIN",
          "USING",
          "SET",
          "VALUES",
          "RETURN",
          "QUALIFY",
          "WINDOW",
          "OVER",
          "FILTER",
          "WITHIN",
          "DIV",
          "ESCAPE");

  private static final Set<String> INTERVAL_UNITS =
      Set.of(
          "YEAR",
          "YEARS",
          "MONTH",
          "MONTHS",
          "WEEK",
          "WEEKS",
          "DAY",
          "DAYS",
          "HOUR",
          "HOURS",
          "MINUTE",
          "MINUTES",
          "SECOND",
          "SECONDS",
          "MILLISECOND",
          "MILLISECONDS",
          "MICROSECOND",
          "MICROSECONDS",
          "TO");

  public static String rewrite(String sql) {
    for (int guard = 0; guard < 1000; guard++) {
      List<Token> tokens = SqlTokenizer.tokenizeNormalized(sql);
      boolean[] typeAngle = typeAngles(tokens);
      String next = rewriteFirst(sql, tokens, typeAngle);
      if (next == null) {
        return sql;
      }
      sql = next;
    }
    return sql;
  }

  /** The first operator rewritten, or null when there is none. */
  private static String rewriteFirst(String sql, List<Token> tokens, boolean[] typeAngle) {
    for (int i = 0; i < tokens.size(); i++) {
      Token t = tokens.get(i);
      if (t.isSymbol("~")) {
        int end = operandEnd(tokens, i + 1, UNARY, typeAngle);
        if (end < 0) {
          continue;
        }
        return sql.substring(0, t.start())
            + "`~`("
            + sql.substring(tokens.get(i + 1).start(), tokens.get(end).end())
            + ")"
            + sql.substring(tokens.get(end).end());
      }
      String function = null;
      int width = 0;
      int level = 0;
      if (t.is("DIV") && i > 0 && !tokens.get(i + 1).isSymbol("(")) {
        function = "`div`";
        width = 1;
        level = MULTIPLY;
      } else if (t.isSymbol(">")
          && !typeAngle[i]
          && (adjacent(tokens, i, 2) || adjacent(tokens, i, 3))) {
        boolean unsigned = adjacent(tokens, i, 3);
        function = unsigned ? "shiftrightunsigned" : "shiftright";
        width = unsigned ? 3 : 2;
        level = SHIFT;
      }
      if (function == null) {
        continue;
      }
      int first = operandStart(tokens, i - 1, level);
      int last = operandEnd(tokens, i + width, level, typeAngle);
      if (first < 0 || last < 0) {
        continue;
      }
      return sql.substring(0, tokens.get(first).start())
          + function
          + "("
          + sql.substring(tokens.get(first).start(), tokens.get(i - 1).end())
          + ", "
          + sql.substring(tokens.get(i + width).start(), tokens.get(last).end())
          + ")"
          + sql.substring(tokens.get(last).end());
    }
    return null;
  }

  /** Whether {@code count} {@code >} symbols follow each other without space from {@code i}. */
  private static boolean adjacent(List<Token> tokens, int i, int count) {
    for (int k = 1; k < count; k++) {
      if (i + k >= tokens.size()
          || !tokens.get(i + k).isSymbol(">")
          || tokens.get(i + k).start() != tokens.get(i + k - 1).end()) {
        return false;
      }
    }
    return i + count >= tokens.size() || !tokens.get(i + count).isSymbol(">");
  }

  /** Marks the {@code <} and {@code >} of types: {@code ARRAY<...>}, {@code MAP<...>}. */
  private static boolean[] typeAngles(List<Token> tokens) {
    boolean[] marks = new boolean[tokens.size()];
    int depth = 0;
    for (int i = 0; i < tokens.size(); i++) {
      Token t = tokens.get(i);
      if (t.isSymbol("<")
          && i > 0
          && (tokens.get(i - 1).is("ARRAY")
              || tokens.get(i - 1).is("MAP")
              || tokens.get(i - 1).is("STRUCT"))) {
        depth++;
        marks[i] = true;
      } else if (t.isSymbol(">") && depth > 0) {
        depth--;
        marks[i] = true;
      }
    }
    return marks;
  }

  /** The binding level of a binary operator at {@code i}, or -1 when it is not one. */
  private static int binaryLevel(List<Token> tokens, int i) {
    Token t = tokens.get(i);
    if (t.is("DIV")) {
      return MULTIPLY;
    }
    if (t.kind() != Token.Kind.SYMBOL) {
      return -1;
    }
    return switch (t.text()) {
      case "*", "/", "%" -> MULTIPLY;
      case "+", "-", "||" -> ADD;
      case "&" -> BIT_AND;
      case "^" -> BIT_XOR;
      case "|" -> BIT_OR;
      case "=", "<", ">", "<=", ">=", "<>", "!=", "<=>" -> COMPARE;
      default -> -1;
    };
  }

  /**
   * The first token of the left operand ending at {@code last} of an operator of {@code level}, or
   * -1 when it cannot be read.
   */
  private static int operandStart(List<Token> tokens, int last, int level) {
    int i = last;
    int start = -1;
    while (i >= 0) {
      Token t = tokens.get(i);
      if (t.isSymbol(")") || t.isSymbol("]")) {
        int open = matchingOpen(tokens, i);
        if (open < 0) {
          return -1;
        }
        start = open;
        i = open - 1;
        continue;
      }
      if (t.isSymbol("(") || t.isSymbol("[") || t.isSymbol(",") || t.isSymbol(";")) {
        return start;
      }
      if (t.kind() == Token.Kind.WORD && STOP_WORDS.contains(t.upper())) {
        return start;
      }
      int opLevel = binaryLevel(tokens, i);
      if (opLevel >= 0 || t.isSymbol("~")) {
        boolean unary =
            (t.isSymbol("-") || t.isSymbol("+") || t.isSymbol("~"))
                && (i == 0 || startsOperand(tokens, i - 1));
        if (unary) {
          start = i;
          i--;
          continue;
        }
        if (opLevel > level || start < 0) {
          return start;
        }
        i--;
        continue;
      }
      start = i;
      i--;
    }
    return start;
  }

  /** Whether the token at {@code i} is one after which an operand begins (not a value's end). */
  private static boolean startsOperand(List<Token> tokens, int i) {
    Token t = tokens.get(i);
    if (t.kind() == Token.Kind.SYMBOL) {
      return !t.isSymbol(")") && !t.isSymbol("]");
    }
    return t.kind() == Token.Kind.WORD && STOP_WORDS.contains(t.upper());
  }

  private static int matchingOpen(List<Token> tokens, int close) {
    int depth = 0;
    for (int i = close; i >= 0; i--) {
      Token t = tokens.get(i);
      if (t.isSymbol(")") || t.isSymbol("]")) {
        depth++;
      } else if (t.isSymbol("(") || t.isSymbol("[")) {
        if (--depth == 0) {
          return i;
        }
      }
    }
    return -1;
  }

  private static int matchingClose(List<Token> tokens, int open) {
    int depth = 0;
    for (int i = open; i < tokens.size(); i++) {
      Token t = tokens.get(i);
      if (t.isSymbol("(") || t.isSymbol("[")) {
        depth++;
      } else if (t.isSymbol(")") || t.isSymbol("]")) {
        if (--depth == 0) {
          return i;
        }
      }
    }
    return -1;
  }

  /**
   * The last token of the right operand starting at {@code first} of an operator of {@code level},
   * or -1 when it cannot be read.
   */
  private static int operandEnd(List<Token> tokens, int first, int level, boolean[] typeAngle) {
    int last = primaryEnd(tokens, first, typeAngle);
    if (last < 0) {
      return -1;
    }
    while (last + 1 < tokens.size()) {
      int op = last + 1;
      int opLevel = binaryLevel(tokens, op);
      if (opLevel < 0 || opLevel >= level || typeAngle[op]) {
        return last;
      }
      if (tokens.get(op).isSymbol(">") || tokens.get(op).isSymbol("<")) {
        return last;
      }
      int next = operandEnd(tokens, op + 1, opLevel, typeAngle);
      if (next < 0) {
        return last;
      }
      last = next;
    }
    return last;
  }

  /** The last token of a value with its unary prefixes and postfixes, or -1. */
  private static int primaryEnd(List<Token> tokens, int first, boolean[] typeAngle) {
    int i = first;
    while (i < tokens.size()
        && (tokens.get(i).isSymbol("-")
            || tokens.get(i).isSymbol("+")
            || tokens.get(i).isSymbol("~"))) {
      i++;
    }
    if (i >= tokens.size()) {
      return -1;
    }
    Token t = tokens.get(i);
    int last;
    if (t.isSymbol("(")) {
      last = matchingClose(tokens, i);
    } else if (t.kind() == Token.Kind.NUMBER || t.kind() == Token.Kind.STRING) {
      last = i;
    } else if (t.is("INTERVAL")) {
      last = i;
      while (last + 1 < tokens.size()) {
        Token n = tokens.get(last + 1);
        if (n.kind() == Token.Kind.STRING
            || n.kind() == Token.Kind.NUMBER
            || n.isSymbol("-")
            || (n.kind() == Token.Kind.WORD && INTERVAL_UNITS.contains(n.upper()))) {
          last++;
        } else {
          break;
        }
      }
    } else if (t.kind() == Token.Kind.WORD || t.kind() == Token.Kind.QUOTED_IDENTIFIER) {
      if (t.kind() == Token.Kind.WORD && STOP_WORDS.contains(t.upper())) {
        return -1;
      }
      last = i;
      Token n = tokens.get(i + 1);
      if (n.kind() == Token.Kind.STRING) {
        last = i + 1; // DATE '...', TIMESTAMP '...', X '...'
      } else if (n.isSymbol("(")) {
        last = matchingClose(tokens, i + 1);
      }
    } else {
      return -1;
    }
    if (last < 0) {
      return -1;
    }
    // Postfixes: .field, [index], ::type
    while (last + 1 < tokens.size()) {
      Token n = tokens.get(last + 1);
      if (n.isSymbol(".") && last + 2 < tokens.size()) {
        last += 2;
        if (tokens.get(last + 1).isSymbol("(")) {
          last = matchingClose(tokens, last + 1);
          if (last < 0) {
            return -1;
          }
        }
      } else if (n.isSymbol("[")) {
        last = matchingClose(tokens, last + 1);
        if (last < 0) {
          return -1;
        }
      } else if (n.isSymbol("::") && last + 2 < tokens.size()) {
        last += 2;
      } else {
        return last;
      }
    }
    return last;
  }
}

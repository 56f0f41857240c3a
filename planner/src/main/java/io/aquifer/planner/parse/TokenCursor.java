package io.aquifer.planner.parse;

import io.aquifer.planner.PlannerErrorCode;
import io.aquifer.planner.PlannerException;
import java.util.ArrayList;
import java.util.List;

/** Walks a token list for the hand-written statement parsers. */
final class TokenCursor {
  private final String sql;
  private final List<Token> tokens;
  private int index;

  TokenCursor(String sql, List<Token> tokens) {
    this.sql = sql;
    this.tokens = tokens;
  }

  String sql() {
    return sql;
  }

  Token peek() {
    return tokens.get(index);
  }

  Token peek(int ahead) {
    return tokens.get(Math.min(index + ahead, tokens.size() - 1));
  }

  Token next() {
    Token t = tokens.get(index);
    if (t.kind() != Token.Kind.END) {
      index++;
    }
    return t;
  }

  boolean atEnd() {
    Token t = peek();
    return t.kind() == Token.Kind.END || (t.isSymbol(";") && peek(1).kind() == Token.Kind.END);
  }

  boolean accept(String keyword) {
    if (peek().is(keyword)) {
      index++;
      return true;
    }
    return false;
  }

  boolean acceptSymbol(String symbol) {
    if (peek().isSymbol(symbol)) {
      index++;
      return true;
    }
    return false;
  }

  void expect(String keyword) {
    if (!accept(keyword)) {
      throw error("expected " + keyword + " but found " + describe(peek()));
    }
  }

  void expectSymbol(String symbol) {
    if (!acceptSymbol(symbol)) {
      throw error("expected '" + symbol + "' but found " + describe(peek()));
    }
  }

  void expectEnd() {
    if (!atEnd()) {
      throw error("unexpected " + describe(peek()) + " after the end of the statement");
    }
  }

  String identifier() {
    Token t = peek();
    if (t.kind() == Token.Kind.WORD || t.kind() == Token.Kind.QUOTED_IDENTIFIER) {
      index++;
      return t.text();
    }
    throw error("expected a name but found " + describe(t));
  }

  List<String> qualifiedName() {
    List<String> parts = new ArrayList<>();
    parts.add(identifier());
    while (peek().isSymbol(".")) {
      index++;
      parts.add(identifier());
    }
    return parts;
  }

  String stringLiteral() {
    Token t = peek();
    if (t.kind() == Token.Kind.STRING) {
      index++;
      return t.text();
    }
    throw error("expected a string literal but found " + describe(t));
  }

  int integer() {
    Token t = peek();
    if (t.kind() == Token.Kind.NUMBER) {
      try {
        int value = Integer.parseInt(t.text());
        index++;
        return value;
      } catch (NumberFormatException e) {
        // fall through to the error below
      }
    }
    throw error("expected an integer but found " + describe(t));
  }

  PlannerException error(String message) {
    return ParseErrors.at(sql, peek().start(), PlannerErrorCode.PARSE_SYNTAX_ERROR, message);
  }

  static String describe(Token t) {
    return switch (t.kind()) {
      case END -> "end of input";
      case STRING -> "string '" + t.text() + "'";
      case QUOTED_IDENTIFIER -> "`" + t.text() + "`";
      default -> "'" + t.text() + "'";
    };
  }

  /**
   * The SQL text of an expression starting at the next token, up to (not including) a {@code ,} or
   * {@code )} outside parentheses, the end, or one of {@code stopWords} outside parentheses ({@code
   * NOT} only when {@code NULL} follows): a column's {@code DEFAULT}, kept as text as Delta keeps
   * it.
   */
  String expressionText(String what, String... stopWords) {
    Token first = peek();
    Token last = null;
    int depth = 0;
    while (true) {
      Token t = peek();
      if (t.kind() == Token.Kind.END) {
        break;
      }
      if (depth == 0 && (t.isSymbol(",") || t.isSymbol(")") || t.isSymbol(";"))) {
        break;
      }
      if (depth == 0 && t.kind() == Token.Kind.WORD && stops(t, stopWords)) {
        break;
      }
      if (t.isSymbol("(")) {
        depth++;
      } else if (t.isSymbol(")")) {
        depth--;
      }
      last = next();
    }
    if (last == null) {
      throw error("expected an expression after " + what);
    }
    return sql.substring(first.start(), last.end());
  }

  private boolean stops(Token t, String[] stopWords) {
    for (String word : stopWords) {
      if (t.is(word) && (!word.equalsIgnoreCase("NOT") || peek(1).is("NULL"))) {
        return true;
      }
    }
    return false;
  }
}

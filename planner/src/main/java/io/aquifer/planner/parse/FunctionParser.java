package io.aquifer.planner.parse;

import io.aquifer.planner.PlannerErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Databricks' SQL user-defined functions: {@code CREATE FUNCTION} with a {@code RETURN} expression
 * and {@code DROP FUNCTION}. The body is kept as written; the planner parses it where a row filter
 * or column mask applies it.
 */
final class FunctionParser {
  private FunctionParser() {}

  /**
   *
   *
   * <pre>
   * CREATE [OR REPLACE] FUNCTION [IF NOT EXISTS] name ( [param type [COMMENT 'c'] [, ...]] )
   *   [RETURNS type] [characteristic ...] RETURN expression
   * characteristic: COMMENT 'c' | LANGUAGE SQL | [NOT] DETERMINISTIC | CONTAINS SQL
   *   | READS SQL DATA | SQL SECURITY DEFINER
   * </pre>
   *
   * After CREATE [OR REPLACE].
   */
  static ParsedStatement create(TokenCursor c, boolean orReplace) {
    c.expect("FUNCTION");
    boolean ifNotExists = false;
    if (c.accept("IF")) {
      c.expect("NOT");
      c.expect("EXISTS");
      ifNotExists = true;
    }
    if (orReplace && ifNotExists) {
      throw c.error("CREATE OR REPLACE FUNCTION cannot have IF NOT EXISTS");
    }
    List<String> name = c.qualifiedName();
    c.expectSymbol("(");
    List<ParsedStatement.FunctionParameter> parameters = new ArrayList<>();
    if (!c.acceptSymbol(")")) {
      do {
        String parameter = c.identifier();
        int start = c.peek().start();
        DataTypeParser.parse(c);
        String type = c.sql().substring(start, c.peek().start()).trim();
        if (c.peek().is("DEFAULT")) {
          throw unsupported(c, "parameter defaults are not supported yet");
        }
        if (c.accept("COMMENT")) {
          c.stringLiteral();
        }
        for (var p : parameters) {
          if (p.name().equalsIgnoreCase(parameter)) {
            throw c.error("parameter " + parameter + " is named twice");
          }
        }
        parameters.add(new ParsedStatement.FunctionParameter(parameter, type));
      } while (c.acceptSymbol(","));
      c.expectSymbol(")");
    }
    String returnType = "";
    if (c.accept("RETURNS")) {
      if (c.peek().is("TABLE")) {
        throw unsupported(c, "table functions (RETURNS TABLE) are not supported yet");
      }
      int start = c.peek().start();
      DataTypeParser.parse(c);
      returnType = c.sql().substring(start, c.peek().start()).trim();
    }
    Optional<String> comment = Optional.empty();
    while (!c.peek().is("RETURN")) {
      if (c.accept("COMMENT")) {
        comment = Optional.of(c.stringLiteral());
      } else if (c.accept("LANGUAGE")) {
        if (!c.accept("SQL")) {
          throw unsupported(c, "only LANGUAGE SQL functions are supported");
        }
      } else if (c.accept("NOT")) {
        c.expect("DETERMINISTIC");
      } else if (c.accept("DETERMINISTIC")) {
        // recorded nowhere: the planner treats every function alike
      } else if (c.accept("CONTAINS")) {
        c.expect("SQL");
      } else if (c.accept("READS")) {
        c.expect("SQL");
        c.expect("DATA");
      } else if (c.accept("SQL")) {
        c.expect("SECURITY");
        c.expect("DEFINER");
      } else if (c.peek().is("AS")) {
        throw unsupported(
            c, "only SQL functions (RETURN expression) are supported, not AS 'class' or $$code$$");
      } else {
        throw c.error("expected RETURN but found " + TokenCursor.describe(c.peek()));
      }
    }
    c.expect("RETURN");
    if (c.atEnd()) {
      throw c.error("expected an expression after RETURN");
    }
    int start = c.peek().start();
    boolean query = c.peek().is("SELECT") || c.peek().is("WITH");
    while (!c.atEnd()) {
      c.next();
    }
    String body = c.sql().substring(start, c.peek().start()).trim();
    while (body.endsWith(";")) {
      body = body.substring(0, body.length() - 1).trim();
    }
    if (query) {
      body = "(" + body + ")";
    }
    return new ParsedStatement.CreateFunction(
        name, parameters, returnType, body, comment, orReplace, ifNotExists);
  }

  /** {@code DROP FUNCTION [IF EXISTS] name}, after DROP. */
  static ParsedStatement drop(TokenCursor c) {
    c.expect("FUNCTION");
    boolean ifExists = false;
    if (c.accept("IF")) {
      c.expect("EXISTS");
      ifExists = true;
    }
    List<String> name = c.qualifiedName();
    c.expectEnd();
    return new ParsedStatement.DropFunction(name, ifExists);
  }

  static boolean atFunction(TokenCursor c) {
    return c.peek().kind() == Token.Kind.WORD
        && c.peek().text().toUpperCase(Locale.ROOT).equals("FUNCTION");
  }

  private static io.aquifer.planner.PlannerException unsupported(TokenCursor c, String message) {
    return ParseErrors.at(c.sql(), c.peek().start(), PlannerErrorCode.UNSUPPORTED_FEATURE, message);
  }
}

package io.aquifer.planner.parse;

import io.aquifer.planner.PlannerErrorCode;
import io.aquifer.storage.delta.TableChange;
import io.aquifer.storage.types.Column;
import io.aquifer.storage.types.DataType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Databricks' statements that change an existing table: {@code ALTER TABLE}, {@code COMMENT ON
 * TABLE} and {@code TRUNCATE TABLE}. What each change means for the Delta log is the gateway's
 * business.
 */
final class AlterTableParser {
  private AlterTableParser() {}

  /**
   *
   *
   * <pre>
   * ALTER TABLE t ADD COLUMN[S] [(] col type [COMMENT 'c'] [, ...] [)]
   * ALTER TABLE t RENAME COLUMN a TO b
   * ALTER TABLE t RENAME TO u
   * ALTER TABLE t DROP COLUMN[S] [IF EXISTS] [(] a [, ...] [)]
   * ALTER TABLE t { ALTER | CHANGE } [COLUMN] col { TYPE type | COMMENT 'c' | SET NOT NULL | DROP NOT NULL }
   * ALTER TABLE t { ALTER | CHANGE } [COLUMN] col { SET DEFAULT expr | DROP DEFAULT }
   * ALTER TABLE t ADD CONSTRAINT name CHECK (expr)
   * ALTER TABLE t DROP CONSTRAINT [IF EXISTS] name
   * ALTER TABLE t SET TBLPROPERTIES (key = value, ...)
   * ALTER TABLE t UNSET TBLPROPERTIES [IF EXISTS] (key, ...)
   * ALTER TABLE t SET ROW FILTER f ON ([col, ...]) | DROP ROW FILTER
   * ALTER TABLE t ALTER COLUMN col SET MASK f [USING COLUMNS (col, ...)] | DROP MASK
   * ALTER { TABLE | VIEW | SCHEMA | DATABASE | CATALOG | FUNCTION | VOLUME } name OWNER TO principal
   * ALTER GROUP g { ADD | DROP } { USER u [, ...] | GROUP g2 [, ...] } [...]
   * </pre>
   */
  static ParsedStatement alter(TokenCursor c) {
    c.expect("ALTER");
    if (c.peek().is("GROUP")) {
      return GrantParser.alterGroup(c);
    }
    ParsedStatement.GrantObjectKind kind = null;
    if (c.peek().is("VOLUME")) {
      kind = ParsedStatement.GrantObjectKind.VOLUME;
    } else if (c.peek().is("CATALOG")) {
      kind = ParsedStatement.GrantObjectKind.CATALOG;
    } else if (c.peek().is("SCHEMA") || c.peek().is("DATABASE")) {
      kind = ParsedStatement.GrantObjectKind.SCHEMA;
    } else if (c.peek().is("VIEW")) {
      kind = ParsedStatement.GrantObjectKind.VIEW;
    } else if (c.peek().is("FUNCTION")) {
      kind = ParsedStatement.GrantObjectKind.FUNCTION;
    }
    if (kind != null) {
      String word = c.next().text().toUpperCase(java.util.Locale.ROOT);
      List<String> name = c.qualifiedName();
      if (!c.peek().is("OWNER")) {
        throw unsupported(c, "ALTER " + word + " supports OWNER TO only");
      }
      return ownerTo(c, new ParsedStatement.GrantObject(kind, name));
    }
    if (!c.peek().is("TABLE")) {
      throw unsupported(
          c,
          "ALTER supports TABLE, GROUP, and OWNER TO of CATALOG, SCHEMA, VIEW, FUNCTION and"
              + " VOLUME (ALTER TABLE ...)");
    }
    c.next();
    List<String> table = c.qualifiedName();
    if (c.peek().is("OWNER")) {
      return ownerTo(
          c, new ParsedStatement.GrantObject(ParsedStatement.GrantObjectKind.TABLE, table));
    }
    if (c.peek().is("ADD") && c.peek(1).is("CONSTRAINT")) {
      c.next();
      c.next();
      String name = c.identifier();
      if (!c.peek().is("CHECK")) {
        throw unsupported(
            c,
            "ALTER TABLE ... ADD CONSTRAINT supports CHECK constraints only (PRIMARY KEY and"
                + " FOREIGN KEY constraints are not supported yet)");
      }
      c.next();
      c.expectSymbol("(");
      String expression = c.expressionText("CHECK (");
      c.expectSymbol(")");
      c.expectEnd();
      return new ParsedStatement.AlterTable(
          table, new TableChange.AddCheckConstraint(name, expression.strip(), -1), false);
    }
    if (c.peek().is("DROP") && c.peek(1).is("CONSTRAINT")) {
      c.next();
      c.next();
      boolean ifExists = false;
      if (c.accept("IF")) {
        c.expect("EXISTS");
        ifExists = true;
      }
      String name = c.identifier();
      c.expectEnd();
      return new ParsedStatement.AlterTable(
          table, new TableChange.DropCheckConstraint(name), ifExists);
    }
    if (c.accept("ADD")) {
      if (!c.accept("COLUMNS")) {
        c.expect("COLUMN");
      }
      boolean parenthesized = c.acceptSymbol("(");
      List<Column> columns = new ArrayList<>();
      do {
        String name = c.identifier();
        DataType type = DataTypeParser.parse(c);
        Optional<String> comment = Optional.empty();
        while (true) {
          if (c.accept("COMMENT")) {
            comment = Optional.of(c.stringLiteral());
          } else if (c.peek().is("NOT") && c.peek(1).is("NULL")) {
            throw unsupported(
                c, "a column added to an existing table must be nullable (drop NOT NULL)");
          } else if (c.accept("NULL")) {
            // nullable, as every added column
          } else if (c.peek().is("FIRST") || c.peek().is("AFTER") || c.peek().is("DEFAULT")) {
            throw unsupported(
                c,
                c.peek().text().toUpperCase(java.util.Locale.ROOT)
                    + " is not supported in ADD COLUMNS yet");
          } else {
            break;
          }
        }
        columns.add(new Column(name, type, true, name, comment));
      } while (c.acceptSymbol(","));
      if (parenthesized) {
        c.expectSymbol(")");
      }
      c.expectEnd();
      return new ParsedStatement.AlterTable(table, new TableChange.AddColumns(columns), false);
    }
    if (c.accept("RENAME")) {
      if (c.accept("TO")) {
        List<String> newName = c.qualifiedName();
        c.expectEnd();
        return new ParsedStatement.RenameTable(table, newName);
      }
      c.expect("COLUMN");
      String from = c.identifier();
      c.expect("TO");
      String to = c.identifier();
      c.expectEnd();
      return new ParsedStatement.AlterTable(table, new TableChange.RenameColumn(from, to), false);
    }
    if (c.peek().is("DROP") && c.peek(1).is("ROW")) {
      c.next();
      c.next();
      c.expect("FILTER");
      c.expectEnd();
      return new ParsedStatement.DropTablePolicy(table, Optional.empty());
    }
    if (c.accept("DROP")) {
      if (!c.accept("COLUMNS")) {
        c.expect("COLUMN");
      }
      boolean ifExists = false;
      if (c.accept("IF")) {
        c.expect("EXISTS");
        ifExists = true;
      }
      boolean parenthesized = c.acceptSymbol("(");
      List<String> names = new ArrayList<>();
      do {
        names.add(c.identifier());
      } while (c.acceptSymbol(","));
      if (parenthesized) {
        c.expectSymbol(")");
      }
      c.expectEnd();
      return new ParsedStatement.AlterTable(table, new TableChange.DropColumns(names), ifExists);
    }
    if (c.accept("ALTER") || c.accept("CHANGE")) {
      c.accept("COLUMN");
      String column = c.identifier();
      Optional<DataType> type = Optional.empty();
      Optional<String> comment = Optional.empty();
      Optional<Boolean> nullable = Optional.empty();
      if (c.peek().is("SET") && c.peek(1).is("MASK")) {
        c.next();
        c.next();
        List<String> function = c.qualifiedName();
        List<String> using = List.of();
        if (c.accept("USING")) {
          c.expect("COLUMNS");
          using = columnList(c);
        }
        c.expectEnd();
        return new ParsedStatement.SetTablePolicy(table, Optional.of(column), function, using);
      }
      if (c.peek().is("DROP") && c.peek(1).is("MASK")) {
        c.next();
        c.next();
        c.expectEnd();
        return new ParsedStatement.DropTablePolicy(table, Optional.of(column));
      }
      if (c.peek().is("SET") && c.peek(1).is("DEFAULT")) {
        c.next();
        c.next();
        String expression = c.expressionText("SET DEFAULT");
        c.expectEnd();
        return new ParsedStatement.AlterTable(
            table, new TableChange.SetColumnDefault(column, Optional.of(expression)), false);
      }
      if (c.peek().is("DROP") && c.peek(1).is("DEFAULT")) {
        c.next();
        c.next();
        c.expectEnd();
        return new ParsedStatement.AlterTable(
            table, new TableChange.SetColumnDefault(column, Optional.empty()), false);
      }
      if (c.accept("TYPE")) {
        type = Optional.of(DataTypeParser.parse(c));
      } else if (c.accept("COMMENT")) {
        comment = Optional.of(c.stringLiteral());
      } else if (c.accept("SET")) {
        c.expect("NOT");
        c.expect("NULL");
        nullable = Optional.of(false);
      } else if (c.accept("DROP")) {
        c.expect("NOT");
        c.expect("NULL");
        nullable = Optional.of(true);
      } else {
        throw c.error(
            "expected TYPE, COMMENT, SET NOT NULL, DROP NOT NULL, SET DEFAULT or DROP DEFAULT"
                + " after ALTER COLUMN "
                + column);
      }
      c.expectEnd();
      return new ParsedStatement.AlterTable(
          table, new TableChange.ChangeColumn(column, type, comment, nullable), false);
    }
    if (c.peek().is("SET") && c.peek(1).is("ROW")) {
      c.next();
      c.next();
      c.expect("FILTER");
      List<String> function = c.qualifiedName();
      c.expect("ON");
      List<String> columns = columnList(c);
      c.expectEnd();
      return new ParsedStatement.SetTablePolicy(table, Optional.empty(), function, columns);
    }
    if (c.accept("SET")) {
      c.expect("TBLPROPERTIES");
      Map<String, String> properties = new LinkedHashMap<>();
      c.expectSymbol("(");
      do {
        String key = propertyKey(c);
        c.acceptSymbol("=");
        properties.put(key, propertyValue(c));
      } while (c.acceptSymbol(","));
      c.expectSymbol(")");
      c.expectEnd();
      return new ParsedStatement.AlterTable(
          table, new TableChange.SetProperties(properties), false);
    }
    if (c.accept("UNSET")) {
      c.expect("TBLPROPERTIES");
      boolean ifExists = false;
      if (c.accept("IF")) {
        c.expect("EXISTS");
        ifExists = true;
      }
      Set<String> keys = new LinkedHashSet<>();
      c.expectSymbol("(");
      do {
        keys.add(propertyKey(c));
      } while (c.acceptSymbol(","));
      c.expectSymbol(")");
      c.expectEnd();
      return new ParsedStatement.AlterTable(table, new TableChange.UnsetProperties(keys), ifExists);
    }
    if (c.peek().is("CLUSTER") || c.peek().is("PARTITION")) {
      throw unsupported(
          c,
          "ALTER TABLE ... "
              + c.peek().text().toUpperCase(java.util.Locale.ROOT)
              + " is not supported yet");
    }
    throw c.error(
        "expected ADD COLUMNS, RENAME, DROP COLUMNS, ALTER COLUMN, SET TBLPROPERTIES or UNSET"
            + " TBLPROPERTIES after ALTER TABLE "
            + String.join(".", table));
  }

  /** {@code ( [column [, ...]] )}: the columns a row filter or column mask passes. */
  private static List<String> columnList(TokenCursor c) {
    c.expectSymbol("(");
    List<String> columns = new ArrayList<>();
    if (!c.acceptSymbol(")")) {
      do {
        columns.add(c.identifier());
      } while (c.acceptSymbol(","));
      c.expectSymbol(")");
    }
    return columns;
  }

  /** {@code COMMENT ON TABLE t IS 'text' | NULL}. */
  static ParsedStatement commentOn(TokenCursor c) {
    c.expect("COMMENT");
    c.expect("ON");
    if (!c.accept("TABLE")) {
      throw unsupported(c, "COMMENT ON supports TABLE only");
    }
    List<String> table = c.qualifiedName();
    c.expect("IS");
    Optional<String> comment;
    if (c.accept("NULL")) {
      comment = Optional.empty();
    } else {
      comment = Optional.of(c.stringLiteral());
    }
    c.expectEnd();
    return new ParsedStatement.CommentOnTable(table, comment);
  }

  /** {@code TRUNCATE TABLE t}. */
  static ParsedStatement truncate(TokenCursor c) {
    c.expect("TRUNCATE");
    c.expect("TABLE");
    List<String> table = c.qualifiedName();
    if (c.peek().is("PARTITION")) {
      throw unsupported(c, "TRUNCATE TABLE ... PARTITION is not supported yet");
    }
    c.expectEnd();
    return new ParsedStatement.Truncate(table);
  }

  /** A property key: {@code 'a.b'} or {@code a.b} (dotted words). */
  static String propertyKey(TokenCursor c) {
    Token key = c.peek();
    if (key.kind() == Token.Kind.STRING) {
      return c.stringLiteral();
    }
    StringBuilder k = new StringBuilder(c.identifier());
    while (c.acceptSymbol(".")) {
      k.append('.').append(c.identifier());
    }
    return k.toString();
  }

  private static String propertyValue(TokenCursor c) {
    Token value = c.peek();
    if (value.kind() == Token.Kind.STRING
        || value.kind() == Token.Kind.NUMBER
        || value.kind() == Token.Kind.WORD) {
      return c.next().text();
    }
    throw c.error("expected a property value but found " + TokenCursor.describe(value));
  }

  /** {@code ... OWNER TO principal}, after the object's name. */
  private static ParsedStatement ownerTo(TokenCursor c, ParsedStatement.GrantObject object) {
    c.expect("OWNER");
    c.expect("TO");
    String principal = GrantParser.principal(c);
    c.expectEnd();
    return new ParsedStatement.SetOwner(object, principal);
  }

  private static io.aquifer.planner.PlannerException unsupported(TokenCursor c, String message) {
    return ParseErrors.at(c.sql(), c.peek().start(), PlannerErrorCode.UNSUPPORTED_FEATURE, message);
  }
}

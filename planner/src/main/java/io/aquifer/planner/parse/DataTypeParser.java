package io.aquifer.planner.parse;

import io.aquifer.storage.types.ArrayType;
import io.aquifer.storage.types.Column;
import io.aquifer.storage.types.DataType;
import io.aquifer.storage.types.DecimalType;
import io.aquifer.storage.types.MapType;
import io.aquifer.storage.types.PrimitiveType;
import io.aquifer.storage.types.StructType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Parses Databricks SQL type names: {@code INT}, {@code DECIMAL(10,2)}, {@code ARRAY<STRING>}… */
public final class DataTypeParser {
  private DataTypeParser() {}

  /**
   * A list of columns as a DDL schema string writes them: {@code a INT, b STRING} (read_files'
   * {@code schema} option); PARSE_SYNTAX_ERROR for anything else.
   */
  public static List<Column> columns(String text) {
    TokenCursor c = new TokenCursor(text, SqlTokenizer.tokenizeNormalized(text));
    List<Column> out = new ArrayList<>();
    do {
      String name = c.identifier();
      out.add(Column.of(name, parse(c)));
    } while (c.acceptSymbol(","));
    c.expectEnd();
    return out;
  }

  static DataType parse(TokenCursor c) {
    Token t = c.peek();
    if (t.kind() != Token.Kind.WORD) {
      throw c.error("expected a data type but found " + TokenCursor.describe(t));
    }
    c.next();
    String name = t.text().toUpperCase(Locale.ROOT);
    switch (name) {
      case "BOOLEAN", "BOOL":
        return PrimitiveType.BOOLEAN;
      case "TINYINT", "BYTE":
        return PrimitiveType.TINYINT;
      case "SMALLINT", "SHORT":
        return PrimitiveType.SMALLINT;
      case "INT", "INTEGER":
        return PrimitiveType.INT;
      case "BIGINT", "LONG":
        return PrimitiveType.BIGINT;
      case "FLOAT", "REAL":
        return PrimitiveType.FLOAT;
      case "DOUBLE":
        c.accept("PRECISION");
        return PrimitiveType.DOUBLE;
      case "STRING", "TEXT":
        return PrimitiveType.STRING;
      case "VARCHAR", "CHAR", "CHARACTER":
        c.accept("VARYING");
        if (c.acceptSymbol("(")) {
          c.integer();
          c.expectSymbol(")");
        }
        return PrimitiveType.STRING;
      case "BINARY", "VARBINARY":
        return PrimitiveType.BINARY;
      case "DATE":
        return PrimitiveType.DATE;
      case "TIMESTAMP", "TIMESTAMP_LTZ":
        return PrimitiveType.TIMESTAMP;
      case "TIMESTAMP_NTZ":
        return PrimitiveType.TIMESTAMP_NTZ;
      case "DECIMAL", "DEC", "NUMERIC":
        {
          int precision = 10;
          int scale = 0;
          if (c.acceptSymbol("(")) {
            precision = c.integer();
            if (c.acceptSymbol(",")) {
              scale = c.integer();
            }
            c.expectSymbol(")");
          }
          try {
            return new DecimalType(precision, scale);
          } catch (IllegalArgumentException e) {
            throw ParseErrors.at(
                c.sql(),
                t.start(),
                io.aquifer.planner.PlannerErrorCode.PARSE_SYNTAX_ERROR,
                e.getMessage());
          }
        }
      case "ARRAY":
        {
          c.expectSymbol("<");
          DataType element = parse(c);
          c.expectSymbol(">");
          return new ArrayType(element, true);
        }
      case "MAP":
        {
          c.expectSymbol("<");
          DataType key = parse(c);
          c.expectSymbol(",");
          DataType value = parse(c);
          c.expectSymbol(">");
          return new MapType(key, value, true);
        }
      case "STRUCT":
        {
          c.expectSymbol("<");
          List<Column> fields = new ArrayList<>();
          if (!c.peek().isSymbol(">")) {
            do {
              String field = c.identifier();
              c.acceptSymbol(":");
              DataType type = parse(c);
              boolean nullable = !(c.peek().is("NOT") && c.peek(1).is("NULL"));
              if (!nullable) {
                c.next();
                c.next();
              }
              Optional<String> comment = Optional.empty();
              if (c.accept("COMMENT")) {
                comment = Optional.of(c.stringLiteral());
              }
              fields.add(new Column(field, type, nullable, field, comment));
            } while (c.acceptSymbol(","));
          }
          c.expectSymbol(">");
          return new StructType(fields);
        }
      default:
        throw ParseErrors.at(
            c.sql(),
            t.start(),
            io.aquifer.planner.PlannerErrorCode.PARSE_SYNTAX_ERROR,
            "unknown data type '" + t.text() + "'");
    }
  }
}

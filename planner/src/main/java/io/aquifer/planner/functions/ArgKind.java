package io.aquifer.planner.functions;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;

/**
 * What a function argument accepts. Databricks casts strings implicitly to dates, timestamps and
 * numbers where a function expects them, so those kinds accept strings too; the engine translation
 * casts explicitly.
 */
public enum ArgKind {
  ANY,
  /** A string; numbers, dates, booleans and binary are accepted and cast. */
  STRING,
  /** A string or a binary (functions defined on both). */
  STRING_OR_BINARY,
  NUMBER,
  /** A number or an interval (its number of months, or of microseconds: {@code $1#}). */
  NUMBER_OR_INTERVAL,
  INTEGER,
  /** A number, or a date or time (make_timestamp's date and time form). */
  NUMBER_OR_DATETIME,
  /** A date, a timestamp or a string that reads as one. */
  DATE,
  /** A timestamp, a date or a string that reads as one. */
  TIMESTAMP,
  BOOLEAN,
  ARRAY,
  MAP,
  /** A string literal (a unit, a format, a field name): the translation depends on its value. */
  STRING_LITERAL,
  /** A lambda ({@code x -> x + 1}); its parameters' types come from the other arguments. */
  LAMBDA;

  boolean accepts(RelDataType type) {
    SqlTypeName name = type.getSqlTypeName();
    if (name == SqlTypeName.NULL || name == SqlTypeName.UNKNOWN || name == SqlTypeName.ANY) {
      return this != STRING_LITERAL;
    }
    boolean character = SqlTypeUtil.inCharFamily(type);
    return switch (this) {
      case ANY -> true;
      case STRING, STRING_OR_BINARY ->
          character
              || SqlTypeUtil.isNumeric(type)
              || SqlTypeUtil.isBinary(type)
              || SqlTypeUtil.isDatetime(type)
              || SqlTypeUtil.isBoolean(type);
      case NUMBER -> SqlTypeUtil.isNumeric(type) || character;
      case NUMBER_OR_INTERVAL -> SqlTypeUtil.isNumeric(type) || SqlTypeUtil.isInterval(type);
      case INTEGER -> SqlTypeUtil.isExactNumeric(type) || character;
      case NUMBER_OR_DATETIME ->
          SqlTypeUtil.isNumeric(type) || SqlTypeUtil.isDatetime(type) || character;
      case DATE, TIMESTAMP ->
          character
              || SqlTypeFamily.DATETIME.getTypeNames().contains(name)
              || SqlTypeUtil.isDatetime(type);
      case BOOLEAN -> SqlTypeUtil.isBoolean(type);
      case ARRAY -> name == SqlTypeName.ARRAY;
      case MAP -> name == SqlTypeName.MAP;
      case STRING_LITERAL -> character;
      case LAMBDA -> name == SqlTypeName.FUNCTION;
    };
  }

  String describe() {
    return switch (this) {
      case STRING_LITERAL -> "STRING literal";
      case STRING_OR_BINARY -> "STRING or BINARY";
      case NUMBER_OR_INTERVAL -> "NUMBER or INTERVAL";
      case NUMBER_OR_DATETIME -> "NUMBER or DATE or TIME";
      default -> name();
    };
  }
}

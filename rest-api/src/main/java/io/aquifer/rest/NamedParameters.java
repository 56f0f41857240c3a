package io.aquifer.rest;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Databricks' named parameter markers ({@code :name}), and the JDBC driver's {@code ?} markers with
 * ordinals, rewritten into the statement service's positional {@code ?} markers, with each value
 * converted from its string and declared {@code type}. Markers inside string literals, quoted
 * identifiers and comments, and {@code ::} casts, are left alone.
 */
final class NamedParameters {
  /** One entry of the request's {@code parameters}. */
  record Parameter(String name, Optional<String> value, String type) {
    Parameter {
      requireNonNull(name, "name");
      requireNonNull(value, "value");
      requireNonNull(type, "type");
    }
  }

  /** The rewritten SQL and the values in marker order. */
  record Bound(String sql, List<Object> values) {}

  /** Key of a positional ({@code ?}) parameter: this prefix and its ordinal, from 1. */
  static final String ORDINAL_PREFIX = "?";

  private NamedParameters() {}

  static Bound bind(String sql, Map<String, Parameter> parameters) {
    StringBuilder out = new StringBuilder(sql.length());
    List<Object> values = new ArrayList<>();
    int positional = 0;
    int i = 0;
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      if (c == '\'' || c == '"' || c == '`') {
        int end = quotedEnd(sql, i, c);
        out.append(sql, i, end);
        i = end;
      } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        int end = sql.indexOf('\n', i);
        end = end < 0 ? n : end;
        out.append(sql, i, end);
        i = end;
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int end = sql.indexOf("*/", i + 2);
        end = end < 0 ? n : end + 2;
        out.append(sql, i, end);
        i = end;
      } else if (c == '?') {
        String key = ORDINAL_PREFIX + (positional + 1);
        positional++;
        Parameter p = parameters.get(key);
        if (p == null) {
          throw DatabricksApiException.invalidParameter(
              "[UNBOUND_SQL_PARAMETER] Found the unbound parameter: "
                  + positional
                  + ". Please fix `parameters` to provide a value for it. SQLSTATE: 42P02");
        }
        out.append("CAST(? AS ").append(sqlType(p)).append(')');
        values.add(value(p));
        i++;
      } else if (c == ':' && i + 1 < n && sql.charAt(i + 1) == ':') {
        out.append("::");
        i += 2;
      } else if (c == ':'
          && i + 1 < n
          && (Character.isLetter(sql.charAt(i + 1)) || sql.charAt(i + 1) == '_')) {
        int end = i + 1;
        while (end < n && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '_')) {
          end++;
        }
        String name = sql.substring(i + 1, end);
        Parameter p = parameters.get(name);
        if (p == null) {
          throw DatabricksApiException.invalidParameter(
              "[UNBOUND_SQL_PARAMETER] Found the unbound parameter: "
                  + name
                  + ". Please fix `parameters` to provide a value for it. SQLSTATE: 42P02");
        }
        out.append("CAST(? AS ").append(sqlType(p)).append(')');
        values.add(value(p));
        i = end;
      } else {
        out.append(c);
        i++;
      }
    }
    return new Bound(out.toString(), values);
  }

  private static int quotedEnd(String sql, int start, char quote) {
    int i = start + 1;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      if (c == '\\' && quote != '`') {
        i += 2;
      } else if (c == quote) {
        if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
          i += 2;
        } else {
          return i + 1;
        }
      } else {
        i++;
      }
    }
    return sql.length();
  }

  private static final java.util.regex.Pattern DECIMAL =
      java.util.regex.Pattern.compile(
          "(?:DECIMAL|DEC|NUMERIC)\\s*(?:\\(\\s*(\\d{1,2})\\s*(?:,\\s*(\\d{1,2})\\s*)?\\))?");

  /**
   * The SQL type a marker is cast to, so that it types like Databricks' typed parameters (a bare
   * marker has no type where the statement gives it none: {@code SELECT :p}).
   */
  static String sqlType(Parameter p) {
    String type = p.type().trim().toUpperCase(Locale.ROOT);
    java.util.regex.Matcher decimal = DECIMAL.matcher(type);
    if (decimal.matches()) {
      String precision = decimal.group(1) == null ? "10" : decimal.group(1);
      String scale = decimal.group(2) == null ? "0" : decimal.group(2);
      return "DECIMAL(" + precision + ", " + scale + ")";
    }
    return switch (type) {
      case "STRING", "VARCHAR", "CHAR" -> "STRING";
      case "BOOLEAN" -> "BOOLEAN";
      case "TINYINT", "BYTE" -> "TINYINT";
      case "SMALLINT", "SHORT" -> "SMALLINT";
      case "INT", "INTEGER" -> "INT";
      case "BIGINT", "LONG" -> "BIGINT";
      case "FLOAT", "REAL" -> "FLOAT";
      case "DOUBLE" -> "DOUBLE";
      case "DATE" -> "DATE";
      case "TIMESTAMP" -> "TIMESTAMP";
      case "TIMESTAMP_NTZ" -> "TIMESTAMP_NTZ";
      case "BINARY" -> "BINARY";
      default ->
          throw DatabricksApiException.invalidParameter(
              "parameter '" + p.name() + "' has an unsupported type: " + p.type());
    };
  }

  /** The Java value of a parameter, as its declared Databricks type reads its string. */
  static Object value(Parameter p) {
    if (p.value().isEmpty()) {
      return null;
    }
    String v = p.value().get();
    String type = p.type().trim().toUpperCase(Locale.ROOT);
    String base = type.contains("(") ? type.substring(0, type.indexOf('(')).trim() : type;
    try {
      return switch (base) {
        case "STRING", "VARCHAR", "CHAR" -> v;
        case "BOOLEAN" ->
            switch (v.trim().toLowerCase(Locale.ROOT)) {
              case "true" -> Boolean.TRUE;
              case "false" -> Boolean.FALSE;
              default -> throw new IllegalArgumentException("not a boolean");
            };
        case "TINYINT", "BYTE", "SMALLINT", "SHORT", "INT", "INTEGER" -> Integer.valueOf(v.trim());
        case "BIGINT", "LONG" -> Long.valueOf(v.trim());
        case "FLOAT", "REAL", "DOUBLE" -> Double.valueOf(v.trim());
        case "DECIMAL", "DEC", "NUMERIC" -> new BigDecimal(v.trim());
        case "DATE" -> LocalDate.parse(v.trim());
        case "TIMESTAMP" -> timestamp(v.trim());
        case "TIMESTAMP_NTZ" -> LocalDateTime.parse(v.trim().replace(' ', 'T'));
        case "BINARY" -> Base64.getDecoder().decode(v.trim());
        default ->
            throw DatabricksApiException.invalidParameter(
                "parameter '" + p.name() + "' has an unsupported type: " + p.type());
      };
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw DatabricksApiException.invalidParameter(
          "parameter '" + p.name() + "': '" + v + "' is not a valid " + p.type());
    }
  }

  private static Object timestamp(String v) {
    String iso = v.replace(' ', 'T');
    try {
      return OffsetDateTime.parse(iso).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return Instant.parse(iso);
      } catch (DateTimeParseException e2) {
        return LocalDateTime.parse(iso);
      }
    }
  }
}

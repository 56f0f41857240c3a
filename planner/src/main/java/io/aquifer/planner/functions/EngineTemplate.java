package io.aquifer.planner.functions;

import java.util.List;
import java.util.Locale;

/**
 * DuckDB SQL with placeholders for a call's arguments:
 *
 * <ul>
 *   <li>{@code $1} ... {@code $9}: an argument's SQL, in parentheses unless it is a name or
 *       literal;
 *   <li>{@code $*}: all arguments, comma separated; {@code $2*}: the second and those after it;
 *   <li>{@code $|}: all arguments as strings joined by {@code ||} (NULL if any is NULL);
 *   <li>{@code $D}: {@code DISTINCT } when an aggregate call has DISTINCT;
 *   <li>{@code $R}: the DuckDB type of the call's result (the engine binder puts it in);
 *   <li>{@code $1:unit}: a date-time unit literal in DuckDB's name ({@code 'MM'} is {@code
 *       'month'}); {@code $2:strftime}: a Spark date-time pattern literal as a strftime format;
 *       {@code $3:type}: a Spark type name literal as the engine's type name.
 * </ul>
 */
public final class EngineTemplate {
  private EngineTemplate() {}

  static String render(
      String template, List<String> operands, List<String> literals, boolean distinct, String fn) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < template.length()) {
      char c = template.charAt(i);
      if (c != '$' || i + 1 >= template.length()) {
        out.append(c);
        i++;
        continue;
      }
      char next = template.charAt(i + 1);
      if (next == 'D') {
        out.append(distinct ? "DISTINCT " : "");
        i += 2;
      } else if (next == '|') {
        out.append(
            String.join(" || ", operands.stream().map(o -> "CAST(" + o + " AS VARCHAR)").toList()));
        i += 2;
      } else if (next == '*') {
        out.append(String.join(", ", operands));
        i += 2;
      } else if (Character.isDigit(next)) {
        int index = next - '1';
        i += 2;
        if (i < template.length() && template.charAt(i) == '*') {
          out.append(
              String.join(
                  ", ", operands.subList(Math.min(index, operands.size()), operands.size())));
          i++;
        } else if (i < template.length() && template.charAt(i) == ':') {
          int end = i + 1;
          while (end < template.length() && Character.isLetter(template.charAt(end))) {
            end++;
          }
          String transform = template.substring(i + 1, end);
          out.append(transform(transform, literals.get(index), fn));
          i = end;
        } else {
          out.append(parenthesized(operands.get(index)));
        }
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  private static String parenthesized(String sql) {
    if (sql.matches(
        "[A-Za-z_][A-Za-z_0-9]*|\"[^\"]*\"(\\.\"[^\"]*\")*|-?\\d+(\\.\\d+)?|'([^']|'')*'")) {
      return sql;
    }
    return "(" + sql + ")";
  }

  private static String transform(String transform, String literal, String fn) {
    if (literal == null) {
      throw new IllegalStateException(fn + ": a literal argument was expected");
    }
    return switch (transform) {
      case "unit" -> quote(DateTimeUnits.duckDbUnit(literal, fn));
      case "strftime" -> quote(SparkDateTimePattern.toStrftime(literal));
      case "lower" -> quote(literal.toLowerCase(Locale.ROOT));
      case "type" -> VariantFunctions.engineType(literal);
      default -> throw new IllegalStateException("unknown template transform " + transform);
    };
  }

  static String quote(String text) {
    return "'" + text.replace("'", "''") + "'";
  }
}

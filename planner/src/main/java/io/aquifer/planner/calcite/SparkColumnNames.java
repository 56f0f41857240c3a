package io.aquifer.planner.calcite;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.calcite.sql.SqlBasicTypeNameSpec;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlNumericLiteral;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlSyntax;
import org.apache.calcite.sql.dialect.AnsiSqlDialect;
import org.apache.calcite.sql.fun.SqlCase;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.util.SqlBasicVisitor;

/**
 * Names the unaliased expressions of every SELECT as Databricks (Spark) does, instead of Calcite's
 * {@code EXPR$n}: the expression's SQL text, pretty-printed. {@code count(*)} is {@code count(1)},
 * {@code 1 + 1} is {@code (1 + 1)}, {@code upper(t.name)} is {@code upper(name)}, {@code 'a'} is
 * {@code a}, {@code CAST(a AS INT)} is {@code a}. The rules follow Spark's pretty SQL of an
 * expression: columns by their own name, literals by their value, operators in parentheses with
 * spaces, functions by their lower-case name with the arguments separated by {@code ", "}.
 *
 * <p>{@link #apply} adds an explicit {@code AS} to each such item of the parsed tree, before
 * validation, so the name is the column's everywhere (the result, views, derived tables). A name
 * that looks like a plain identifier ({@code CAST(a AS INT)} named {@code a}, {@code 'x'} named
 * {@code x}) could change what a GROUP BY, HAVING, ORDER BY or another select item of the same
 * SELECT refers to (they may name select aliases); when that name occurs there, the item gets the
 * expression's full text ({@code CAST(a AS INT)}, {@code 'x'}) instead.
 */
public final class SparkColumnNames {
  private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /**
   * The longest name given, in characters; a longer one is cut and ends with {@code ...}. Spark has
   * no limit, but a name as long as a 100 KB literal breaks the result's Arrow schema on its way to
   * the client, and drivers and BI tools show no more than this.
   */
  static final int MAX_NAME_LENGTH = 255;

  /** Spark's upper-case names of types in CAST, where they differ from Calcite's. */
  private static final Map<SqlTypeName, String> TYPE_NAMES =
      Map.ofEntries(
          Map.entry(SqlTypeName.INTEGER, "INT"),
          Map.entry(SqlTypeName.VARCHAR, "STRING"),
          Map.entry(SqlTypeName.CHAR, "STRING"),
          Map.entry(SqlTypeName.REAL, "FLOAT"),
          Map.entry(SqlTypeName.FLOAT, "FLOAT"),
          Map.entry(SqlTypeName.VARBINARY, "BINARY"),
          Map.entry(SqlTypeName.TIMESTAMP, "TIMESTAMP_NTZ"),
          Map.entry(SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE, "TIMESTAMP"));

  /** Operators Spark names by a function rather than an infix form. */
  private static final Set<SqlKind> FUNCTION_STYLE = Set.of(SqlKind.BETWEEN);

  private SparkColumnNames() {}

  /** Adds Spark's name as an explicit alias to every unaliased expression in a SELECT list. */
  public static void apply(SqlNode statement) {
    if (statement == null) {
      return;
    }
    Map<SqlSelect, SqlNodeList> orderLists = new IdentityHashMap<>();
    statement.accept(
        new SqlBasicVisitor<Void>() {
          @Override
          public Void visit(SqlCall call) {
            if (call instanceof SqlOrderBy orderBy && orderBy.query instanceof SqlSelect s) {
              orderLists.put(s, orderBy.orderList);
            }
            if (call instanceof SqlSelect select) {
              name(select, orderLists.get(select));
            }
            return super.visit(call);
          }
        });
  }

  private static void name(SqlSelect select, SqlNodeList outerOrderBy) {
    SqlNodeList items = select.getSelectList();
    if (items == null) {
      return;
    }
    for (int i = 0; i < items.size(); i++) {
      SqlNode item = items.get(i);
      if (item == null
          || item instanceof SqlIdentifier
          || item instanceof org.apache.calcite.sql.SqlStarExclude
          || item.getKind() == SqlKind.AS) {
        continue;
      }
      String name = columnName(item);
      if (PLAIN_NAME.matcher(name).matches()
          && referencedElsewhere(select, outerOrderBy, i, name)) {
        name = explicitText(item);
      }
      if (name.length() > MAX_NAME_LENGTH) {
        name = name.substring(0, MAX_NAME_LENGTH - 3) + "...";
      }
      items.set(
          i,
          SqlStdOperatorTable.AS.createCall(
              item.getParserPosition(), item, new SqlIdentifier(name, SqlParserPos.ZERO)));
    }
  }

  /**
   * Whether {@code name} is a name used in the clauses of the SELECT that may refer to its select
   * aliases: the other select items, GROUP BY, HAVING, QUALIFY, ORDER BY.
   */
  private static boolean referencedElsewhere(
      SqlSelect select, SqlNodeList outerOrderBy, int item, String name) {
    List<SqlNode> scopes = new ArrayList<>();
    SqlNodeList items = select.getSelectList();
    for (int i = 0; i < items.size(); i++) {
      if (i != item) {
        scopes.add(items.get(i));
      }
    }
    scopes.add(select.getGroup());
    scopes.add(select.getHaving());
    scopes.add(select.getQualify());
    scopes.add(select.getOrderList());
    scopes.add(outerOrderBy);
    String lower = name.toLowerCase(Locale.ROOT);
    boolean[] found = {false};
    SqlBasicVisitor<Void> finder =
        new SqlBasicVisitor<>() {
          @Override
          public Void visit(SqlIdentifier id) {
            for (String part : id.names) {
              if (part.toLowerCase(Locale.ROOT).equals(lower)) {
                found[0] = true;
              }
            }
            return null;
          }
        };
    for (SqlNode scope : scopes) {
      if (scope != null) {
        scope.accept(finder);
      }
    }
    return found[0];
  }

  /** The name Spark gives an unaliased select item. */
  public static String columnName(SqlNode item) {
    if (item.getKind() == SqlKind.CAST
        && ((SqlCall) item).operand(0) instanceof SqlIdentifier id
        && !id.isStar()) {
      // A cast of a column keeps the column's name.
      return last(id);
    }
    return text(item);
  }

  /** The text of an item whose Spark name could be taken for a column: with its CAST or quotes. */
  private static String explicitText(SqlNode item) {
    if (item instanceof SqlLiteral literal
        && SqlTypeName.CHAR_TYPES.contains(literal.getTypeName())) {
      return "'" + literal.getValueAs(String.class) + "'";
    }
    return text(item);
  }

  /** Spark's pretty SQL of an expression. */
  static String text(SqlNode node) {
    if (node == null) {
      return "NULL";
    }
    if (node instanceof SqlIdentifier id) {
      return id.isStar() ? "*" : last(id);
    }
    if (node instanceof SqlLiteral literal) {
      return literal(literal);
    }
    if (node instanceof SqlDynamicParam) {
      return "?";
    }
    if (node instanceof SqlNodeList list) {
      return list.stream().map(SparkColumnNames::text).collect(Collectors.joining(", "));
    }
    if (node instanceof SqlCase c) {
      return caseText(c);
    }
    if (node instanceof SqlSelect || node instanceof SqlOrderBy) {
      return "scalarsubquery()";
    }
    if (node instanceof SqlCall call) {
      return callText(call);
    }
    return fallback(node);
  }

  private static String literal(SqlLiteral literal) {
    if (literal.getTypeName() == SqlTypeName.NULL) {
      return "NULL";
    }
    if (literal instanceof SqlNumericLiteral n) {
      return n.toValue();
    }
    if (literal.getTypeName() == SqlTypeName.BOOLEAN) {
      return String.valueOf(literal.booleanValue());
    }
    if (SqlTypeName.CHAR_TYPES.contains(literal.getTypeName())) {
      return literal.getValueAs(String.class);
    }
    if (literal.getTypeName() == SqlTypeName.SYMBOL) {
      return String.valueOf(literal.getValue());
    }
    return fallback(literal);
  }

  private static String callText(SqlCall call) {
    SqlKind kind = call.getKind();
    List<SqlNode> operands = call.getOperandList();
    switch (kind) {
      case AS:
        return text(call.operand(0));
      case CAST:
        return "CAST(" + text(call.operand(0)) + " AS " + typeName(call.operand(1)) + ")";
      case MINUS_PREFIX:
        if (call.operand(0) instanceof SqlNumericLiteral n) {
          return "-" + n.toValue();
        }
        return "(- " + text(call.operand(0)) + ")";
      case PLUS_PREFIX:
        return "(+ " + text(call.operand(0)) + ")";
      case NOT:
        return "(NOT " + text(call.operand(0)) + ")";
      case IS_NULL:
        return "(" + text(call.operand(0)) + " IS NULL)";
      case IS_NOT_NULL:
        return "(" + text(call.operand(0)) + " IS NOT NULL)";
      case NOT_EQUALS:
        // Spark has no "not equal" expression: a <> b is NOT (a = b).
        return "(NOT (" + text(call.operand(0)) + " = " + text(call.operand(1)) + "))";
      case IN:
        return "(" + text(call.operand(0)) + " IN (" + text(call.operand(1)) + "))";
      case NOT_IN:
        return "(NOT (" + text(call.operand(0)) + " IN (" + text(call.operand(1)) + ")))";
      case SCALAR_QUERY:
        return "scalarsubquery()";
      case EXISTS:
        return "exists()";
      case ITEM:
        return text(call.operand(0)) + "[" + text(call.operand(1)) + "]";
      default:
        break;
    }
    if (FUNCTION_STYLE.contains(kind)) {
      return kind.lowerName + "(" + joined(operands.subList(0, Math.min(3, operands.size()))) + ")";
    }
    if (kind == SqlKind.OTHER && "||".equals(call.getOperator().getName())) {
      return "concat(" + joined(operands) + ")";
    }
    SqlSyntax syntax = call.getOperator().getSyntax();
    if (syntax == SqlSyntax.BINARY && operands.size() == 2) {
      String op = call.getOperator().getName();
      op = op.chars().allMatch(Character::isLetter) ? spaced(op) : op;
      return "(" + text(operands.get(0)) + " " + op + " " + text(operands.get(1)) + ")";
    }
    if (call.getOperator() instanceof SqlFunction || syntax == SqlSyntax.FUNCTION_ID) {
      return function(call);
    }
    return fallback(call);
  }

  /** AND, OR keep Spark's upper case; DIV is lower case in Spark's names. */
  private static String spaced(String word) {
    return word.equalsIgnoreCase("div") ? "div" : word.toUpperCase(Locale.ROOT);
  }

  private static String function(SqlCall call) {
    String name = call.getOperator().getName().toLowerCase(Locale.ROOT);
    List<SqlNode> operands = call.getOperandList();
    if (name.equals("count")
        && (operands.isEmpty()
            || operands.size() == 1
                && operands.get(0) instanceof SqlIdentifier id
                && id.isStar())) {
      return "count(1)";
    }
    if (name.equals("if") && operands.size() == 3) {
      return "(IF(" + joined(operands) + "))";
    }
    if (name.equals("sqrt")) {
      name = "SQRT";
    }
    String distinct =
        call.getFunctionQuantifier() != null
                && "DISTINCT".equalsIgnoreCase(call.getFunctionQuantifier().toValue())
            ? "DISTINCT "
            : "";
    return name + "(" + distinct + joined(operands) + ")";
  }

  private static String caseText(SqlCase c) {
    StringBuilder out = new StringBuilder("CASE");
    SqlNode value = c.getValueOperand();
    SqlNodeList whens = c.getWhenOperands();
    SqlNodeList thens = c.getThenOperands();
    for (int i = 0; i < whens.size(); i++) {
      String when =
          value == null ? text(whens.get(i)) : "(" + text(value) + " = " + text(whens.get(i)) + ")";
      out.append(" WHEN ").append(when).append(" THEN ").append(text(thens.get(i)));
    }
    SqlNode otherwise = c.getElseOperand();
    if (otherwise != null
        && !(otherwise instanceof SqlLiteral l && l.getTypeName() == SqlTypeName.NULL)) {
      out.append(" ELSE ").append(text(otherwise));
    }
    return out.append(" END").toString();
  }

  private static String typeName(SqlNode spec) {
    if (spec instanceof SqlDataTypeSpec type
        && type.getTypeNameSpec() instanceof SqlBasicTypeNameSpec basic) {
      SqlTypeName name = SqlTypeName.get(basic.getTypeName().getSimple());
      if (name == SqlTypeName.DECIMAL) {
        int precision = basic.getPrecision() < 0 ? 10 : basic.getPrecision();
        int scale = basic.getScale() < 0 ? 0 : basic.getScale();
        return "DECIMAL(" + precision + "," + scale + ")";
      }
      if (name != null) {
        return TYPE_NAMES.getOrDefault(name, name.getName());
      }
    }
    return fallback(spec).toUpperCase(Locale.ROOT);
  }

  private static String joined(List<SqlNode> operands) {
    return operands.stream().map(SparkColumnNames::text).collect(Collectors.joining(", "));
  }

  /** Calcite's own SQL text of what the rules above do not cover: readable, never EXPR$n. */
  private static String fallback(SqlNode node) {
    return node.toSqlString(
            c -> c.withDialect(AnsiSqlDialect.DEFAULT).withQuoteAllIdentifiers(false))
        .getSql()
        .replaceAll("\\s+", " ");
  }

  /** A column's own name: the last part of a qualified name ({@code t.x} is {@code x}). */
  private static String last(SqlIdentifier id) {
    return id.names.get(id.names.size() - 1);
  }
}

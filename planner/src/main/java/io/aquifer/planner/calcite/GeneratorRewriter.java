package io.aquifer.planner.calcite;

import io.aquifer.planner.PlannerErrorCode;
import io.aquifer.planner.PlannerException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLambda;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlUnresolvedFunction;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.util.SqlBasicVisitor;

/**
 * Spark's generators of several columns in a SELECT list, written as generators of one column each
 * before validation. The engine runs the one-column generators of one SELECT side by side (row i of
 * each together), so:
 *
 * <pre>
 * SELECT posexplode(a)          SELECT explode(transform(a, (e, i) -&gt; i)) AS pos, explode(a) AS col
 * SELECT posexplode_outer(a)    the same with explode_outer
 * SELECT stack(2, x, y, z)      SELECT explode(array(x, z)) AS col0, explode(array(y, NULL)) AS col1
 * SELECT explode(a)             SELECT explode(a) AS col
 * </pre>
 *
 * Spark's named argument of the generators ({@code explode(collection => a)}, {@code inline(input
 * => a)}) is accepted in the same pass; another name fails with UNRECOGNIZED_PARAMETER_NAME.
 */
public final class GeneratorRewriter {
  private GeneratorRewriter() {}

  private static final Set<String> COLLECTION_GENERATORS =
      Set.of("explode", "explode_outer", "posexplode", "posexplode_outer");
  private static final Set<String> INPUT_GENERATORS =
      Set.of("inline", "inline_outer", "variant_explode", "variant_explode_outer");

  /** Rewrites the generators of every SELECT list of the tree in place. */
  public static void rewrite(SqlNode node) {
    node.accept(
        new SqlBasicVisitor<Void>() {
          @Override
          public Void visit(SqlCall call) {
            String name = functionName(call);
            if (name != null) {
              unnameArgument(call, name);
            }
            Void result = super.visit(call);
            if (call instanceof SqlSelect select) {
              rewriteSelectList(select);
            }
            return result;
          }
        });
  }

  /** The lower-case name of a plain function call, or null. */
  private static String functionName(SqlCall call) {
    if (call.getOperator() instanceof SqlUnresolvedFunction f
        && call.getOperator().getNameAsId().isSimple()) {
      return f.getName().toLowerCase(Locale.ROOT);
    }
    return null;
  }

  /** {@code explode(collection => a)} is {@code explode(a)}. */
  private static void unnameArgument(SqlCall call, String name) {
    String parameter =
        COLLECTION_GENERATORS.contains(name)
            ? "collection"
            : INPUT_GENERATORS.contains(name) ? "input" : null;
    if (parameter == null || call.operandCount() != 1) {
      return;
    }
    SqlNode operand = call.operand(0);
    if (operand.getKind() != SqlKind.ARGUMENT_ASSIGNMENT) {
      return;
    }
    SqlCall assignment = (SqlCall) operand;
    String given = ((SqlIdentifier) assignment.operand(1)).getSimple();
    if (!given.equalsIgnoreCase(parameter)) {
      throw new PlannerException(
          PlannerErrorCode.UNRESOLVED_ROUTINE,
          name + " has no parameter named " + given + "; its parameter is " + parameter,
          operand.getParserPosition().getLineNum(),
          operand.getParserPosition().getColumnNum(),
          null);
    }
    call.setOperand(0, assignment.operand(0));
  }

  private static void rewriteSelectList(SqlSelect select) {
    SqlNodeList list = select.getSelectList();
    if (list == null) {
      return;
    }
    List<SqlNode> items = new ArrayList<>();
    boolean changed = false;
    for (SqlNode item : list) {
      List<SqlNode> expanded = expand(item);
      if (expanded == null) {
        items.add(item);
      } else {
        items.addAll(expanded);
        changed = true;
      }
    }
    if (changed) {
      select.setSelectList(new SqlNodeList(items, list.getParserPosition()));
    }
  }

  /** The one-column items an item of several generated columns stands for, or null. */
  private static List<SqlNode> expand(SqlNode item) {
    SqlNode expression = item;
    if (item.getKind() == SqlKind.AS) {
      expression = ((SqlCall) item).operand(0);
    }
    if (!(expression instanceof SqlCall call)) {
      return null;
    }
    String name = functionName(call);
    if (name == null) {
      return null;
    }
    SqlParserPos pos = call.getParserPosition();
    List<SqlNode> columns;
    switch (name) {
      case "explode", "explode_outer" -> {
        // Spark's name for the generated column.
        return item == expression ? List.of(as(call, "col")) : null;
      }
      case "posexplode", "posexplode_outer" -> {
        if (call.operandCount() != 1) {
          throw arity(call, name + " takes one argument, an array");
        }
        String explode = name.equals("posexplode") ? "explode" : "explode_outer";
        SqlNode array = call.operand(0);
        SqlNode positions =
            function(
                "transform",
                pos,
                array,
                new SqlLambda(
                    pos,
                    SqlNodeList.of(
                        new SqlIdentifier("__aquifer_e", pos),
                        new SqlIdentifier("__aquifer_i", pos)),
                    new SqlIdentifier("__aquifer_i", pos)));
        columns =
            List.of(
                as(function(explode, pos, positions), "pos"),
                as(function(explode, pos, array), "col"));
      }
      case "stack" -> {
        if (call.operandCount() < 2) {
          throw arity(call, "stack takes the number of rows and at least one value");
        }
        int rows = rowCount(call.operand(0));
        int values = call.operandCount() - 1;
        int width = (values + rows - 1) / rows;
        columns = new ArrayList<>();
        for (int column = 0; column < width; column++) {
          List<SqlNode> cells = new ArrayList<>();
          for (int row = 0; row < rows; row++) {
            int index = 1 + row * width + column;
            cells.add(
                index < call.operandCount() ? call.operand(index) : SqlLiteral.createNull(pos));
          }
          columns.add(as(function("explode", pos, function("array", pos, cells)), "col" + column));
        }
      }
      default -> {
        return null;
      }
    }
    if (item != expression) {
      throw new PlannerException(
          PlannerErrorCode.INVALID_STATEMENT,
          name
              + " generates "
              + columns.size()
              + " columns; one alias cannot name them (write the generator without AS and rename"
              + " its columns in an outer query)",
          pos.getLineNum(),
          pos.getColumnNum(),
          null);
    }
    return columns;
  }

  private static int rowCount(SqlNode n) {
    if (n instanceof SqlLiteral literal && literal.getValue() != null) {
      try {
        int rows = literal.intValue(true);
        if (rows > 0) {
          return rows;
        }
      } catch (RuntimeException e) {
        // not an integer: refused below
      }
    }
    throw new PlannerException(
        PlannerErrorCode.INVALID_STATEMENT,
        "the first argument of stack, the number of rows, must be a positive integer literal",
        n.getParserPosition().getLineNum(),
        n.getParserPosition().getColumnNum(),
        null);
  }

  private static PlannerException arity(SqlCall call, String message) {
    return new PlannerException(
        PlannerErrorCode.INVALID_STATEMENT,
        message,
        call.getParserPosition().getLineNum(),
        call.getParserPosition().getColumnNum(),
        null);
  }

  private static SqlNode function(String name, SqlParserPos pos, SqlNode... operands) {
    return function(name, pos, List.of(operands));
  }

  private static SqlNode function(String name, SqlParserPos pos, List<SqlNode> operands) {
    SqlIdentifier id = new SqlIdentifier(name, pos);
    return new SqlBasicCall(
        new SqlUnresolvedFunction(
            id, null, null, null, null, SqlFunctionCategory.USER_DEFINED_FUNCTION),
        operands,
        pos);
  }

  private static SqlNode as(SqlNode expression, String alias) {
    SqlParserPos pos = expression.getParserPosition();
    return SqlStdOperatorTable.AS.createCall(pos, expression, new SqlIdentifier(alias, pos));
  }
}

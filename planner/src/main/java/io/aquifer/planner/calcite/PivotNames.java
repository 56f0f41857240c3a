package io.aquifer.planner.calcite;

import java.util.stream.Collectors;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlPivot;
import org.apache.calcite.sql.SqlUnpivot;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.util.SqlBasicVisitor;

/**
 * Names the columns of {@code PIVOT} and the values of {@code UNPIVOT} as Databricks (Spark) does;
 * Calcite computes the pivot itself (one filtered aggregate per value, grouped by the other
 * columns).
 *
 * <ul>
 *   <li>A value without an alias is named by its text: {@code 'Q1'} gives column {@code Q1}
 *       (Calcite would keep the quotes), a tuple {@code ('Q1', 'EU')} gives {@code {Q1, EU}};
 *   <li>with one aggregate the columns are named by the value alone, even when the aggregate has an
 *       alias; with several, {@code value_aggregate}, the aggregate by its alias or else its SQL
 *       ({@code Q1_sum(amount)}).
 * </ul>
 */
public final class PivotNames {
  private PivotNames() {}

  /** Names the values and aggregates of every PIVOT of the tree, in place. */
  public static void apply(SqlNode node) {
    node.accept(
        new SqlBasicVisitor<Void>() {
          @Override
          public Void visit(SqlCall call) {
            if (call instanceof SqlPivot pivot) {
              name(pivot);
            }
            if (call instanceof SqlUnpivot unpivot) {
              name(unpivot);
            }
            return super.visit(call);
          }
        });
  }

  private static void name(SqlPivot pivot) {
    SqlNodeList aggregates = pivot.aggList;
    boolean single = aggregates.size() == 1;
    for (int i = 0; i < aggregates.size(); i++) {
      SqlNode aggregate = aggregates.get(i);
      boolean aliased = aggregate.getKind() == SqlKind.AS;
      if (single && aliased) {
        aggregates.set(i, ((SqlCall) aggregate).operand(0));
      } else if (!single && !aliased) {
        aggregates.set(i, as(aggregate, SparkColumnNames.text(aggregate)));
      }
    }
    SqlNodeList values = pivot.inList;
    for (int i = 0; i < values.size(); i++) {
      SqlNode value = values.get(i);
      if (value.getKind() != SqlKind.AS) {
        values.set(i, as(value, valueName(value)));
      }
    }
  }

  /**
   * UNPIVOT's value aliases are names in Databricks ({@code q1 AS Q1}) and string literals in
   * Calcite ({@code q1 AS 'Q1'}): a name becomes the string of its text.
   */
  private static void name(SqlUnpivot unpivot) {
    for (SqlNode item : unpivot.inList) {
      if (item.getKind() != SqlKind.AS) {
        continue;
      }
      SqlCall as = (SqlCall) item;
      SqlNode alias = as.operand(1);
      if (alias instanceof SqlNodeList list) {
        for (int i = 0; i < list.size(); i++) {
          list.set(i, literal(list.get(i)));
        }
      } else {
        as.setOperand(1, literal(alias));
      }
    }
  }

  private static SqlNode literal(SqlNode alias) {
    if (alias instanceof SqlIdentifier id && id.isSimple()) {
      return SqlLiteral.createCharString(id.getSimple(), id.getParserPosition());
    }
    return alias;
  }

  /** Spark's name for a pivot value: the value cast to a string. */
  private static String valueName(SqlNode value) {
    if (value instanceof SqlNodeList tuple) {
      if (tuple.size() == 1) {
        return valueName(tuple.get(0));
      }
      return tuple.stream().map(PivotNames::valueName).collect(Collectors.joining(", ", "{", "}"));
    }
    if (value.getKind() == SqlKind.ROW) {
      return valueName(new SqlNodeList(((SqlCall) value).getOperandList(), SqlParserPos.ZERO));
    }
    if (value instanceof SqlLiteral literal && literal.getTypeName() == SqlTypeName.NULL) {
      return "null";
    }
    return SparkColumnNames.text(value);
  }

  private static SqlNode as(SqlNode node, String name) {
    SqlParserPos pos = node.getParserPosition();
    return new SqlBasicCall(
        SqlStdOperatorTable.AS, new SqlNode[] {node, new SqlIdentifier(name, pos)}, pos);
  }
}

package io.aquifer.planner.parse;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * Databricks' {@code MERGE INTO target [alias] USING source ON condition} followed by any number of
 * {@code WHEN MATCHED | WHEN NOT MATCHED [BY TARGET] | WHEN NOT MATCHED BY SOURCE} clauses, as the
 * generated parser ({@code parserImpls.ftl}) reads it. The clauses keep their order: within a group
 * the first whose condition holds acts on a row.
 */
public final class SqlMergeInto extends SqlCall {
  static final SqlOperator OPERATOR = new SqlSpecialOperator("MERGE INTO", SqlKind.MERGE);

  /** Which rows a clause acts on. */
  public enum When {
    /** A target row with a matching source row. */
    MATCHED,
    /** A source row without a matching target row (inserted). */
    NOT_MATCHED,
    /** A target row without a matching source row. */
    NOT_MATCHED_BY_SOURCE
  }

  /** What a clause does to its rows. */
  public enum Action {
    UPDATE,
    UPDATE_STAR,
    DELETE,
    INSERT,
    INSERT_STAR
  }

  /**
   * One {@code WHEN} clause.
   *
   * @param condition the clause's {@code AND} condition, or null
   * @param columns UPDATE's assigned columns, INSERT's column list (null: all, in order)
   * @param values UPDATE's expressions or INSERT's values (null for DELETE and the star forms)
   */
  public record Clause(
      SqlParserPos pos,
      When when,
      SqlNode condition,
      Action action,
      SqlNodeList columns,
      SqlNodeList values) {
    public Clause {
      requireNonNull(pos, "pos");
      requireNonNull(when, "when");
      requireNonNull(action, "action");
    }
  }

  private final SqlIdentifier target;
  private final SqlIdentifier alias;
  private final SqlNode source;
  private final SqlNode condition;
  private final List<Clause> clauses;

  public SqlMergeInto(
      SqlParserPos pos,
      SqlIdentifier target,
      SqlIdentifier alias,
      SqlNode source,
      SqlNode condition,
      List<Clause> clauses) {
    super(pos);
    this.target = requireNonNull(target, "target");
    this.alias = alias;
    this.source = requireNonNull(source, "source");
    this.condition = requireNonNull(condition, "condition");
    this.clauses = List.copyOf(clauses);
  }

  public SqlIdentifier target() {
    return target;
  }

  /** The target's alias, or null. */
  public SqlIdentifier alias() {
    return alias;
  }

  public SqlNode source() {
    return source;
  }

  public SqlNode condition() {
    return condition;
  }

  public List<Clause> clauses() {
    return clauses;
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override
  public List<SqlNode> getOperandList() {
    List<SqlNode> operands = new ArrayList<>();
    operands.add(target);
    operands.add(alias);
    operands.add(source);
    operands.add(condition);
    // The clauses' expressions too, so that a visitor (the count of ? markers) sees them.
    for (Clause c : clauses) {
      operands.add(c.condition());
      operands.add(c.columns());
      operands.add(c.values());
    }
    return operands;
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("MERGE INTO");
    target.unparse(writer, 0, 0);
    if (alias != null) {
      writer.keyword("AS");
      alias.unparse(writer, 0, 0);
    }
    writer.keyword("USING");
    source.unparse(writer, 0, 0);
    writer.keyword("ON");
    condition.unparse(writer, 0, 0);
    for (Clause c : clauses) {
      writer.keyword("WHEN");
      writer.keyword(
          switch (c.when()) {
            case MATCHED -> "MATCHED";
            case NOT_MATCHED -> "NOT MATCHED";
            case NOT_MATCHED_BY_SOURCE -> "NOT MATCHED BY SOURCE";
          });
      if (c.condition() != null) {
        writer.keyword("AND");
        c.condition().unparse(writer, 0, 0);
      }
      writer.keyword("THEN");
      switch (c.action()) {
        case DELETE -> writer.keyword("DELETE");
        case UPDATE_STAR -> writer.keyword("UPDATE SET *");
        case INSERT_STAR -> writer.keyword("INSERT *");
        case UPDATE -> {
          writer.keyword("UPDATE SET");
          for (int i = 0; i < c.columns().size(); i++) {
            if (i > 0) {
              writer.sep(",");
            }
            c.columns().get(i).unparse(writer, 0, 0);
            writer.keyword("=");
            c.values().get(i).unparse(writer, 0, 0);
          }
        }
        case INSERT -> {
          writer.keyword("INSERT");
          if (c.columns() != null) {
            SqlWriter.Frame frame = writer.startList("(", ")");
            for (SqlNode column : c.columns()) {
              writer.sep(",");
              column.unparse(writer, 0, 0);
            }
            writer.endList(frame);
          }
          writer.keyword("VALUES");
          SqlWriter.Frame frame = writer.startList("(", ")");
          for (SqlNode value : c.values()) {
            writer.sep(",");
            value.unparse(writer, 0, 0);
          }
          writer.endList(frame);
        }
      }
    }
  }
}

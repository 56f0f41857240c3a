package io.aquifer.exec.compile;

import org.apache.calcite.config.NullCollation;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.SqlDialect;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.dialect.DuckDBSqlDialect;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * Every difference between the SQL Calcite generates and the SQL DuckDB accepts lives here.
 *
 * <ul>
 *   <li>DuckDB sorts NULLs last in both directions, so ordering that Databricks defines as NULLS
 *       FIRST (ascending) is spelled out.
 *   <li>DuckDB rejects nested aggregates such as {@code MAX(SUM(x))} (TPC-H Q15), so the converter
 *       must keep them in separate SELECTs.
 *   <li>Type names in CAST: DuckDB's VARCHAR has no length, TIMESTAMP WITH LOCAL TIME ZONE is
 *       TIMESTAMPTZ, binary is BLOB.
 *   <li>Division needs no change: DuckDB's {@code /} on integers gives DOUBLE, as in Databricks.
 * </ul>
 */
public final class AquiferDuckDbDialect extends DuckDBSqlDialect {
  public static final SqlDialect.Context CONTEXT =
      DuckDBSqlDialect.DEFAULT_CONTEXT
          .withNullCollation(NullCollation.LAST)
          .withIdentifierQuoteString("\"");
  public static final AquiferDuckDbDialect INSTANCE = new AquiferDuckDbDialect();

  private AquiferDuckDbDialect() {
    super(CONTEXT);
  }

  @Override
  public boolean supportsNestedAggregations() {
    return false;
  }

  @Override
  public void unparseCall(SqlWriter writer, SqlCall call, int leftPrec, int rightPrec) {
    if (call.getOperator() == io.aquifer.planner.calcite.NamedStructFunction.INSTANCE) {
      // named_struct('a', x, 'b', y) -> struct_pack("a" := x, "b" := y)
      SqlWriter.Frame frame = writer.startFunCall("struct_pack");
      for (int i = 0; i + 1 < call.operandCount(); i += 2) {
        writer.sep(",");
        String name = ((org.apache.calcite.sql.SqlLiteral) call.operand(i)).getValueAs(String.class);
        writer.identifier(name, true);
        writer.print(":= ");
        call.operand(i + 1).unparse(writer, 0, 0);
      }
      writer.endFunCall(frame);
      return;
    }
    super.unparseCall(writer, call, leftPrec, rightPrec);
  }

  /** TIMESTAMP WITH LOCAL TIME ZONE literals (Databricks TIMESTAMP) are UTC TIMESTAMPTZ values. */
  @Override
  public void unparseDateTimeLiteral(
      SqlWriter writer,
      org.apache.calcite.sql.SqlAbstractDateTimeLiteral literal,
      int leftPrec,
      int rightPrec) {
    if (literal.getTypeName() == org.apache.calcite.sql.type.SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE) {
      writer.literal("TIMESTAMPTZ '" + literal.toFormattedString() + "+00'");
      return;
    }
    super.unparseDateTimeLiteral(writer, literal, leftPrec, rightPrec);
  }

  @Override
  public SqlNode getCastSpec(RelDataType type) {
    String name = duckDbType(type);
    if (name == null) {
      return super.getCastSpec(type);
    }
    return new SqlDataTypeSpec(new VerbatimTypeNameSpec(name), SqlParserPos.ZERO);
  }

  /**
   * A type name printed exactly as given. (Calcite prints alien type names as keywords, in upper
   * case, which would rename the fields of a STRUCT type.)
   */
  private static final class VerbatimTypeNameSpec extends org.apache.calcite.sql.SqlTypeNameSpec {
    private final String text;

    VerbatimTypeNameSpec(String text) {
      super(new org.apache.calcite.sql.SqlIdentifier(text, SqlParserPos.ZERO), SqlParserPos.ZERO);
      this.text = text;
    }

    @Override
    public RelDataType deriveType(org.apache.calcite.sql.validate.SqlValidator validator) {
      throw new UnsupportedOperationException("engine SQL is not validated by Calcite");
    }

    @Override
    public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
      writer.print(text);
      writer.setNeedWhitespace(true);
    }

    @Override
    public boolean equalsDeep(org.apache.calcite.sql.SqlTypeNameSpec spec, org.apache.calcite.util.Litmus litmus) {
      return spec instanceof VerbatimTypeNameSpec v && v.text.equals(text)
          || litmus.fail("{} != {}", this, spec);
    }
  }

  /** DuckDB's spelling of a type, or null to leave it to Calcite. */
  static String duckDbType(RelDataType type) {
    return switch (type.getSqlTypeName()) {
      case CHAR, VARCHAR -> "VARCHAR";
      case BINARY, VARBINARY -> "BLOB";
      case TIMESTAMP_WITH_LOCAL_TIME_ZONE, TIMESTAMP_TZ -> "TIMESTAMPTZ";
      case TIMESTAMP -> "TIMESTAMP";
      case REAL, FLOAT -> "FLOAT";
      case DOUBLE -> "DOUBLE";
      case TINYINT -> "TINYINT";
      case SMALLINT -> "SMALLINT";
      case INTEGER -> "INTEGER";
      case BIGINT -> "BIGINT";
      case BOOLEAN -> "BOOLEAN";
      case DATE -> "DATE";
      case DECIMAL -> "DECIMAL(" + type.getPrecision() + "," + type.getScale() + ")";
      case ARRAY -> {
        String element = duckDbType(type.getComponentType());
        yield element == null ? null : element + "[]";
      }
      case MAP -> {
        String key = duckDbType(type.getKeyType());
        String value = duckDbType(type.getValueType());
        yield key == null || value == null ? null : "MAP(" + key + ", " + value + ")";
      }
      case ROW -> {
        StringBuilder b = new StringBuilder("STRUCT(");
        for (var f : type.getFieldList()) {
          String t = duckDbType(f.getType());
          if (t == null) {
            yield null;
          }
          if (b.length() > 7) {
            b.append(", ");
          }
          b.append('"').append(f.getName().replace("\"", "\"\"")).append("\" ").append(t);
        }
        yield b.append(')').toString();
      }
      default -> null;
    };
  }
}

package io.aquifer.exec.compile;

import org.apache.calcite.config.NullCollation;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlDialect;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNumericLiteral;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.dialect.DuckDBSqlDialect;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
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
 *   <li>Division: DuckDB's {@code /} on integers gives DOUBLE, as in Databricks; a zero divisor
 *       fails (DIVIDE_BY_ZERO, 22012) as in Databricks' ANSI mode, where DuckDB would return
 *       infinity or NULL.
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

  /**
   * DuckDB reads {@code (VALUES (1), (2)) AS t (a)}. Calcite's DuckDB dialect says it does not, and
   * then prints a VALUES list as a chain of {@code UNION ALL}s, one level of nesting per row, which
   * overflows the stack from about a thousand rows.
   */
  @Override
  public boolean supportsAliasedValues() {
    return true;
  }

  /**
   * DuckDB does not cast strings implicitly ({@code varchar_column < 2.5} is a binder error), so
   * the casts Calcite's type coercion adds ({@code CAST(s AS DECIMAL)}) must be printed.
   */
  @Override
  public boolean supportsImplicitTypeCoercion(org.apache.calcite.rex.RexCall call) {
    return false;
  }

  @Override
  public void unparseCall(SqlWriter writer, SqlCall call, int leftPrec, int rightPrec) {
    if (call.getKind() == SqlKind.AS
        && call.operand(0) instanceof SqlCall sampled
        && sampled.getKind() == SqlKind.TABLESAMPLE) {
      // DuckDB takes no alias after a sample clause: the sampled table goes in parentheses.
      writer.print("(");
      unparseCall(writer, sampled, 0, 0);
      writer.print(")");
      writer.keyword("AS");
      call.operand(1).unparse(writer, 0, 0);
      if (call.operandCount() > 2) {
        writer.print("(");
        for (int i = 2; i < call.operandCount(); i++) {
          if (i > 2) {
            writer.print(", ");
          }
          call.operand(i).unparse(writer, 0, 0);
        }
        writer.print(")");
      }
      return;
    }
    if (call.getKind() == SqlKind.TABLESAMPLE
        && call.operand(1) instanceof org.apache.calcite.sql.SqlLiteral literal
        && literal.getValue()
            instanceof org.apache.calcite.sql.SqlSampleSpec.SqlTableSampleSpec spec) {
      unparseSample(writer, call.operand(0), spec);
      return;
    }
    if (call.getOperator() instanceof CatalogFunctionBinder.EngineFunction f) {
      printEngineSql(
          writer,
          f.function.toDuckDb(
              f.template,
              operandSql(call, f.function.spec().indexFromZero()),
              literals(call),
              false));
      return;
    }
    if (call.getOperator() instanceof io.aquifer.planner.functions.CatalogAggregateFunction f) {
      boolean distinct =
          call.getFunctionQuantifier() != null
              && "DISTINCT".equalsIgnoreCase(call.getFunctionQuantifier().toValue());
      printEngineSql(writer, f.toDuckDb(operandSql(call), literals(call), distinct));
      return;
    }
    if (call.getKind() == SqlKind.WITHIN_GROUP
        && call.operand(0) instanceof SqlCall aggregate
        && aggregate.getOperator()
            instanceof io.aquifer.planner.functions.CatalogAggregateFunction f) {
      // listagg(x) WITHIN GROUP (ORDER BY y) is DuckDB's string_agg(x, '' ORDER BY y).
      boolean distinct =
          aggregate.getFunctionQuantifier() != null
              && "DISTINCT".equalsIgnoreCase(aggregate.getFunctionQuantifier().toValue());
      java.util.List<String> order = new java.util.ArrayList<>();
      for (SqlNode item : (org.apache.calcite.sql.SqlNodeList) call.operand(1)) {
        order.add(item.toSqlString(this).getSql());
      }
      printEngineSql(
          writer,
          f.toDuckDb(
              operandSql(aggregate), literals(aggregate), distinct, String.join(", ", order)));
      return;
    }
    if (call.getKind() == SqlKind.RLIKE) {
      // Databricks' a RLIKE b: the regular expression matches somewhere in a.
      boolean negated =
          call.getOperator() == org.apache.calcite.sql.fun.SqlLibraryOperators.NOT_RLIKE;
      writer.print(negated ? "(NOT regexp_matches(" : "(regexp_matches(");
      call.operand(0).unparse(writer, 0, 0);
      writer.print(", ");
      call.operand(1).unparse(writer, 0, 0);
      writer.print("))");
      writer.setNeedWhitespace(true);
      return;
    }
    if (call.getKind() == SqlKind.LIKE && call.operandCount() == 2) {
      // Databricks' LIKE and ILIKE escape with a backslash unless told otherwise; DuckDB's do not.
      SqlCall escaped =
          call.getOperator()
              .createCall(
                  call.getParserPosition(),
                  call.operand(0),
                  call.operand(1),
                  org.apache.calcite.sql.SqlLiteral.createCharString("\\", SqlParserPos.ZERO));
      escaped.getOperator().unparse(writer, escaped, leftPrec, rightPrec);
      return;
    }
    if (call.getOperator() == SqlStdOperatorTable.BITXOR_OPERATOR
        || call.getOperator() == SqlStdOperatorTable.BITXOR) {
      // Databricks' a ^ b is bitwise XOR; DuckDB's ^ is a power.
      SqlWriter.Frame frame = writer.startFunCall("xor");
      for (SqlNode operand : call.getOperandList()) {
        writer.sep(",");
        operand.unparse(writer, 0, 0);
      }
      writer.endFunCall(frame);
      return;
    }
    if (call.getKind() == SqlKind.MAP_VALUE_CONSTRUCTOR
        || call.getOperator() == org.apache.calcite.sql.fun.SqlLibraryOperators.MAP) {
      // Spark's map(k1, v1, ...) is DuckDB's MAP {k1: v1, ...}.
      SqlWriter.Frame frame = writer.startList("MAP {", "}");
      for (int i = 0; i + 1 < call.operandCount(); i += 2) {
        writer.sep(",");
        call.operand(i).unparse(writer, 0, 0);
        writer.print(": ");
        call.operand(i + 1).unparse(writer, 0, 0);
      }
      writer.endList(frame);
      return;
    }
    if (call.getOperator() == io.aquifer.planner.calcite.NamedStructFunction.INSTANCE) {
      // named_struct('a', x, 'b', y) -> struct_pack("a" := x, "b" := y)
      SqlWriter.Frame frame = writer.startFunCall("struct_pack");
      for (int i = 0; i + 1 < call.operandCount(); i += 2) {
        writer.sep(",");
        String name =
            ((org.apache.calcite.sql.SqlLiteral) call.operand(i)).getValueAs(String.class);
        writer.identifier(name, true);
        writer.print(":= ");
        call.operand(i + 1).unparse(writer, 0, 0);
      }
      writer.endFunCall(frame);
      return;
    }
    if (call.getOperator() == org.apache.calcite.sql.fun.SqlLibraryOperators.ARRAY) {
      // Spark's array(a, b) is DuckDB's list_value(a, b); DuckDB reads ARRAY(...) as a sub-query.
      SqlWriter.Frame frame = writer.startFunCall("list_value");
      for (SqlNode operand : call.getOperandList()) {
        writer.sep(",");
        operand.unparse(writer, 0, 0);
      }
      writer.endFunCall(frame);
      return;
    }
    if (call.getOperator() == SqlStdOperatorTable.DIVIDE_INTEGER) {
      // Calcite's "/INT" (truncating division, from TIMESTAMPADD(MICROSECOND, ...)): DuckDB's //
      // for numbers, its / for an interval (which // does not take).
      boolean interval = isIntervalProduct(call.operand(0));
      SqlWriter.Frame frame = writer.startList("(", ")");
      call.operand(0).unparse(writer, 0, 0);
      writer.print(interval ? " / " : " // ");
      call.operand(1).unparse(writer, 0, 0);
      writer.endList(frame);
      return;
    }
    if (call.getKind() == SqlKind.DIVIDE
        && call.operandCount() == 2
        && !isNonZeroNumber(call.operand(1))
        && isSmallWithoutDivision(call.operand(1))) {
      unparseCheckedDivide(writer, call);
      return;
    }
    super.unparseCall(writer, call, leftPrec, rightPrec);
  }

  /** An interval literal, or a product with one. */
  private static boolean isIntervalProduct(SqlNode node) {
    if (node instanceof org.apache.calcite.sql.SqlIntervalLiteral) {
      return true;
    }
    return node instanceof SqlCall c
        && c.getKind() == SqlKind.TIMES
        && c.getOperandList().stream().anyMatch(AquiferDuckDbDialect::isIntervalProduct);
  }

  /** Prints a catalog function's engine SQL (already complete) in parentheses. */
  /**
   * Databricks' {@code TABLESAMPLE (p PERCENT)} (planned as a Bernoulli sample): DuckDB's Bernoulli
   * sample of each row with probability p / 100, with the seed when REPEATABLE gave one.
   */
  private static void unparseSample(
      SqlWriter writer,
      SqlNode table,
      org.apache.calcite.sql.SqlSampleSpec.SqlTableSampleSpec spec) {
    table.unparse(writer, 0, 0);
    writer.keyword("TABLESAMPLE");
    writer.print(
        "BERNOULLI("
            + spec.sampleRate
                .multiply(java.math.BigDecimal.valueOf(100))
                .stripTrailingZeros()
                .toPlainString()
            + " PERCENT)");
    if (spec.isRepeatable()) {
      writer.print(" REPEATABLE(" + spec.getRepeatableSeed() + ")");
    }
  }

  private static void printEngineSql(SqlWriter writer, String sql) {
    writer.print("(" + sql + ")");
    writer.setNeedWhitespace(true);
  }

  /** Each operand of a call as DuckDB SQL. */
  private java.util.List<String> operandSql(SqlCall call) {
    return operandSql(call, false);
  }

  /**
   * Each operand of a call as DuckDB SQL; lambdas as DuckDB's {@code lambda x, i: body}, with a
   * second (index) parameter shifted to count from 0 when {@code indexFromZero}.
   */
  private java.util.List<String> operandSql(SqlCall call, boolean indexFromZero) {
    java.util.List<String> sql = new java.util.ArrayList<>();
    for (SqlNode operand : call.getOperandList()) {
      if (operand instanceof org.apache.calcite.sql.SqlLambda lambda) {
        sql.add(lambdaSql(lambda, indexFromZero));
      } else {
        sql.add(operand == null ? "NULL" : operand.toSqlString(this).getSql());
      }
    }
    return sql;
  }

  private String lambdaSql(org.apache.calcite.sql.SqlLambda lambda, boolean indexFromZero) {
    java.util.List<String> names = new java.util.ArrayList<>();
    for (SqlNode p : lambda.getParameters()) {
      names.add(((org.apache.calcite.sql.SqlIdentifier) p).getSimple());
    }
    SqlNode body = lambda.getExpression();
    if (indexFromZero && names.size() == 2) {
      String index = names.get(1);
      body =
          body.accept(
              new org.apache.calcite.sql.util.SqlShuttle() {
                @Override
                public SqlNode visit(org.apache.calcite.sql.SqlIdentifier id) {
                  return id.isSimple() && id.getSimple().equals(index)
                      ? SqlStdOperatorTable.MINUS.createCall(
                          SqlParserPos.ZERO,
                          id,
                          SqlNumericLiteral.createExactNumeric("1", SqlParserPos.ZERO))
                      : id;
                }
              });
    }
    StringBuilder b = new StringBuilder("lambda ");
    for (int i = 0; i < names.size(); i++) {
      b.append(i > 0 ? ", " : "")
          .append('"')
          .append(names.get(i).replace("\"", "\"\""))
          .append('"');
    }
    return b.append(": ").append(body.toSqlString(this).getSql()).toString();
  }

  /** Each operand's value when it is a string literal, else null. */
  private static java.util.List<String> literals(SqlCall call) {
    java.util.List<String> values = new java.util.ArrayList<>();
    for (SqlNode operand : call.getOperandList()) {
      values.add(
          operand instanceof org.apache.calcite.sql.SqlCharStringLiteral literal
              ? literal.getValueAs(String.class)
              : null);
    }
    return values;
  }

  /**
   * {@code a / b} as {@code (a / CASE WHEN b = 0 THEN error('Division by zero') ELSE b END)}:
   * Databricks SQL (ANSI mode) fails with DIVIDE_BY_ZERO (22012) where DuckDB returns infinity or
   * NULL. The engine's error is translated to SQLSTATE 22012 by its message.
   */
  private static void unparseCheckedDivide(SqlWriter writer, SqlCall call) {
    SqlWriter.Frame frame = writer.startList("(", ")");
    call.operand(0).unparse(writer, 0, call.getOperator().getLeftPrec());
    writer.sep("/");
    writer.keyword("CASE WHEN");
    call.operand(1).unparse(writer, 0, SqlStdOperatorTable.EQUALS.getLeftPrec());
    writer.print("= 0");
    writer.keyword("THEN");
    writer.print("error('" + DIVISION_BY_ZERO_MESSAGE + "')");
    writer.keyword("ELSE");
    call.operand(1).unparse(writer, 0, 0);
    writer.keyword("END");
    writer.endList(frame);
  }

  static final String DIVISION_BY_ZERO_MESSAGE = "Division by zero";

  /** Divisors up to this many nodes are checked for zero (the check repeats the divisor). */
  static final int MAX_CHECKED_DIVISOR_NODES = 64;

  private static boolean isNonZeroNumber(SqlNode node) {
    return node instanceof SqlNumericLiteral literal
        && literal.getValue() instanceof java.math.BigDecimal value
        && value.signum() != 0;
  }

  /**
   * Whether repeating the divisor in the zero check is cheap: a small expression with no division
   * or sub-query of its own. Repeating divisors that divide again would double the SQL at every
   * level of nesting, and a repeated sub-query may run twice; those few keep DuckDB's own result
   * (infinity, NaN or NULL) instead of the error.
   */
  private static boolean isSmallWithoutDivision(SqlNode divisor) {
    int[] nodes = {0};
    boolean[] divides = {false};
    divisor.accept(
        new org.apache.calcite.sql.util.SqlShuttle() {
          @Override
          public SqlNode visit(SqlCall call) {
            nodes[0]++;
            divides[0] |= call.getKind() == SqlKind.DIVIDE || call.getKind() == SqlKind.SELECT;
            if (divides[0] || nodes[0] > MAX_CHECKED_DIVISOR_NODES) {
              return call;
            }
            return super.visit(call);
          }

          @Override
          public SqlNode visit(org.apache.calcite.sql.SqlIdentifier id) {
            nodes[0]++;
            return id;
          }

          @Override
          public SqlNode visit(org.apache.calcite.sql.SqlLiteral literal) {
            nodes[0]++;
            return literal;
          }
        });
    return !divides[0] && nodes[0] <= MAX_CHECKED_DIVISOR_NODES;
  }

  /**
   * Interval literals in forms DuckDB reads: {@code INTERVAL '1-2' YEAR TO MONTH} and negative
   * literals are Calcite's, so year-month intervals become {@code to_months(n)} and day-time ones
   * {@code to_days(d) + to_microseconds(us)} (DuckDB keeps days and sub-day time apart, as its own
   * {@code INTERVAL '1' DAY} does). Millisecond and microsecond literals (from {@code
   * TIMESTAMPADD}) become {@code to_microseconds(us)}.
   */
  @Override
  public void unparseSqlIntervalLiteral(
      SqlWriter writer,
      org.apache.calcite.sql.SqlIntervalLiteral literal,
      int leftPrec,
      int rightPrec) {
    var value = literal.getValueAs(org.apache.calcite.sql.SqlIntervalLiteral.IntervalValue.class);
    var qualifier = value.getIntervalQualifier();
    String sql;
    if (qualifier.isYearMonth()) {
      long months =
          value.getSign()
              * org.apache.calcite.sql.parser.SqlParserUtil.intervalToMonths(
                  value.getIntervalLiteral(), qualifier);
      sql = "to_months(" + months + ")";
    } else if (qualifier.getStartUnit() == org.apache.calcite.avatica.util.TimeUnit.MILLISECOND
        || qualifier.getStartUnit() == org.apache.calcite.avatica.util.TimeUnit.MICROSECOND) {
      // TIMESTAMPADD(MILLISECOND|MICROSECOND, n, ts) compiles to n times such a literal, written
      // in seconds ('0.001'), which Calcite's intervalToMillis does not read.
      long micros =
          new java.math.BigDecimal(value.getIntervalLiteral())
              .movePointRight(6)
              .multiply(java.math.BigDecimal.valueOf(value.getSign()))
              .longValueExact();
      sql = "to_microseconds(" + micros + ")";
    } else {
      long millis =
          value.getSign()
              * org.apache.calcite.sql.parser.SqlParserUtil.intervalToMillis(
                  value.getIntervalLiteral(), qualifier);
      long days = millis / 86_400_000L;
      long micros = (millis % 86_400_000L) * 1000;
      sql =
          days != 0 && micros != 0
              ? "(to_days(" + days + ") + to_microseconds(" + micros + "))"
              : days != 0 ? "to_days(" + days + ")" : "to_microseconds(" + micros + ")";
    }
    writer.print(sql);
    writer.setNeedWhitespace(true);
  }

  /** TIMESTAMP WITH LOCAL TIME ZONE literals (Databricks TIMESTAMP) are UTC TIMESTAMPTZ values. */
  @Override
  public void unparseDateTimeLiteral(
      SqlWriter writer,
      org.apache.calcite.sql.SqlAbstractDateTimeLiteral literal,
      int leftPrec,
      int rightPrec) {
    if (literal.getTypeName()
        == org.apache.calcite.sql.type.SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE) {
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
    public boolean equalsDeep(
        org.apache.calcite.sql.SqlTypeNameSpec spec, org.apache.calcite.util.Litmus litmus) {
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

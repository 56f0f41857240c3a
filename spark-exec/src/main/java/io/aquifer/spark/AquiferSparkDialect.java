package io.aquifer.spark;

import org.apache.calcite.config.NullCollation;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlDialect;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlTypeNameSpec;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.dialect.SparkSqlDialect;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.util.Litmus;

/**
 * Every difference between the SQL Calcite generates and the SQL Apache Spark accepts lives here.
 * Spark SQL is the dialect Databricks SQL grew from, so the list is short:
 *
 * <ul>
 *   <li>Identifiers are quoted with backticks; NULLs sort first ascending, as in Databricks.
 *   <li>Type names in CAST: Spark has no VARCHAR(n) outside table schemas (STRING), Calcite's
 *       TIMESTAMP is Spark's TIMESTAMP_NTZ and TIMESTAMP WITH LOCAL TIME ZONE is Spark's TIMESTAMP,
 *       binary is BINARY, and REAL is FLOAT.
 *   <li>Spark rejects nested aggregates such as {@code MAX(SUM(x))} (TPC-H Q15), so the converter
 *       keeps them in separate SELECTs.
 *   <li>Catalog (SQL) functions are not compiled for Spark yet: the compiler refuses them.
 * </ul>
 */
public final class AquiferSparkDialect extends SparkSqlDialect {
  public static final SqlDialect.Context CONTEXT =
      SparkSqlDialect.DEFAULT_CONTEXT
          .withNullCollation(NullCollation.LOW)
          .withIdentifierQuoteString("`");
  public static final AquiferSparkDialect INSTANCE = new AquiferSparkDialect();

  private AquiferSparkDialect() {
    super(CONTEXT);
  }

  @Override
  public boolean supportsNestedAggregations() {
    return false;
  }

  /** Spark reads {@code (VALUES (1), (2)) AS t (a)}; without it Calcite nests UNION ALLs. */
  @Override
  public boolean supportsAliasedValues() {
    return true;
  }

  @Override
  public SqlNode getCastSpec(RelDataType type) {
    String name = sparkType(type);
    if (name == null) {
      return super.getCastSpec(type);
    }
    return new SqlDataTypeSpec(new VerbatimTypeNameSpec(name), SqlParserPos.ZERO);
  }

  /** Spark's spelling of a type in CAST, or null to leave it to Calcite. */
  static String sparkType(RelDataType type) {
    return switch (type.getSqlTypeName()) {
      case CHAR, VARCHAR -> "STRING";
      case BINARY, VARBINARY -> "BINARY";
      case TIMESTAMP -> "TIMESTAMP_NTZ";
      case TIMESTAMP_WITH_LOCAL_TIME_ZONE -> "TIMESTAMP";
      case REAL, FLOAT -> "FLOAT";
      case DOUBLE -> "DOUBLE";
      case TINYINT -> "TINYINT";
      case SMALLINT -> "SMALLINT";
      case INTEGER -> "INT";
      case BIGINT -> "BIGINT";
      case BOOLEAN -> "BOOLEAN";
      case DATE -> "DATE";
      case DECIMAL -> "DECIMAL(" + type.getPrecision() + ", " + type.getScale() + ")";
      default -> null;
    };
  }

  /** A type name printed exactly as given. */
  private static final class VerbatimTypeNameSpec extends SqlTypeNameSpec {
    private final String text;

    VerbatimTypeNameSpec(String text) {
      super(new SqlIdentifier(text, SqlParserPos.ZERO), SqlParserPos.ZERO);
      this.text = text;
    }

    @Override
    public RelDataType deriveType(SqlValidator validator) {
      throw new UnsupportedOperationException("engine SQL is not validated by Calcite");
    }

    @Override
    public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
      writer.print(text);
      writer.setNeedWhitespace(true);
    }

    @Override
    public boolean equalsDeep(SqlTypeNameSpec spec, Litmus litmus) {
      return spec instanceof VerbatimTypeNameSpec v && v.text.equals(text)
          || litmus.fail("{} != {}", this, spec);
    }
  }
}

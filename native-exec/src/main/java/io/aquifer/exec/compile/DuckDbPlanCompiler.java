package io.aquifer.exec.compile;

import io.aquifer.exec.QueryFragment;
import io.aquifer.exec.ScanColumn;
import io.aquifer.exec.ScanFile;
import io.aquifer.exec.ScanSpec;
import io.aquifer.planner.calcite.DeltaTableScan;
import io.aquifer.storage.delta.DataFile;
import io.aquifer.storage.delta.DeltaSnapshot;
import io.aquifer.storage.types.Column;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rel.logical.LogicalSort;
import org.apache.calcite.rel.rel2sql.RelToSqlConverter;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeUtil;

/**
 * Compiles a validated logical plan into a {@link QueryFragment}: DuckDB SQL generated from the
 * plan by Calcite's {@link RelToSqlConverter} in {@link AquiferDuckDbDialect}, where every Delta
 * scan becomes a relation name, plus a {@link ScanSpec} per scan with its exact files.
 *
 * <p>The result's numeric columns are cast to the types Calcite derived, so that what the engine
 * returns matches what was announced at prepare time (DuckDB's SUM of BIGINT is HUGEINT, its AVG
 * of DECIMAL is DOUBLE).
 */
public final class DuckDbPlanCompiler {
  private static final String SCAN_PREFIX = "__aquifer_scan_";

  private DuckDbPlanCompiler() {}

  public static QueryFragment compile(String queryId, RelNode plan) {
    RelNode typed = castNumericOutputs(plan);
    ScanNamingConverter converter = new ScanNamingConverter();
    SqlNode sql = converter.visitRoot(typed).asStatement();
    String text = sql.toSqlString(AquiferDuckDbDialect.INSTANCE).getSql();
    return new QueryFragment(queryId, text, converter.scans);
  }

  /** Casts the numeric output columns to their planned types, below a final sort if any. */
  static RelNode castNumericOutputs(RelNode plan) {
    if (plan instanceof Sort sort) {
      RelNode input = castNumericOutputs(sort.getInput());
      return input == sort.getInput() ? plan : sort.copy(sort.getTraitSet(), List.of(input));
    }
    RelDataType rowType = plan.getRowType();
    if (rowType.getFieldList().stream().noneMatch(f -> SqlTypeUtil.isNumeric(f.getType()))) {
      return plan;
    }
    RexBuilder rex = plan.getCluster().getRexBuilder();
    List<RexNode> projects = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (RelDataTypeField f : rowType.getFieldList()) {
      RexNode ref = rex.makeInputRef(plan, f.getIndex());
      projects.add(
          SqlTypeUtil.isNumeric(f.getType()) ? rex.makeAbstractCast(f.getType(), ref, false) : ref);
      names.add(f.getName());
    }
    return LogicalProject.create(plan, List.of(), projects, names, java.util.Set.of());
  }

  /** Names each Delta scan {@code __aquifer_scan_N} and records what it reads. */
  /** Public: the converter dispatches to its visit methods by reflection. */
  public static final class ScanNamingConverter extends RelToSqlConverter {
    private final List<ScanSpec> scans = new ArrayList<>();

    ScanNamingConverter() {
      super(AquiferDuckDbDialect.INSTANCE);
    }

    @Override
    public Result visit(TableScan e) {
      if (!(e instanceof DeltaTableScan scan)) {
        throw new IllegalStateException("not a Delta scan: " + e.getTable().getQualifiedName());
      }
      String name = SCAN_PREFIX + scans.size();
      scans.add(scanSpec(name, scan));
      SqlIdentifier identifier = new SqlIdentifier(name, SqlParserPos.ZERO);
      return result(identifier, List.of(Clause.FROM), e, null);
    }
  }

  static ScanSpec scanSpec(String name, DeltaTableScan scan) {
    DeltaSnapshot snapshot = scan.snapshot();
    List<ScanColumn> columns = new ArrayList<>();
    for (Column c : snapshot.schema().columns()) {
      boolean partition =
          snapshot.partitionColumns().stream()
              .anyMatch(p -> p.toLowerCase(Locale.ROOT).equals(c.name().toLowerCase(Locale.ROOT)));
      columns.add(new ScanColumn(c.name(), c.physicalName(), c.type(), partition));
    }
    List<ScanFile> files = new ArrayList<>();
    for (DataFile f : scan.files()) {
      files.add(new ScanFile(f.path().toString(), f.partitionValues(), f.deletedRowPositions()));
    }
    return new ScanSpec(name, columns, files);
  }
}

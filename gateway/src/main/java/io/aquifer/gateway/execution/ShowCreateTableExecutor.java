package io.aquifer.gateway.execution;

import static io.aquifer.gateway.results.LocalResultStream.stringField;

import io.aquifer.catalog.TableInfo;
import io.aquifer.catalog.TableKind;
import io.aquifer.catalog.TableName;
import io.aquifer.gateway.StatementResult;
import io.aquifer.gateway.results.LocalResultStream;
import io.aquifer.planner.parse.ParsedStatement;
import io.aquifer.storage.delta.DeltaSnapshot;
import io.aquifer.storage.types.Column;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * SHOW CREATE TABLE: one row, column {@code createtab_stmt}, with the statement that creates the
 * table (or view) as it is now, in Databricks' layout. Run again, it creates the same table: the
 * columns with their types, NOT NULL and comments, {@code USING delta}, the partition columns, the
 * table comment, an external table's location, and the table properties a statement can set
 * (Delta's protocol versions and features, which the writer chooses, and column mapping's
 * bookkeeping are left out). A column mask shows as {@code MASK f [USING COLUMNS (...)]} after its
 * column, a row filter as {@code WITH ROW FILTER f ON (...)} after {@code USING delta} and the
 * partitioning, as Databricks writes them (Aquifer's CREATE TABLE does not take these clauses yet:
 * set them with ALTER TABLE).
 */
final class ShowCreateTableExecutor {
  static final List<Field> FIELDS = List.of(stringField("createtab_stmt"));
  private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private ShowCreateTableExecutor() {}

  static StatementResult show(StatementContext ctx, ParsedStatement.ShowCreateTable s) {
    TableName name = ctx.tableName(s.table());
    TableInfo info = ResolvedTable.tableOrView(ctx, name);
    ctx.access().requireVisible(io.aquifer.catalog.Securable.table(name));
    String statement = info.kind() == TableKind.VIEW ? view(info) : table(ctx, info);
    return new StatementResult.Rows(
        LocalResultStream.of(ctx.allocator(), FIELDS, List.of(List.of(statement))));
  }

  private static String view(TableInfo info) {
    StringBuilder out = new StringBuilder("CREATE VIEW ").append(name(info.name()));
    info.comment().ifPresent(c -> out.append("\nCOMMENT ").append(string(c)));
    return out.append(" AS ").append(info.view().orElseThrow().sql().strip()).toString();
  }

  private static String table(StatementContext ctx, TableInfo info) {
    ResolvedTable table = ResolvedTable.latest(ctx, info);
    DeltaSnapshot snapshot = table.snapshot();
    StringBuilder out = new StringBuilder("CREATE TABLE ").append(name(info.name())).append(" (");
    List<Column> columns = snapshot.schema().columns();
    io.aquifer.catalog.TablePolicies policies = ctx.catalog().functions().policies(info.name());
    for (int i = 0; i < columns.size(); i++) {
      Column c = columns.get(i);
      out.append(i == 0 ? "\n  " : ",\n  ").append(identifier(c.name())).append(' ');
      out.append(c.type().sql());
      if (!c.nullable()) {
        out.append(" NOT NULL");
      }
      c.defaultValue().ifPresent(value -> out.append(" DEFAULT ").append(value));
      c.generationExpression()
          .ifPresent(value -> out.append(" GENERATED ALWAYS AS (").append(value).append(')'));
      c.comment().ifPresent(comment -> out.append(" COMMENT ").append(string(comment)));
      io.aquifer.catalog.TablePolicies.ColumnMask mask =
          policies.masks().get(c.name().toLowerCase(java.util.Locale.ROOT));
      if (mask != null) {
        out.append(" MASK ").append(name(mask.function()));
        if (!mask.usingColumns().isEmpty()) {
          out.append(" USING COLUMNS (").append(columnList(mask.usingColumns())).append(')');
        }
      }
    }
    out.append(")\nUSING delta");
    if (!snapshot.partitionColumns().isEmpty()) {
      List<String> partitions = new ArrayList<>();
      snapshot.partitionColumns().forEach(p -> partitions.add(identifier(p)));
      out.append("\nPARTITIONED BY (").append(String.join(", ", partitions)).append(')');
    }
    policies
        .rowFilter()
        .ifPresent(
            f ->
                out.append("\nWITH ROW FILTER ")
                    .append(name(f.function()))
                    .append(" ON (")
                    .append(columnList(f.columns()))
                    .append(')'));
    info.comment().ifPresent(c -> out.append("\nCOMMENT ").append(string(c)));
    if (info.kind() == TableKind.EXTERNAL) {
      out.append("\nLOCATION ").append(string(info.location().orElseThrow()));
    }
    Map<String, String> properties = new TreeMap<>();
    ctx.deltaTables()
        .properties(table.location())
        .forEach(
            (k, v) -> {
              if (settable(k)) {
                properties.put(k, v);
              }
            });
    if (snapshot.schema().columns().stream().anyMatch(c -> c.defaultValue().isPresent())) {
      // The statement's defaults need the feature, as in Databricks' SHOW CREATE TABLE.
      properties.put("delta.feature.allowColumnDefaults", "supported");
    }
    if (!properties.isEmpty() && info.kind() != TableKind.EXTERNAL) {
      out.append("\nTBLPROPERTIES (");
      boolean first = true;
      for (Map.Entry<String, String> e : properties.entrySet()) {
        out.append(first ? "\n  " : ",\n  ")
            .append(string(e.getKey()))
            .append(" = ")
            .append(string(e.getValue()));
        first = false;
      }
      out.append(')');
    }
    return out.toString();
  }

  /** Properties a statement sets; Delta's protocol and column mapping bookkeeping are not. */
  static boolean settable(String key) {
    return !key.equals("delta.minReaderVersion")
        && !key.equals("delta.minWriterVersion")
        && !key.startsWith("delta.feature.")
        && !key.startsWith("delta.columnMapping.maxColumnId");
  }

  private static String name(TableName name) {
    return identifier(name.catalog())
        + "."
        + identifier(name.schema())
        + "."
        + identifier(name.table());
  }

  private static String columnList(List<String> names) {
    List<String> quoted = new ArrayList<>();
    names.forEach(n -> quoted.add(identifier(n)));
    return String.join(", ", quoted);
  }

  private static String identifier(String name) {
    return PLAIN_NAME.matcher(name).matches() ? name : "`" + name.replace("`", "``") + "`";
  }

  private static String string(String text) {
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}

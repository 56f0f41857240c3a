package io.aquifer.gateway.execution;

import io.aquifer.catalog.SchemaInfo;
import io.aquifer.catalog.TableInfo;
import io.aquifer.catalog.TableKind;
import io.aquifer.catalog.TableName;
import io.aquifer.gateway.GatewayErrorCode;
import io.aquifer.gateway.StatementResult;
import io.aquifer.gateway.WildcardPattern;
import io.aquifer.gateway.results.LocalResultStream;
import io.aquifer.planner.parse.ParsedStatement;
import io.aquifer.storage.types.Column;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * {@code SHOW TABLES|COLUMNS IN CATALOG c SCHEMA LIKE 's' ...}: the listings the Databricks JDBC
 * driver sends in REST mode for getTables and getColumns, with the column names it maps by name.
 */
final class CatalogListingExecutor {
  private static final List<Field> TABLES =
      List.of(
          LocalResultStream.stringField("namespace"),
          LocalResultStream.stringField("tableName"),
          LocalResultStream.booleanField("isTemporary"),
          LocalResultStream.stringField("information"),
          LocalResultStream.stringField("catalogName"),
          LocalResultStream.stringField("tableType"),
          LocalResultStream.stringField("remarks"));
  private static final List<Field> COLUMNS =
      List.of(
          LocalResultStream.stringField("col_name"),
          LocalResultStream.stringField("catalogName"),
          LocalResultStream.stringField("namespace"),
          LocalResultStream.stringField("tableName"),
          LocalResultStream.stringField("columnType"),
          LocalResultStream.intField("columnSize"),
          LocalResultStream.intField("decimalDigits"),
          LocalResultStream.intField("radix"),
          LocalResultStream.stringField("isNullable"),
          LocalResultStream.stringField("remarks"),
          LocalResultStream.intField("ordinalPosition"),
          LocalResultStream.stringField("isAutoIncrement"),
          LocalResultStream.stringField("isGenerated"));

  private CatalogListingExecutor() {}

  static List<Field> resultFields(ParsedStatement.ShowInCatalog s) {
    return s.kind() == ParsedStatement.ShowKind.COLUMNS ? COLUMNS : TABLES;
  }

  static StatementResult show(StatementContext ctx, ParsedStatement.ShowInCatalog s) {
    if (ctx.catalog().getCatalog(s.catalog()).isEmpty()) {
      throw GatewayErrorCode.CATALOG_NOT_FOUND.exception(
          "catalog " + s.catalog() + " does not exist");
    }
    Optional<WildcardPattern> schemaLike = s.schemaLike().map(WildcardPattern::showPattern);
    Optional<WildcardPattern> tableLike = s.tableLike().map(WildcardPattern::showPattern);
    Optional<WildcardPattern> columnLike = s.columnLike().map(WildcardPattern::showPattern);
    List<List<Object>> rows = new ArrayList<>();
    AccessControl access = ctx.access();
    for (SchemaInfo schema : access.visibleSchemas(ctx.catalog().listSchemas(s.catalog()))) {
      if (!matches(schemaLike, schema.name())) {
        continue;
      }
      for (TableInfo t :
          access.visibleTables(ctx.catalog().listTables(s.catalog(), schema.name()))) {
        if (!matches(tableLike, t.name().table())) {
          continue;
        }
        if (s.kind() == ParsedStatement.ShowKind.TABLES) {
          rows.add(
              Arrays.asList(
                  schema.name(),
                  t.name().table(),
                  false,
                  null,
                  s.catalog(),
                  t.kind() == TableKind.VIEW ? "VIEW" : "TABLE",
                  t.comment().orElse(null)));
          continue;
        }
        List<Column> columns =
            MetadataExecutor.describeColumns(
                ctx, new TableName(s.catalog(), schema.name(), t.name().table()));
        for (int i = 0; i < columns.size(); i++) {
          Column c = columns.get(i);
          if (matches(columnLike, c.name())) {
            rows.add(
                Arrays.asList(
                    c.name(),
                    s.catalog(),
                    schema.name(),
                    t.name().table(),
                    c.type().sql(),
                    null,
                    null,
                    null,
                    c.nullable() ? "true" : "false",
                    c.comment().orElse(null),
                    i + 1,
                    "NO",
                    "NO"));
          }
        }
      }
    }
    return new StatementResult.Rows(LocalResultStream.of(ctx.allocator(), resultFields(s), rows));
  }

  private static boolean matches(Optional<WildcardPattern> like, String name) {
    return like.map(p -> p.matches(name)).orElse(true);
  }
}

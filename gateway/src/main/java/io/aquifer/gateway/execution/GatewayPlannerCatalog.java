package io.aquifer.gateway.execution;

import io.aquifer.catalog.CatalogInfo;
import io.aquifer.catalog.CatalogStore;
import io.aquifer.catalog.SchemaInfo;
import io.aquifer.catalog.TableInfo;
import io.aquifer.catalog.TableKind;
import io.aquifer.catalog.TableName;
import io.aquifer.catalog.ViewDefinition;
import io.aquifer.planner.PlannerCatalog;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The catalog store as the planner sees it. */
public final class GatewayPlannerCatalog implements PlannerCatalog {
  private final CatalogStore catalog;

  public GatewayPlannerCatalog(CatalogStore catalog) {
    this.catalog = catalog;
  }

  @Override
  public Set<String> catalogNames() {
    return catalog.listCatalogs().stream().map(CatalogInfo::name).collect(Collectors.toSet());
  }

  @Override
  public Set<String> schemaNames(String catalogName) {
    return catalog.listSchemas(lower(catalogName)).stream()
        .map(SchemaInfo::name)
        .collect(Collectors.toSet());
  }

  @Override
  public Set<String> tableNames(String catalogName, String schema) {
    return catalog.listTables(lower(catalogName), lower(schema)).stream()
        .map(t -> t.name().table())
        .collect(Collectors.toSet());
  }

  @Override
  public Optional<ResolvedTable> table(String catalogName, String schema, String table) {
    Optional<TableInfo> info;
    try {
      info = catalog.getTable(new TableName(catalogName, schema, table));
    } catch (io.aquifer.catalog.CatalogException e) {
      return Optional.empty();
    }
    return info.map(GatewayPlannerCatalog::resolve);
  }

  static ResolvedTable resolve(TableInfo t) {
    List<String> name = List.of(t.name().catalog(), t.name().schema(), t.name().table());
    if (t.kind() == TableKind.VIEW) {
      ViewDefinition view = t.view().orElseThrow();
      return new ViewEntry(name, view.sql(), List.of(view.currentCatalog(), view.currentSchema()));
    }
    return new DeltaTableEntry(name, URI.create(t.location().orElseThrow()));
  }

  private static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}

package io.aquifer.gateway.system;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The read-only catalog {@code system}: schemas of {@link SystemTable}s whose rows come from the
 * gateway ({@code system.query.history}). It is not in the catalog store, cannot be created or
 * dropped, and shadows any catalog of the same name. Its catalog, schemas and tables are securables
 * without an owner, as in Databricks: a non-admin reads a table with USE CATALOG on {@code system},
 * USE SCHEMA on the schema and SELECT on the table, which only admins grant, and then sees all of
 * its rows (see {@code GatewayPlannerCatalog#checkRead} and {@code GrantExecutor}).
 */
public final class SystemCatalog {
  public static final String NAME = "system";

  private final Map<String, Map<String, SystemTable>> schemas;

  public SystemCatalog(List<SystemTable> tables) {
    Map<String, Map<String, SystemTable>> bySchema = new LinkedHashMap<>();
    for (SystemTable table : tables) {
      Map<String, SystemTable> schema =
          bySchema.computeIfAbsent(lower(table.schema()), s -> new LinkedHashMap<>());
      if (schema.put(lower(table.name()), table) != null) {
        throw new IllegalArgumentException(
            "two system tables named " + NAME + "." + table.schema() + "." + table.name());
      }
    }
    bySchema.replaceAll((name, schema) -> Map.copyOf(schema));
    this.schemas = Map.copyOf(bySchema);
  }

  public static boolean isSystem(String catalogName) {
    return NAME.equalsIgnoreCase(requireNonNull(catalogName, "catalogName"));
  }

  public Set<String> schemaNames() {
    return schemas.keySet();
  }

  public Set<String> tableNames(String schema) {
    return schemas.getOrDefault(lower(schema), Map.of()).keySet();
  }

  public Optional<SystemTable> table(String schema, String table) {
    return Optional.ofNullable(schemas.getOrDefault(lower(schema), Map.of()).get(lower(table)));
  }

  private static String lower(String name) {
    return name.toLowerCase(Locale.ROOT);
  }
}

package io.aquifer.rest;

import static java.util.Objects.requireNonNull;

import io.aquifer.gateway.GatewayException;
import io.aquifer.gateway.SchemaRef;
import io.aquifer.gateway.Session;
import io.aquifer.gateway.StatementService;
import io.aquifer.gateway.TableDetails;
import io.aquifer.gateway.TableRef;
import io.aquifer.gateway.arrow.ArrowTypeMapping;
import io.aquifer.storage.types.Column;
import io.aquifer.storage.types.TableSchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * Unity Catalog 2.1's read calls ({@code /api/2.1/unity-catalog/catalogs|schemas|tables}: list with
 * paging, get by full name, table exists) over the statement service's metadata calls, for the
 * Databricks SDKs and the Unity Catalog client.
 */
final class UnityCatalogApi {
  private final StatementService service;
  private final Function<RestCall, Session> sessions;
  private final CatalogSql sql;

  UnityCatalogApi(StatementService service, Function<RestCall, Session> sessions) {
    this.service = requireNonNull(service, "service");
    this.sessions = requireNonNull(sessions, "sessions");
    this.sql = new CatalogSql(service, sessions);
  }

  /** The catalogs the caller may see, a page at a time, each as {@link #getCatalog} gives it. */
  Map<String, Object> listCatalogs(RestCall call) {
    Session s = sessions.apply(call);
    return ListingPage.of(call, service.catalogs(s)).answer("catalogs", n -> catalogInfo(call, n));
  }

  /** One catalog, with {@code owner}, {@code comment} and {@code created_at} of its DESCRIBE. */
  Map<String, Object> getCatalog(RestCall call, String name) {
    Session s = sessions.apply(call);
    String found =
        service.catalogs(s).stream()
            .filter(c -> c.equalsIgnoreCase(name))
            .findFirst()
            .orElseThrow(() -> notFound("CATALOG_DOES_NOT_EXIST", "Catalog '" + name + "'"));
    return catalogInfo(call, found);
  }

  /** The CatalogInfo of a catalog that exists: the one mapping of get and list. */
  private Map<String, Object> catalogInfo(RestCall call, String name) {
    Map<String, Object> out = catalog(name);
    described(
        call,
        "DESCRIBE CATALOG EXTENDED " + CatalogSql.quote(name),
        "info_name",
        "info_value",
        out);
    return out;
  }

  /**
   * Adds {@code owner}, {@code comment}, {@code created_at} and {@code updated_at} from the rows of
   * a DESCRIBE CATALOG or DESCRIBE SCHEMA EXTENDED.
   */
  private void described(
      RestCall call, String statement, String key, String value, Map<String, Object> out) {
    List<Map<String, String>> rows;
    try {
      rows = sql.textRows(call, statement);
    } catch (DatabricksApiException e) {
      if (e.httpStatus() != 404) {
        throw e;
      }
      return; // a built-in catalog (system) has no catalog entry to describe
    }
    for (Map<String, String> row : rows) {
      String v = row.get(value);
      if (v == null || v.isEmpty()) {
        continue;
      }
      switch (String.valueOf(row.get(key))) {
        case "Owner" -> out.put("owner", v);
        case "Comment" -> out.put("comment", v);
        case "Created Time" -> epochMillis(v).ifPresent(t -> out.put("created_at", t));
        case "Updated Time" -> epochMillis(v).ifPresent(t -> out.put("updated_at", t));
        default -> {}
      }
    }
  }

  private static Optional<Long> epochMillis(String instant) {
    try {
      return Optional.of(java.time.Instant.parse(instant).toEpochMilli());
    } catch (java.time.format.DateTimeParseException e) {
      return Optional.empty(); // left out rather than guessed
    }
  }

  /** The schemas of a catalog, a page at a time, each as {@link #getSchema} gives it. */
  Map<String, Object> listSchemas(RestCall call) {
    String catalog = getCatalogName(call, call.requiredQueryParameter("catalog_name"));
    List<String> names = schemas(call, catalog).stream().map(SchemaRef::schema).toList();
    return ListingPage.of(call, names)
        .answer("schemas", n -> schemaInfo(call, new SchemaRef(catalog, n)));
  }

  /** One schema, with {@code owner}, {@code comment} and {@code created_at} of its DESCRIBE. */
  Map<String, Object> getSchema(RestCall call, String fullName) {
    List<String> parts = fullName(fullName, 2);
    SchemaRef ref =
        schemas(call, parts.get(0)).stream()
            .filter(r -> r.schema().equalsIgnoreCase(parts.get(1)))
            .findFirst()
            .orElseThrow(() -> notFound("SCHEMA_DOES_NOT_EXIST", "Schema '" + fullName + "'"));
    return schemaInfo(call, ref);
  }

  /** The SchemaInfo of a schema that exists: the one mapping of get and list. */
  private Map<String, Object> schemaInfo(RestCall call, SchemaRef ref) {
    Map<String, Object> out = schema(ref);
    described(
        call,
        "DESCRIBE SCHEMA EXTENDED "
            + CatalogSql.quote(ref.catalog())
            + "."
            + CatalogSql.quote(ref.schema()),
        "database_description_item",
        "database_description_value",
        out);
    return out;
  }

  /** The name of a catalog the caller may see, as the catalog spells it; 404 otherwise. */
  private String getCatalogName(RestCall call, String name) {
    return (String) getCatalog(call, name).get("name");
  }

  /**
   * The tables and views of a schema, a page at a time, each as {@link #getTable} gives it: the
   * schema's details come from one catalog read ({@link StatementService#tableDetails}), not a
   * DESCRIBE per table, and the page's tables' properties from their Delta logs, without running
   * statements.
   */
  Map<String, Object> listTables(RestCall call) {
    String catalog = call.requiredQueryParameter("catalog_name");
    String schema = call.requiredQueryParameter("schema_name");
    getSchema(call, catalog + "." + schema);
    Map<String, TableDetails> byName = new LinkedHashMap<>();
    for (TableDetails t : tableDetails(call, catalog, schema)) {
      byName.put(t.table().name(), t);
    }
    ListingPage page = ListingPage.of(call, List.copyOf(byName.keySet()));
    return page.answer("tables", n -> tableInfo(call, byName.get(n)));
  }

  /**
   * One table or view: names, columns, {@code table_type} (MANAGED, EXTERNAL or VIEW), {@code
   * owner}, {@code created_at}, {@code updated_at}, {@code storage_location} and {@code
   * properties}.
   */
  Map<String, Object> getTable(RestCall call, String fullName) {
    List<String> parts = fullName(fullName, 3);
    TableDetails details =
        tableDetails(call, parts.get(0), parts.get(1)).stream()
            .filter(t -> t.table().name().equalsIgnoreCase(parts.get(2)))
            .findFirst()
            .orElseThrow(() -> notFound("TABLE_DOES_NOT_EXIST", "Table '" + fullName + "'"));
    return tableInfo(call, details);
  }

  private List<TableDetails> tableDetails(RestCall call, String catalog, String schema) {
    try {
      return service.tableDetails(sessions.apply(call), catalog, schema);
    } catch (GatewayException e) {
      throw notFound("SCHEMA_DOES_NOT_EXIST", "Schema '" + catalog + "." + schema + "'");
    }
  }

  /**
   * The TableInfo of a table that exists, the one mapping of get and list: {@link #table} with the
   * owner, type, times and location the catalog records ({@code updated_by} is the owner, as {@code
   * information_schema.tables.last_altered_by}) and a table's Delta table properties.
   */
  private Map<String, Object> tableInfo(RestCall call, TableDetails details) {
    Map<String, Object> out = table(call, details.table());
    out.put("owner", details.owner());
    if (details.kind().equals("EXTERNAL")) {
      out.put("table_type", "EXTERNAL");
    }
    out.put("created_at", details.createdAt().toEpochMilli());
    details.location().filter(l -> !l.isEmpty()).ifPresent(l -> out.put("storage_location", l));
    out.put("updated_at", details.updatedAt().toEpochMilli());
    out.put("updated_by", details.owner());
    if (!"VIEW".equals(out.get("table_type"))) {
      out.put(
          "properties",
          new java.util.TreeMap<>(service.tableProperties(sessions.apply(call), details.table())));
    }
    return out;
  }

  Map<String, Object> tableExists(RestCall call, String fullName) {
    List<String> parts = fullName(fullName, 3);
    boolean exists =
        tables(call, parts.get(0), parts.get(1)).stream()
            .anyMatch(t -> t.name().equalsIgnoreCase(parts.get(2)));
    return Map.of("table_exists", exists);
  }

  /**
   * The SQL functions of a schema ({@code SHOW FUNCTIONS IN}), a page at a time, each as {@link
   * #getFunction}.
   */
  Map<String, Object> listFunctions(RestCall call) {
    String catalog = call.requiredQueryParameter("catalog_name");
    String schema = call.requiredQueryParameter("schema_name");
    getSchema(call, catalog + "." + schema);
    String prefix = (catalog + "." + schema + ".").toLowerCase(java.util.Locale.ROOT);
    List<String> names = new ArrayList<>();
    for (Map<String, String> row :
        sql.textRows(
            call,
            "SHOW FUNCTIONS IN " + CatalogSql.quote(catalog) + "." + CatalogSql.quote(schema))) {
      String name = row.get("function");
      if (name != null && name.toLowerCase(java.util.Locale.ROOT).startsWith(prefix)) {
        names.add(name);
      }
    }
    return ListingPage.of(call, names).answer("functions", n -> getFunction(call, n));
  }

  /**
   * One SQL function ({@code DESCRIBE FUNCTION EXTENDED}): names, {@code input_params}, {@code
   * full_data_type} (the return type), {@code routine_definition} (the body), owner, comment and
   * creation time.
   */
  Map<String, Object> getFunction(RestCall call, String fullName) {
    List<String> parts = fullName(fullName, 3);
    Map<String, String> described = new LinkedHashMap<>();
    for (Map<String, String> row :
        sql.textRows(call, "DESCRIBE FUNCTION EXTENDED " + CatalogSql.quoteName(fullName, 3))) {
      String line = row.get("function_desc");
      int colon = line == null ? -1 : line.indexOf(": ");
      if (colon > 0) {
        described.putIfAbsent(line.substring(0, colon), line.substring(colon + 2));
      }
    }
    if (!described.containsKey("Body")) {
      // A built-in function of that name, or nothing: not a Unity Catalog function.
      throw notFound("FUNCTION_DOES_NOT_EXIST", "Function '" + fullName + "'");
    }
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("name", parts.get(2));
    f.put("catalog_name", parts.get(0));
    f.put("schema_name", parts.get(1));
    f.put("full_name", String.join(".", parts));
    List<Map<String, Object>> parameters = new ArrayList<>();
    int position = 0;
    for (String parameter : splitTopLevel(described.getOrDefault("Input", ""))) {
      int space = parameter.indexOf(' ');
      if (space > 0) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("name", parameter.substring(0, space));
        p.put("type_text", parameter.substring(space + 1));
        p.put("position", position++);
        parameters.add(p);
      }
    }
    f.put("input_params", Map.of("parameters", parameters));
    f.put("full_data_type", described.get("Returns"));
    f.put("routine_body", "SQL");
    f.put("routine_definition", described.get("Body"));
    f.put("is_deterministic", true);
    f.put("security_type", "DEFINER");
    f.put("owner", described.get("Owner"));
    String comment = described.get("Comment");
    if (comment != null && !comment.isEmpty()) {
      f.put("comment", comment);
    }
    try {
      f.put("created_at", java.time.Instant.parse(described.get("Create Time")).toEpochMilli());
    } catch (RuntimeException e) {
      // left out rather than guessed
    }
    return f;
  }

  /** "a INT, b DECIMAL(10, 2)" split at the commas outside parentheses and angle brackets. */
  private static List<String> splitTopLevel(String list) {
    List<String> out = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < list.length(); i++) {
      char c = list.charAt(i);
      if (c == '(' || c == '<') {
        depth++;
      } else if (c == ')' || c == '>') {
        depth--;
      } else if (c == ',' && depth == 0) {
        out.add(list.substring(start, i).strip());
        start = i + 1;
      }
    }
    if (!list.isBlank()) {
      out.add(list.substring(start).strip());
    }
    return out;
  }

  // ---- internals ----

  private List<SchemaRef> schemas(RestCall call, String catalog) {
    try {
      return service.schemas(sessions.apply(call), Optional.of(catalog), Optional.empty());
    } catch (GatewayException e) {
      throw notFound("CATALOG_DOES_NOT_EXIST", "Catalog '" + catalog + "'");
    }
  }

  private List<TableRef> tables(RestCall call, String catalog, String schema) {
    try {
      return service
          .tables(
              sessions.apply(call),
              Optional.of(catalog),
              Optional.empty(),
              Optional.empty(),
              List.of())
          .stream()
          .filter(t -> t.schema().equalsIgnoreCase(schema))
          .toList();
    } catch (GatewayException e) {
      throw notFound("SCHEMA_DOES_NOT_EXIST", "Schema '" + catalog + "." + schema + "'");
    }
  }

  private static Map<String, Object> catalog(String name) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("name", name);
    c.put("full_name", name);
    c.put("catalog_type", name.equals("system") ? "SYSTEM_CATALOG" : "MANAGED_CATALOG");
    return c;
  }

  private static Map<String, Object> schema(SchemaRef ref) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("name", ref.schema());
    s.put("catalog_name", ref.catalog());
    s.put("full_name", ref.catalog() + "." + ref.schema());
    return s;
  }

  private Map<String, Object> table(RestCall call, TableRef t) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", t.name());
    out.put("catalog_name", t.catalog());
    out.put("schema_name", t.schema());
    out.put("full_name", t.catalog() + "." + t.schema() + "." + t.name());
    boolean view = t.type().equalsIgnoreCase("VIEW");
    out.put("table_type", view ? "VIEW" : "MANAGED");
    if (!view) {
      out.put("data_source_format", "DELTA");
    }
    t.comment().ifPresent(c -> out.put("comment", c));
    List<Map<String, Object>> columns = new ArrayList<>();
    try {
      TableSchema schema = service.columns(sessions.apply(call), t.catalog(), t.schema(), t.name());
      for (int i = 0; i < schema.columns().size(); i++) {
        Column c = schema.columns().get(i);
        Field f = ArrowTypeMapping.field(c);
        Map<String, Object> col = new LinkedHashMap<>();
        col.put("name", c.name());
        col.put("type_text", DatabricksColumnTypes.typeText(f));
        col.put("type_name", DatabricksColumnTypes.typeName(f));
        col.put("position", i);
        col.put("nullable", c.nullable());
        Integer precision = DatabricksColumnTypes.precision(f);
        if (precision != null) {
          col.put("type_precision", precision);
          col.put("type_scale", DatabricksColumnTypes.scale(f));
        }
        c.comment().ifPresent(v -> col.put("comment", v));
        columns.add(col);
      }
    } catch (GatewayException e) {
      throw DatabricksApiException.of(e);
    }
    out.put("columns", columns);
    return out;
  }

  private static List<String> fullName(String fullName, int parts) {
    List<String> out = List.of(fullName.split("\\.", -1));
    if (out.size() != parts || out.stream().anyMatch(String::isBlank)) {
      throw DatabricksApiException.invalidParameter(
          "'" + fullName + "' is not a full name of " + parts + " parts separated by dots");
    }
    return out;
  }

  private static DatabricksApiException notFound(String errorCode, String what) {
    return new DatabricksApiException(404, errorCode, what + " does not exist.");
  }
}

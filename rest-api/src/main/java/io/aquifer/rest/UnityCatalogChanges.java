package io.aquifer.rest;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Unity Catalog 2.1's changing calls (create, update, delete of catalogs, schemas, tables and
 * volumes; permissions) and its volume listings. Each call runs as SQL statements of the caller's
 * session through the statement service, so that privileges, errors, the audit log and the
 * catalog's rules are the ones every other front end gets; nothing here writes the catalog itself.
 */
final class UnityCatalogChanges {
  /** The securable types of the permissions API and the SQL keyword of each. */
  private static final Map<String, String> SECURABLES =
      Map.of(
          "catalog", "CATALOG",
          "schema", "SCHEMA",
          "table", "TABLE",
          "volume", "VOLUME",
          "function", "FUNCTION");

  private final CatalogSql sql;
  private final UnityCatalogApi reads;

  UnityCatalogChanges(CatalogSql sql, UnityCatalogApi reads) {
    this.sql = requireNonNull(sql, "sql");
    this.reads = requireNonNull(reads, "reads");
  }

  private void run(RestCall call, String statement) {
    sql.run(call, statement);
  }

  private List<Map<String, String>> rows(RestCall call, String statement) {
    return sql.textRows(call, statement);
  }

  // ---- catalogs ----

  Map<String, Object> createCatalog(RestCall call) {
    Map<String, Object> body = body(call);
    String name = required(body, "name");
    refuseUnsupported(body, Set.of("name", "comment"), "a catalog");
    run(call, "CREATE CATALOG " + CatalogSql.quote(name) + comment(body));
    return reads.getCatalog(call, name);
  }

  Map<String, Object> updateCatalog(RestCall call, String name) {
    Map<String, Object> body = body(call);
    refuseUnsupported(body, Set.of("name", "owner"), "a catalog");
    reads.getCatalog(call, name);
    owner(call, "CATALOG", CatalogSql.quote(name), body);
    return reads.getCatalog(call, name);
  }

  Map<String, Object> deleteCatalog(RestCall call, String name) {
    reads.getCatalog(call, name);
    run(call, "DROP CATALOG " + CatalogSql.quote(name) + (force(call) ? " CASCADE" : ""));
    return Map.of();
  }

  // ---- schemas ----

  Map<String, Object> createSchema(RestCall call) {
    Map<String, Object> body = body(call);
    String catalog = required(body, "catalog_name");
    String name = required(body, "name");
    refuseUnsupported(body, Set.of("name", "catalog_name", "comment"), "a schema");
    run(
        call,
        "CREATE SCHEMA "
            + CatalogSql.quote(catalog)
            + "."
            + CatalogSql.quote(name)
            + comment(body));
    return reads.getSchema(call, catalog + "." + name);
  }

  Map<String, Object> updateSchema(RestCall call, String fullName) {
    Map<String, Object> body = body(call);
    refuseUnsupported(body, Set.of("full_name", "owner"), "a schema");
    reads.getSchema(call, fullName);
    owner(call, "SCHEMA", CatalogSql.quoteName(fullName, 2), body);
    return reads.getSchema(call, fullName);
  }

  Map<String, Object> deleteSchema(RestCall call, String fullName) {
    reads.getSchema(call, fullName);
    run(call, "DROP SCHEMA " + CatalogSql.quoteName(fullName, 2) + (force(call) ? " CASCADE" : ""));
    return Map.of();
  }

  // ---- tables ----

  /**
   * Registers an existing Delta table at {@code storage_location} as an EXTERNAL table ({@code
   * CREATE TABLE ... LOCATION}), as Databricks' create-table call does; {@code columns}, if given,
   * must match the Delta schema. A MANAGED table cannot be created through this call (Databricks
   * refuses it from outside its compute too): SQL's CREATE TABLE makes one.
   */
  Map<String, Object> createTable(RestCall call) {
    Map<String, Object> body = body(call);
    String catalog = required(body, "catalog_name");
    String schema = required(body, "schema_name");
    String name = required(body, "name");
    refuseUnsupported(
        body,
        Set.of(
            "name",
            "catalog_name",
            "schema_name",
            "table_type",
            "data_source_format",
            "storage_location",
            "columns",
            "comment",
            "properties"),
        "a table");
    String type = required(body, "table_type").toUpperCase(Locale.ROOT);
    if (type.equals("MANAGED")) {
      throw DatabricksApiException.invalidParameter(
          "Request to create a MANAGED table from outside of Databricks Unity Catalog enabled"
              + " compute is not supported: create it with SQL (CREATE TABLE), or register an"
              + " existing Delta table with table_type EXTERNAL and a storage_location");
    }
    if (!type.equals("EXTERNAL")) {
      throw DatabricksApiException.invalidParameter(
          "table_type must be EXTERNAL (or MANAGED, created with SQL): " + body.get("table_type"));
    }
    String format = required(body, "data_source_format").toUpperCase(Locale.ROOT);
    if (!format.equals("DELTA")) {
      throw DatabricksApiException.invalidParameter(
          "data_source_format must be DELTA: Aquifer registers Delta tables only, not " + format);
    }
    String location = required(body, "storage_location");
    String properties = tableProperties(body.get("properties"));
    String full =
        CatalogSql.quote(catalog) + "." + CatalogSql.quote(schema) + "." + CatalogSql.quote(name);
    run(
        call,
        "CREATE TABLE "
            + full
            + columns(body.get("columns"))
            + " USING DELTA LOCATION "
            + CatalogSql.literal(location)
            + comment(body));
    if (!properties.isEmpty()) {
      try {
        run(call, "ALTER TABLE " + full + " SET TBLPROPERTIES " + properties);
      } catch (DatabricksApiException e) {
        // The call fails as a whole: unregister the table again (its data stays where it is).
        try {
          run(call, "DROP TABLE " + full);
        } catch (DatabricksApiException dropFailed) {
          e.addSuppressed(dropFailed);
        }
        throw e;
      }
    }
    return reads.getTable(call, catalog + "." + schema + "." + name);
  }

  /**
   * {@code properties} of a create-table call as a TBLPROPERTIES list ({@code ('k' = 'v', ...)}),
   * empty when none are given. They are set on the registered table as ALTER TABLE ... SET
   * TBLPROPERTIES sets them (in its Delta log), so that get and SHOW TBLPROPERTIES return them.
   */
  private static String tableProperties(Object properties) {
    if (properties == null) {
      return "";
    }
    if (!(properties instanceof Map<?, ?> map)) {
      throw DatabricksApiException.invalidParameter(
          "properties must be an object of string values");
    }
    List<String> out = new ArrayList<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (!(e.getValue() instanceof String value) || e.getKey().toString().isBlank()) {
        throw DatabricksApiException.invalidParameter(
            "properties must be an object of string values: " + e.getKey());
      }
      out.add(CatalogSql.literal(e.getKey().toString()) + " = " + CatalogSql.literal(value));
    }
    return out.isEmpty() ? "" : "(" + String.join(", ", out) + ")";
  }

  /** {@code columns} of a create-table call as a SQL column list (empty when none are given). */
  private static String columns(Object columns) {
    if (columns == null) {
      return "";
    }
    if (!(columns instanceof List<?> list)) {
      throw DatabricksApiException.invalidParameter("columns must be a list");
    }
    if (list.isEmpty()) {
      return "";
    }
    List<Map<?, ?>> ordered = new ArrayList<>();
    for (Object column : list) {
      if (!(column instanceof Map<?, ?> c)
          || !(c.get("name") instanceof String n)
          || n.isBlank()
          || !(c.get("type_text") instanceof String t)
          || t.isBlank()) {
        throw DatabricksApiException.invalidParameter(
            "each column needs a name and a type_text: " + column);
      }
      if (!t.matches("[A-Za-z0-9_(), <>:]+")) {
        throw DatabricksApiException.invalidParameter(
            "not a column type: '" + t + "' of column " + n);
      }
      ordered.add(c);
    }
    if (ordered.stream().allMatch(c -> c.get("position") instanceof Number)) {
      ordered.sort(java.util.Comparator.comparingInt(c -> ((Number) c.get("position")).intValue()));
    }
    List<String> out = new ArrayList<>();
    for (Map<?, ?> c : ordered) {
      out.add(CatalogSql.quote((String) c.get("name")) + " " + c.get("type_text"));
    }
    return " (" + String.join(", ", out) + ")";
  }

  Map<String, Object> updateTable(RestCall call, String fullName) {
    Map<String, Object> body = body(call);
    refuseUnsupported(body, Set.of("full_name", "owner"), "a table");
    Map<String, Object> table = reads.getTable(call, fullName);
    String kind = "VIEW".equals(table.get("table_type")) ? "VIEW" : "TABLE";
    owner(call, kind, CatalogSql.quoteName(fullName, 3), body);
    return reads.getTable(call, fullName);
  }

  Map<String, Object> deleteTable(RestCall call, String fullName) {
    Map<String, Object> table = reads.getTable(call, fullName);
    String kind = "VIEW".equals(table.get("table_type")) ? "VIEW" : "TABLE";
    run(call, "DROP " + kind + " " + CatalogSql.quoteName(fullName, 3));
    return Map.of();
  }

  // ---- volumes ----

  /** The volumes of a schema, a page at a time, each as {@link #getVolume} gives it. */
  Map<String, Object> listVolumes(RestCall call) {
    String catalog = call.requiredQueryParameter("catalog_name");
    String schema = call.requiredQueryParameter("schema_name");
    reads.getSchema(call, catalog + "." + schema);
    List<String> names = new ArrayList<>();
    for (Map<String, String> row :
        rows(
            call,
            "SHOW VOLUMES IN " + CatalogSql.quote(catalog) + "." + CatalogSql.quote(schema))) {
      names.add(row.get("volume_name"));
    }
    return ListingPage.of(call, names)
        .answer("volumes", n -> getVolume(call, catalog + "." + schema + "." + n));
  }

  Map<String, Object> getVolume(RestCall call, String fullName) {
    List<Map<String, String>> rows =
        rows(call, "DESCRIBE VOLUME " + CatalogSql.quoteName(fullName, 3));
    if (rows.isEmpty()) {
      throw new DatabricksApiException(
          404, "VOLUME_DOES_NOT_EXIST", "Volume '" + fullName + "' does not exist.");
    }
    Map<String, String> row = rows.get(0);
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("name", row.get("name"));
    v.put("catalog_name", row.get("catalog"));
    v.put("schema_name", row.get("database"));
    v.put("full_name", row.get("catalog") + "." + row.get("database") + "." + row.get("name"));
    v.put("volume_type", row.get("volume_type"));
    v.put("owner", row.get("owner"));
    if (row.get("storage_location") != null) {
      v.put("storage_location", row.get("storage_location"));
    }
    if (row.get("comment") != null) {
      v.put("comment", row.get("comment"));
    }
    return v;
  }

  Map<String, Object> createVolume(RestCall call) {
    Map<String, Object> body = body(call);
    String catalog = required(body, "catalog_name");
    String schema = required(body, "schema_name");
    String name = required(body, "name");
    refuseUnsupported(
        body,
        Set.of("name", "catalog_name", "schema_name", "volume_type", "storage_location", "comment"),
        "a volume");
    String type =
        body.get("volume_type") == null
            ? "MANAGED"
            : body.get("volume_type").toString().toUpperCase(Locale.ROOT);
    Object location = body.get("storage_location");
    String full =
        CatalogSql.quote(catalog) + "." + CatalogSql.quote(schema) + "." + CatalogSql.quote(name);
    switch (type) {
      case "MANAGED" -> {
        if (location != null) {
          throw DatabricksApiException.invalidParameter("a MANAGED volume has no storage_location");
        }
        run(call, "CREATE VOLUME " + full + comment(body));
      }
      case "EXTERNAL" -> {
        if (location == null || location.toString().isBlank()) {
          throw DatabricksApiException.invalidParameter(
              "an EXTERNAL volume needs a storage_location");
        }
        run(
            call,
            "CREATE EXTERNAL VOLUME "
                + full
                + " LOCATION "
                + CatalogSql.literal(location.toString())
                + comment(body));
      }
      default ->
          throw DatabricksApiException.invalidParameter(
              "volume_type must be MANAGED or EXTERNAL: " + body.get("volume_type"));
    }
    return getVolume(call, catalog + "." + schema + "." + name);
  }

  Map<String, Object> deleteVolume(RestCall call, String fullName) {
    getVolume(call, fullName);
    run(call, "DROP VOLUME " + CatalogSql.quoteName(fullName, 3));
    return Map.of();
  }

  // ---- permissions ----

  /**
   * The privileges granted directly on a securable ({@code privilege_assignments}), optionally of
   * one principal: what Databricks' permissions API answers (owners and inherited grants are not
   * assignments).
   */
  Map<String, Object> getPermissions(RestCall call, String securableType, String fullName) {
    String keyword = securable(securableType);
    Map<String, List<String>> byPrincipal = new LinkedHashMap<>();
    String only = call.queryParameter("principal").orElse(null);
    for (Map<String, String> row :
        rows(call, "SHOW GRANTS ON " + keyword + " " + CatalogSql.quoteAny(fullName))) {
      String action = row.get("ActionType");
      if ("OWN".equals(action)
          || !keyword.equalsIgnoreCase(row.get("ObjectType"))
          || !fullName.equalsIgnoreCase(row.get("ObjectKey"))) {
        continue;
      }
      String principal = row.get("principal");
      if (only != null && !only.equals(principal)) {
        continue;
      }
      byPrincipal.computeIfAbsent(principal, p -> new ArrayList<>()).add(action.replace(' ', '_'));
    }
    List<Map<String, Object>> assignments = new ArrayList<>();
    byPrincipal.forEach(
        (principal, privileges) -> {
          Map<String, Object> a = new LinkedHashMap<>();
          a.put("principal", principal);
          a.put("privileges", privileges);
          assignments.add(a);
        });
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("privilege_assignments", assignments);
    return out;
  }

  /**
   * The privileges principals hold on a securable, granted on it or inherited from its schema and
   * catalog ({@code inherited_from_type} and {@code inherited_from_name} name where an inherited
   * one was granted), optionally of one principal ({@code principal=}): the rows of {@code SHOW
   * GRANTS}, so with its privileges. Ownership is no privilege assignment and is left out, as in
   * {@link #getPermissions}.
   */
  Map<String, Object> getEffectivePermissions(
      RestCall call, String securableType, String fullName) {
    String keyword = securable(securableType);
    Optional<String> only = call.queryParameter("principal").filter(p -> !p.isBlank());
    String statement =
        "SHOW GRANTS "
            + only.map(p -> CatalogSql.quote(p) + " ").orElse("")
            + "ON "
            + keyword
            + " "
            + CatalogSql.quoteAny(fullName);
    Map<String, List<Map<String, Object>>> byPrincipal = new LinkedHashMap<>();
    for (Map<String, String> row : rows(call, statement)) {
      String action = row.get("ActionType");
      if ("OWN".equals(action)) {
        continue;
      }
      Map<String, Object> privilege = new LinkedHashMap<>();
      privilege.put("privilege", action.replace(' ', '_'));
      String objectType = row.get("ObjectType");
      String objectKey = row.get("ObjectKey");
      if (!keyword.equalsIgnoreCase(objectType) || !fullName.equalsIgnoreCase(objectKey)) {
        privilege.put("inherited_from_type", objectType.toUpperCase(Locale.ROOT));
        privilege.put("inherited_from_name", objectKey);
      }
      byPrincipal.computeIfAbsent(row.get("principal"), p -> new ArrayList<>()).add(privilege);
    }
    List<Map<String, Object>> assignments = new ArrayList<>();
    byPrincipal.forEach(
        (principal, privileges) -> {
          Map<String, Object> a = new LinkedHashMap<>();
          a.put("principal", principal);
          a.put("privileges", privileges);
          assignments.add(a);
        });
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("privilege_assignments", assignments);
    return out;
  }

  /** {@code changes}: per principal, privileges to {@code add} and to {@code remove}. */
  Map<String, Object> updatePermissions(RestCall call, String securableType, String fullName) {
    String keyword = securable(securableType);
    Object changes = body(call).get("changes");
    if (!(changes instanceof List<?> list)) {
      throw DatabricksApiException.invalidParameter("changes must be a list");
    }
    List<String> statements = new ArrayList<>();
    for (Object change : list) {
      if (!(change instanceof Map<?, ?> c) || !(c.get("principal") instanceof String principal)) {
        throw DatabricksApiException.invalidParameter("each change needs a principal");
      }
      for (String verb : List.of("add", "remove")) {
        Object privileges = c.get(verb);
        if (privileges == null) {
          continue;
        }
        if (!(privileges instanceof List<?> names) || names.isEmpty()) {
          throw DatabricksApiException.invalidParameter(verb + " must be a list of privileges");
        }
        List<String> granted = new ArrayList<>();
        for (Object p : names) {
          if (!(p instanceof String s) || !s.matches("[A-Za-z_ ]+")) {
            throw DatabricksApiException.invalidParameter("not a privilege: " + p);
          }
          granted.add(s.replace('_', ' ').toUpperCase(Locale.ROOT));
        }
        String on = " ON " + keyword + " " + CatalogSql.quoteAny(fullName);
        statements.add(
            verb.equals("add")
                ? "GRANT " + String.join(", ", granted) + on + " TO " + CatalogSql.quote(principal)
                : "REVOKE "
                    + String.join(", ", granted)
                    + on
                    + " FROM "
                    + CatalogSql.quote(principal));
      }
    }
    for (String statement : statements) {
      run(call, statement);
    }
    return getPermissions(call, securableType, fullName);
  }

  // ---- internals ----

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  @SuppressWarnings("unchecked")
  private static Map<String, Object> body(RestCall call) {
    return JSON.convertValue(call.json(), Map.class);
  }

  private static String securable(String type) {
    String keyword = SECURABLES.get(type.toLowerCase(Locale.ROOT));
    if (keyword == null) {
      throw DatabricksApiException.invalidParameter(
          "securable_type must be one of " + SECURABLES.keySet() + ": " + type);
    }
    return keyword;
  }

  private void owner(RestCall call, String kind, String name, Map<String, Object> body) {
    Object owner = body.get("owner");
    if (owner == null) {
      return;
    }
    if (!(owner instanceof String o) || o.isBlank()) {
      throw DatabricksApiException.invalidParameter("owner must be a principal name");
    }
    run(call, "ALTER " + kind + " " + name + " OWNER TO " + CatalogSql.quote(o));
  }

  private static void refuseUnsupported(Map<String, Object> body, Set<String> known, String what) {
    for (String field : body.keySet()) {
      Object value = body.get(field);
      boolean empty = value instanceof Map<?, ?> m && m.isEmpty(); // sets nothing: accepted
      if (!known.contains(field) && value != null && !empty) {
        throw DatabricksApiException.invalidParameter(
            "Aquifer does not support setting '" + field + "' of " + what + " through this API");
      }
    }
  }

  private static boolean force(RestCall call) {
    return call.queryParameter("force").map(Boolean::parseBoolean).orElse(false);
  }

  private static String required(Map<String, Object> body, String field) {
    Object value = body.get(field);
    if (value == null || value instanceof String s && s.isBlank()) {
      throw DatabricksApiException.invalidParameter(field + " is required");
    }
    if (!(value instanceof String s)) {
      throw DatabricksApiException.invalidParameter(field + " must be a string");
    }
    return s;
  }

  private static String comment(Map<String, Object> body) {
    Object comment = body.get("comment");
    return comment == null ? "" : " COMMENT " + CatalogSql.literal(comment.toString());
  }
}

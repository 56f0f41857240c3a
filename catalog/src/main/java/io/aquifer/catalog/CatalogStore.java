package io.aquifer.catalog;

import static io.aquifer.catalog.CatalogDatabase.fromEpochMicros;
import static io.aquifer.catalog.CatalogDatabase.toEpochMicros;
import static io.aquifer.catalog.CatalogErrorCode.CATALOG_OBJECT_ALREADY_EXISTS;
import static io.aquifer.catalog.CatalogErrorCode.CATALOG_OBJECT_NOT_EMPTY;
import static io.aquifer.catalog.CatalogErrorCode.CATALOG_OBJECT_NOT_FOUND;
import static io.aquifer.catalog.CatalogErrorCode.CATALOG_OBJECT_WRONG_KIND;
import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Catalogs, schemas, tables and views, persisted in a {@link CatalogDatabase}. Every method is one
 * transaction. Names are case-insensitive (see {@link ObjectNames}).
 *
 * <p>Tables have a directory outside the database, so creating and dropping one is two-phase:
 *
 * <ol>
 *   <li>{@link #beginCreateTable} inserts the row as CREATING (invisible, but holding the name);
 *       the caller writes the Delta table; {@link #commitCreateTable} makes it ACTIVE, or {@link
 *       #abortCreateTable} removes it after the caller deleted what it wrote.
 *   <li>{@link #beginDropTable} turns an ACTIVE row DROPPING (invisible at once, name still held);
 *       the caller deletes the directory of a MANAGED table; {@link #finishDropTable} removes the
 *       row. DROP CATALOG/SCHEMA ... CASCADE leaves its tables DROPPING the same way.
 * </ol>
 *
 * After a crash, {@link #pendingTableOperations()} lists the rows left half-way so that start-up
 * recovery can finish or roll them back.
 */
public final class CatalogStore {
  public static final String DEFAULT_CATALOG = "main";
  public static final String DEFAULT_SCHEMA = "default";

  private static final String DEFAULTS_CREATED_KEY = "defaults_created";
  private static final String TABLE_COLUMNS =
      "catalog_name, schema_name, name, kind, state, owner, comment, location,"
          + " view_sql, view_catalog, view_schema, created_at, updated_at";

  private final CatalogDatabase database;
  private final Clock clock;
  private final GrantStore grants;
  private final FunctionStore functions;
  private final VolumeStore volumes;

  private CatalogStore(CatalogDatabase database, Clock clock) {
    this.database = requireNonNull(database, "database");
    this.clock = requireNonNull(clock, "clock");
    this.grants = new GrantStore(database, clock);
    this.functions = new FunctionStore(database, clock);
    this.volumes = new VolumeStore(database, clock);
  }

  /** The volumes of the catalog's schemas. */
  public VolumeStore volumes() {
    return volumes;
  }

  /** The database this store keeps its objects in, for the stores of principals and tokens. */
  public CatalogDatabase database() {
    return database;
  }

  /** The privileges granted on this store's objects. */
  /** SQL functions, and the row filters and column masks of tables. */
  public FunctionStore functions() {
    return functions;
  }

  public GrantStore grants() {
    return grants;
  }

  /**
   * Opens the store. The first time a database is opened, it creates catalog {@value
   * #DEFAULT_CATALOG} and schema {@value #DEFAULT_CATALOG}.{@value #DEFAULT_SCHEMA} owned by {@code
   * defaultOwner}; later opens leave things as they are, even if those were dropped.
   */
  public static CatalogStore open(CatalogDatabase database, String defaultOwner) {
    return open(database, defaultOwner, Clock.systemUTC());
  }

  public static CatalogStore open(CatalogDatabase database, String defaultOwner, Clock clock) {
    CatalogStore store = new CatalogStore(database, clock);
    store.createDefaultsOnce(Owners.check(defaultOwner));
    return store;
  }

  private void createDefaultsOnce(String owner) {
    database.write(
        connection -> {
          try (PreparedStatement select =
              connection.prepareStatement("SELECT value FROM store_metadata WHERE key = ?")) {
            select.setString(1, DEFAULTS_CREATED_KEY);
            try (ResultSet rows = select.executeQuery()) {
              if (rows.next()) {
                return null;
              }
            }
          }
          Instant now = now();
          if (findCatalog(connection, DEFAULT_CATALOG).isEmpty()) {
            insertCatalog(connection, DEFAULT_CATALOG, owner, Optional.empty(), now);
          }
          if (findSchema(connection, DEFAULT_CATALOG, DEFAULT_SCHEMA).isEmpty()) {
            insertSchema(
                connection,
                DEFAULT_CATALOG,
                DEFAULT_SCHEMA,
                owner,
                Optional.of("Default schema"),
                now);
          }
          try (PreparedStatement insert =
              connection.prepareStatement(
                  "INSERT INTO store_metadata (key, value) VALUES (?, ?)")) {
            insert.setString(1, DEFAULTS_CREATED_KEY);
            insert.setString(2, now.toString());
            insert.executeUpdate();
          }
          return null;
        });
  }

  // ---------------------------------------------------------------- catalogs

  /**
   * Creates a catalog. If it exists, returns the existing one when {@code ifNotExists}, else fails
   * with CATALOG_OBJECT_ALREADY_EXISTS.
   */
  public CatalogInfo createCatalog(
      String name, String owner, Optional<String> comment, boolean ifNotExists) {
    String catalog = ObjectNames.normalize("catalog", name);
    String checkedOwner = Owners.check(owner);
    requireNonNull(comment, "comment");
    return database.write(
        connection -> {
          Optional<CatalogInfo> existing = findCatalog(connection, catalog);
          if (existing.isPresent()) {
            if (ifNotExists) {
              return existing.get();
            }
            throw new CatalogException(
                CATALOG_OBJECT_ALREADY_EXISTS, "catalog " + catalog + " already exists");
          }
          return insertCatalog(connection, catalog, checkedOwner, comment, now());
        });
  }

  public Optional<CatalogInfo> getCatalog(String name) {
    String catalog = ObjectNames.normalize("catalog", name);
    return database.read(connection -> findCatalog(connection, catalog));
  }

  /** All catalogs, by name. */
  public List<CatalogInfo> listCatalogs() {
    return database.read(
        connection -> {
          List<CatalogInfo> catalogs = new ArrayList<>();
          try (PreparedStatement select =
                  connection.prepareStatement(
                      "SELECT name, owner, comment, created_at, updated_at FROM catalogs ORDER BY name");
              ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
              catalogs.add(catalogInfo(rows));
            }
          }
          return catalogs;
        });
  }

  /**
   * Drops a catalog. Without {@code cascade} it must hold no schema (else
   * CATALOG_OBJECT_NOT_EMPTY); with it, its schemas and views go and its tables are left DROPPING.
   *
   * @return the tables now DROPPING: delete the data of the MANAGED ones, then {@link
   *     #finishDropTable} each. Empty if the catalog did not exist and {@code ifExists}.
   */
  public List<TableInfo> dropCatalog(String name, boolean ifExists, boolean cascade) {
    String catalog = ObjectNames.normalize("catalog", name);
    return database.write(
        connection -> {
          if (findCatalog(connection, catalog).isEmpty()) {
            if (ifExists) {
              return List.of();
            }
            throw new CatalogException(
                CATALOG_OBJECT_NOT_FOUND, "catalog " + catalog + " not found");
          }
          requireNoVolumes(connection, catalog, null);
          if (!cascade) {
            long schemas =
                count(connection, "SELECT count(*) FROM schemas WHERE catalog_name = ?", catalog);
            if (schemas > 0) {
              throw new CatalogException(
                  CATALOG_OBJECT_NOT_EMPTY,
                  "catalog "
                      + catalog
                      + " is not empty: it holds "
                      + schemas
                      + " schema(s); drop them first or use CASCADE");
            }
          }
          List<TableInfo> dropping =
              markTablesDropping(connection, "catalog_name = ?", List.of(catalog));
          update(
              connection, "DELETE FROM tables WHERE catalog_name = ? AND kind = 'VIEW'", catalog);
          FunctionStore.deleteFunctions(connection, catalog, null);
          update(connection, "DELETE FROM schemas WHERE catalog_name = ?", catalog);
          update(connection, "DELETE FROM catalogs WHERE name = ?", catalog);
          GrantStore.deleteGrants(connection, Securable.catalog(catalog));
          return dropping;
        });
  }

  // ---------------------------------------------------------------- schemas

  /**
   * Creates a schema in an existing catalog. If it exists, returns the existing one when {@code
   * ifNotExists}, else fails with SCHEMA_ALREADY_EXISTS.
   */
  public SchemaInfo createSchema(
      String catalog, String name, String owner, Optional<String> comment, boolean ifNotExists) {
    String catalogName = ObjectNames.normalize("catalog", catalog);
    String schemaName = ObjectNames.normalize("schema", name);
    String checkedOwner = Owners.check(owner);
    requireNonNull(comment, "comment");
    return database.write(
        connection -> {
          if (findCatalog(connection, catalogName).isEmpty()) {
            throw new CatalogException(
                CATALOG_OBJECT_NOT_FOUND, "catalog " + catalogName + " not found");
          }
          Optional<SchemaInfo> existing = findSchema(connection, catalogName, schemaName);
          if (existing.isPresent()) {
            if (ifNotExists) {
              return existing.get();
            }
            throw new CatalogException(
                CatalogErrorCode.SCHEMA_ALREADY_EXISTS,
                "schema " + catalogName + "." + schemaName + " already exists");
          }
          return insertSchema(connection, catalogName, schemaName, checkedOwner, comment, now());
        });
  }

  public Optional<SchemaInfo> getSchema(String catalog, String schema) {
    String catalogName = ObjectNames.normalize("catalog", catalog);
    String schemaName = ObjectNames.normalize("schema", schema);
    return database.read(connection -> findSchema(connection, catalogName, schemaName));
  }

  /** The schemas of a catalog, by name; CATALOG_OBJECT_NOT_FOUND if the catalog does not exist. */
  public List<SchemaInfo> listSchemas(String catalog) {
    String catalogName = ObjectNames.normalize("catalog", catalog);
    return database.read(
        connection -> {
          if (findCatalog(connection, catalogName).isEmpty()) {
            throw new CatalogException(
                CATALOG_OBJECT_NOT_FOUND, "catalog " + catalogName + " not found");
          }
          List<SchemaInfo> schemas = new ArrayList<>();
          try (PreparedStatement select =
              connection.prepareStatement(
                  "SELECT catalog_name, name, owner, comment, created_at, updated_at"
                      + " FROM schemas WHERE catalog_name = ? ORDER BY name")) {
            select.setString(1, catalogName);
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                schemas.add(schemaInfo(rows));
              }
            }
          }
          return schemas;
        });
  }

  /**
   * Drops a schema. Without {@code cascade} it must hold no table or view, including one being
   * created (else CATALOG_OBJECT_NOT_EMPTY); with it, its views go and its tables are left
   * DROPPING.
   *
   * @return the tables now DROPPING, as for {@link #dropCatalog}
   */
  public List<TableInfo> dropSchema(
      String catalog, String schema, boolean ifExists, boolean cascade) {
    String catalogName = ObjectNames.normalize("catalog", catalog);
    String schemaName = ObjectNames.normalize("schema", schema);
    return database.write(
        connection -> {
          if (findSchema(connection, catalogName, schemaName).isEmpty()) {
            if (ifExists) {
              return List.of();
            }
            throw schemaNotFound(connection, catalogName, schemaName);
          }
          requireNoVolumes(connection, catalogName, schemaName);
          if (!cascade) {
            long objects =
                count(
                    connection,
                    "SELECT count(*) FROM tables WHERE catalog_name = ? AND schema_name = ?"
                        + " AND state <> 'DROPPING'",
                    catalogName,
                    schemaName);
            if (objects > 0) {
              throw new CatalogException(
                  CATALOG_OBJECT_NOT_EMPTY,
                  "schema "
                      + catalogName
                      + "."
                      + schemaName
                      + " is not empty: it holds "
                      + objects
                      + " table(s) or view(s); drop them first or use CASCADE");
            }
          }
          List<TableInfo> dropping =
              markTablesDropping(
                  connection,
                  "catalog_name = ? AND schema_name = ?",
                  List.of(catalogName, schemaName));
          update(
              connection,
              "DELETE FROM tables WHERE catalog_name = ? AND schema_name = ? AND kind = 'VIEW'",
              catalogName,
              schemaName);
          update(
              connection,
              "DELETE FROM schemas WHERE catalog_name = ? AND name = ?",
              catalogName,
              schemaName);
          GrantStore.deleteGrants(connection, Securable.schema(catalogName, schemaName));
          FunctionStore.deleteFunctions(connection, catalogName, schemaName);
          return dropping;
        });
  }

  // ---------------------------------------------------------------- tables and views

  /** The ACTIVE table or view of that name. */
  public Optional<TableInfo> getTable(TableName name) {
    requireNonNull(name, "name");
    return database.read(
        connection ->
            findTableRow(connection, name)
                .filter(row -> row.state() == TableState.ACTIVE)
                .map(TableRow::table));
  }

  /**
   * The ACTIVE tables and views of a schema, by name; CATALOG_OBJECT_NOT_FOUND if the schema does
   * not exist.
   */
  public List<TableInfo> listTables(String catalog, String schema) {
    String catalogName = ObjectNames.normalize("catalog", catalog);
    String schemaName = ObjectNames.normalize("schema", schema);
    return database.read(
        connection -> {
          requireSchema(connection, catalogName, schemaName);
          List<TableRow> rows =
              selectTables(
                  connection,
                  "catalog_name = ? AND schema_name = ? AND state = 'ACTIVE'",
                  List.of(catalogName, schemaName));
          return rows.stream().map(TableRow::table).toList();
        });
  }

  /**
   * Phase one of CREATE TABLE: inserts the row as CREATING, invisible to {@link #getTable} and
   * {@link #listTables} but holding the name. The caller then writes the Delta table and calls
   * {@link #commitCreateTable} (or deletes what it wrote and calls {@link #abortCreateTable}).
   *
   * @param table a MANAGED or EXTERNAL table
   * @return the CREATING table; empty if an ACTIVE object of that name exists and {@code
   *     ifNotExists} (then the caller must write nothing)
   * @throws CatalogException TABLE_OR_VIEW_ALREADY_EXISTS if the name is taken (by an ACTIVE object
   *     without {@code ifNotExists}, or by a table being created or dropped);
   *     CATALOG_OBJECT_NOT_FOUND if the schema does not exist
   */
  public Optional<TableInfo> beginCreateTable(TableDefinition table, boolean ifNotExists) {
    requireNonNull(table, "table");
    if (table.kind() == TableKind.VIEW) {
      throw new IllegalArgumentException("use createView for view " + table.name());
    }
    return database.write(
        connection -> {
          requireSchema(connection, table.name().catalog(), table.name().schema());
          Optional<TableRow> existing = findTableRow(connection, table.name());
          if (existing.isPresent()) {
            if (ifNotExists && existing.get().state() == TableState.ACTIVE) {
              return Optional.empty();
            }
            throw nameTaken(existing.get());
          }
          Instant now = now();
          insertTable(connection, table, TableState.CREATING, now, now);
          return Optional.of(new TableInfo(table, now, now));
        });
  }

  /**
   * Phase two of CREATE TABLE: makes a CREATING table ACTIVE.
   *
   * @throws CatalogException CATALOG_OBJECT_NOT_FOUND if no table of that name is being created
   *     (for instance because DROP SCHEMA ... CASCADE dropped it meanwhile)
   */
  public TableInfo commitCreateTable(TableName name) {
    requireNonNull(name, "name");
    return database.write(
        connection -> {
          TableRow row = requirePending(connection, name, TableState.CREATING);
          Instant now = now();
          setState(connection, name, TableState.ACTIVE, now);
          return new TableInfo(row.table().definition(), row.table().createdAt(), now);
        });
  }

  /** Rolls back a CREATING table: removes its row, after the caller deleted what it wrote. */
  public void abortCreateTable(TableName name) {
    requireNonNull(name, "name");
    database.write(
        connection -> {
          requirePending(connection, name, TableState.CREATING);
          deleteTable(connection, name);
          return null;
        });
  }

  /**
   * Phase one of DROP TABLE: turns an ACTIVE table DROPPING, which hides it at once. The caller
   * then deletes the directory of a MANAGED table (an EXTERNAL table's data stays) and calls {@link
   * #finishDropTable}.
   *
   * @return the table now DROPPING; empty if there is no such table and {@code ifExists}
   * @throws CatalogException CATALOG_OBJECT_WRONG_KIND if the name is a view
   */
  public Optional<TableInfo> beginDropTable(TableName name, boolean ifExists) {
    requireNonNull(name, "name");
    return database.write(
        connection -> {
          Optional<TableRow> row =
              findTableRow(connection, name).filter(r -> r.state() == TableState.ACTIVE);
          if (row.isEmpty()) {
            if (ifExists) {
              return Optional.empty();
            }
            throw new CatalogException(CATALOG_OBJECT_NOT_FOUND, "table " + name + " not found");
          }
          TableInfo table = row.get().table();
          if (table.kind() == TableKind.VIEW) {
            throw new CatalogException(
                CATALOG_OBJECT_WRONG_KIND, name + " is a view; use DROP VIEW to drop it");
          }
          Instant now = now();
          setState(connection, name, TableState.DROPPING, now);
          GrantStore.deleteGrants(connection, Securable.table(name));
          FunctionStore.deletePolicies(connection, name);
          return Optional.of(new TableInfo(table.definition(), table.createdAt(), now));
        });
  }

  /** Phase two of DROP TABLE: removes a DROPPING table's row, freeing its name. */
  public void finishDropTable(TableName name) {
    requireNonNull(name, "name");
    database.write(
        connection -> {
          requirePending(connection, name, TableState.DROPPING);
          deleteTable(connection, name);
          return null;
        });
  }

  /** Tables left CREATING or DROPPING, by name: what start-up recovery must finish. */
  public List<PendingTableOperation> pendingTableOperations() {
    return database.read(
        connection ->
            selectTables(connection, "state <> 'ACTIVE'", List.of()).stream()
                .map(row -> new PendingTableOperation(row.state(), row.table()))
                .toList());
  }

  /**
   * Creates a view, or with {@code orReplace} replaces an existing view's query, comment and
   * properties (its owner and creation time stay).
   *
   * @param view a definition of kind VIEW
   * @throws CatalogException TABLE_OR_VIEW_ALREADY_EXISTS if the name is taken and not {@code
   *     orReplace}; CATALOG_OBJECT_WRONG_KIND if {@code orReplace} meets a table
   */
  public TableInfo createView(TableDefinition view, boolean orReplace) {
    requireNonNull(view, "view");
    if (view.kind() != TableKind.VIEW) {
      throw new IllegalArgumentException("use beginCreateTable for table " + view.name());
    }
    return database.write(
        connection -> {
          requireSchema(connection, view.name().catalog(), view.name().schema());
          Optional<TableRow> existing = findTableRow(connection, view.name());
          Instant now = now();
          if (existing.isEmpty()) {
            insertTable(connection, view, TableState.ACTIVE, now, now);
            return new TableInfo(view, now, now);
          }
          TableRow row = existing.get();
          if (!orReplace || row.state() != TableState.ACTIVE) {
            throw nameTaken(row);
          }
          if (row.table().kind() != TableKind.VIEW) {
            throw new CatalogException(
                CATALOG_OBJECT_WRONG_KIND,
                view.name() + " is a table; CREATE OR REPLACE VIEW cannot replace it");
          }
          TableDefinition replaced =
              new TableDefinition(
                  view.name(),
                  TableKind.VIEW,
                  row.table().owner(),
                  view.comment(),
                  Optional.empty(),
                  view.view(),
                  view.properties());
          deleteTable(connection, view.name());
          insertTable(connection, replaced, TableState.ACTIVE, row.table().createdAt(), now);
          return new TableInfo(replaced, row.table().createdAt(), now);
        });
  }

  /**
   * ALTER TABLE/VIEW ... RENAME TO: the ACTIVE table or view takes the new name (in the same or
   * another schema of the same catalog); its location, owner and properties stay.
   *
   * @throws CatalogException CATALOG_OBJECT_NOT_FOUND if there is no such table or the target
   *     schema does not exist; TABLE_OR_VIEW_ALREADY_EXISTS if the new name is taken
   */
  public TableInfo renameTable(TableName from, TableName to) {
    requireNonNull(from, "from");
    requireNonNull(to, "to");
    return database.write(
        connection -> {
          TableRow row =
              findTableRow(connection, from)
                  .filter(r -> r.state() == TableState.ACTIVE)
                  .orElseThrow(
                      () ->
                          new CatalogException(
                              CATALOG_OBJECT_NOT_FOUND, "table or view " + from + " not found"));
          requireSchema(connection, to.catalog(), to.schema());
          Optional<TableRow> existing = findTableRow(connection, to);
          if (existing.isPresent()) {
            throw nameTaken(existing.get());
          }
          TableDefinition old = row.table().definition();
          TableDefinition renamed =
              new TableDefinition(
                  to,
                  old.kind(),
                  old.owner(),
                  old.comment(),
                  old.location(),
                  old.view(),
                  old.properties());
          Instant now = now();
          GrantStore.moveGrants(connection, from, to);
          FunctionStore.movePolicies(connection, from, to);
          deleteTable(connection, from);
          insertTable(connection, renamed, TableState.ACTIVE, row.table().createdAt(), now);
          return new TableInfo(renamed, row.table().createdAt(), now);
        });
  }

  /**
   * COMMENT ON TABLE: the ACTIVE table's or view's comment (empty: none).
   *
   * @throws CatalogException CATALOG_OBJECT_NOT_FOUND if there is no such table
   */
  public TableInfo setTableComment(TableName name, Optional<String> comment) {
    requireNonNull(name, "name");
    requireNonNull(comment, "comment");
    return database.write(
        connection -> {
          TableRow row =
              findTableRow(connection, name)
                  .filter(r -> r.state() == TableState.ACTIVE)
                  .orElseThrow(
                      () ->
                          new CatalogException(
                              CATALOG_OBJECT_NOT_FOUND, "table or view " + name + " not found"));
          Instant now = now();
          try (PreparedStatement update =
              connection.prepareStatement(
                  "UPDATE tables SET comment = ?, updated_at = ?"
                      + " WHERE catalog_name = ? AND schema_name = ? AND name = ?")) {
            update.setString(1, comment.orElse(null));
            update.setLong(2, toEpochMicros(now));
            update.setString(3, name.catalog());
            update.setString(4, name.schema());
            update.setString(5, name.table());
            update.executeUpdate();
          }
          TableDefinition old = row.table().definition();
          return new TableInfo(
              new TableDefinition(
                  old.name(),
                  old.kind(),
                  old.owner(),
                  comment,
                  old.location(),
                  old.view(),
                  old.properties()),
              row.table().createdAt(),
              now);
        });
  }

  /**
   * Makes {@code owner} the owner of a catalog, schema, table, view, volume or function ({@code
   * ALTER ... OWNER TO}). The caller checks the principal exists and who may do this.
   *
   * @throws CatalogException CATALOG_OBJECT_NOT_FOUND if the object does not exist
   */
  public void setOwner(Securable securable, String owner) {
    requireNonNull(securable, "securable");
    String newOwner = GrantStore.principalName(owner);
    if (securable.type() == SecurableType.FUNCTION) {
      List<String> f = securable.parts();
      functions().setOwner(new TableName(f.get(0), f.get(1), f.get(2)), newOwner);
      return;
    }
    List<String> p = securable.parts();
    String sql =
        switch (securable.type()) {
          case CATALOG -> "UPDATE catalogs SET owner = ?, updated_at = ? WHERE name = ?";
          case SCHEMA ->
              "UPDATE schemas SET owner = ?, updated_at = ? WHERE catalog_name = ? AND name = ?";
          case TABLE ->
              "UPDATE tables SET owner = ?, updated_at = ?"
                  + " WHERE catalog_name = ? AND schema_name = ? AND name = ? AND state = 'ACTIVE'";
          case VOLUME ->
              "UPDATE volumes SET owner = ?, updated_at = ?"
                  + " WHERE catalog_name = ? AND schema_name = ? AND name = ?";
          case FUNCTION -> throw new IllegalStateException("handled above");
          case METASTORE ->
              throw new IllegalArgumentException(
                  "the owner of " + securable + " cannot be changed here");
        };
    database.write(
        connection -> {
          try (PreparedStatement update = connection.prepareStatement(sql)) {
            update.setString(1, newOwner);
            update.setLong(2, toEpochMicros(now()));
            for (int i = 0; i < p.size(); i++) {
              update.setString(3 + i, p.get(i));
            }
            if (update.executeUpdate() == 0) {
              throw new CatalogException(
                  CATALOG_OBJECT_NOT_FOUND, securable.fullName() + " not found");
            }
          }
          return null;
        });
  }

  /**
   * Drops a view.
   *
   * @return whether a view was dropped (false only when it did not exist and {@code ifExists})
   * @throws CatalogException CATALOG_OBJECT_WRONG_KIND if the name is a table
   */
  public boolean dropView(TableName name, boolean ifExists) {
    requireNonNull(name, "name");
    return database.write(
        connection -> {
          Optional<TableRow> row =
              findTableRow(connection, name).filter(r -> r.state() == TableState.ACTIVE);
          if (row.isEmpty()) {
            if (ifExists) {
              return false;
            }
            throw new CatalogException(CATALOG_OBJECT_NOT_FOUND, "view " + name + " not found");
          }
          if (row.get().table().kind() != TableKind.VIEW) {
            throw new CatalogException(
                CATALOG_OBJECT_WRONG_KIND, name + " is a table; use DROP TABLE to drop it");
          }
          deleteTable(connection, name);
          return true;
        });
  }

  // ---------------------------------------------------------------- rows

  private Instant now() {
    return CatalogDatabase.now(clock);
  }

  private static CatalogException nameTaken(TableRow row) {
    TableInfo table = row.table();
    String what = (table.kind() == TableKind.VIEW ? "view " : "table ") + table.name();
    return switch (row.state()) {
      case ACTIVE ->
          new CatalogException(
              CatalogErrorCode.TABLE_OR_VIEW_ALREADY_EXISTS, what + " already exists");
      case CREATING ->
          new CatalogException(
              CatalogErrorCode.TABLE_OR_VIEW_ALREADY_EXISTS,
              what + " already exists (it is being created)");
      case DROPPING ->
          new CatalogException(
              CatalogErrorCode.TABLE_OR_VIEW_ALREADY_EXISTS,
              what + " is being dropped; its name is free once the drop finishes");
    };
  }

  private static TableRow requirePending(Connection connection, TableName name, TableState state)
      throws SQLException {
    Optional<TableRow> row = findTableRow(connection, name);
    if (row.isEmpty() || row.get().state() != state) {
      String actual = row.map(r -> " (it is " + r.state() + ")").orElse("");
      throw new CatalogException(
          CATALOG_OBJECT_NOT_FOUND,
          "no table " + name + " is " + state.name().toLowerCase() + actual);
    }
    return row.get();
  }

  /**
   * Volumes are not dropped along with what holds them (a managed volume's files would have to go
   * in the same step): a catalog or schema that holds one is refused, even with CASCADE.
   */
  private static void requireNoVolumes(Connection connection, String catalog, String schema)
      throws SQLException {
    long volumes = VolumeStore.countIn(connection, catalog, schema);
    if (volumes > 0) {
      throw new CatalogException(
          CatalogErrorCode.CATALOG_OBJECT_NOT_EMPTY,
          (schema == null ? "catalog " + catalog : "schema " + catalog + "." + schema)
              + " holds "
              + volumes
              + " volume(s); drop them first with DROP VOLUME");
    }
  }

  private static void requireSchema(Connection connection, String catalog, String schema)
      throws SQLException {
    if (findSchema(connection, catalog, schema).isEmpty()) {
      throw schemaNotFound(connection, catalog, schema);
    }
  }

  private static CatalogException schemaNotFound(
      Connection connection, String catalog, String schema) throws SQLException {
    if (findCatalog(connection, catalog).isEmpty()) {
      return new CatalogException(CATALOG_OBJECT_NOT_FOUND, "catalog " + catalog + " not found");
    }
    return new CatalogException(
        CATALOG_OBJECT_NOT_FOUND, "schema " + catalog + "." + schema + " not found");
  }

  private static Optional<CatalogInfo> findCatalog(Connection connection, String name)
      throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT name, owner, comment, created_at, updated_at FROM catalogs WHERE name = ?")) {
      select.setString(1, name);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next() ? Optional.of(catalogInfo(rows)) : Optional.empty();
      }
    }
  }

  private static CatalogInfo catalogInfo(ResultSet rows) throws SQLException {
    return new CatalogInfo(
        rows.getString(1),
        rows.getString(2),
        Optional.ofNullable(rows.getString(3)),
        fromEpochMicros(rows.getLong(4)),
        fromEpochMicros(rows.getLong(5)));
  }

  private static CatalogInfo insertCatalog(
      Connection connection, String name, String owner, Optional<String> comment, Instant now)
      throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO catalogs (name, owner, comment, created_at, updated_at)"
                + " VALUES (?, ?, ?, ?, ?)")) {
      insert.setString(1, name);
      insert.setString(2, owner);
      insert.setString(3, comment.orElse(null));
      insert.setLong(4, toEpochMicros(now));
      insert.setLong(5, toEpochMicros(now));
      insert.executeUpdate();
    }
    return new CatalogInfo(name, owner, comment, now, now);
  }

  private static Optional<SchemaInfo> findSchema(Connection connection, String catalog, String name)
      throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT catalog_name, name, owner, comment, created_at, updated_at"
                + " FROM schemas WHERE catalog_name = ? AND name = ?")) {
      select.setString(1, catalog);
      select.setString(2, name);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next() ? Optional.of(schemaInfo(rows)) : Optional.empty();
      }
    }
  }

  private static SchemaInfo schemaInfo(ResultSet rows) throws SQLException {
    return new SchemaInfo(
        rows.getString(1),
        rows.getString(2),
        rows.getString(3),
        Optional.ofNullable(rows.getString(4)),
        fromEpochMicros(rows.getLong(5)),
        fromEpochMicros(rows.getLong(6)));
  }

  private static SchemaInfo insertSchema(
      Connection connection,
      String catalog,
      String name,
      String owner,
      Optional<String> comment,
      Instant now)
      throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO schemas (catalog_name, name, owner, comment, created_at, updated_at)"
                + " VALUES (?, ?, ?, ?, ?, ?)")) {
      insert.setString(1, catalog);
      insert.setString(2, name);
      insert.setString(3, owner);
      insert.setString(4, comment.orElse(null));
      insert.setLong(5, toEpochMicros(now));
      insert.setLong(6, toEpochMicros(now));
      insert.executeUpdate();
    }
    return new SchemaInfo(catalog, name, owner, comment, now, now);
  }

  private static Optional<TableRow> findTableRow(Connection connection, TableName name)
      throws SQLException {
    List<TableRow> rows =
        selectTables(
            connection,
            "catalog_name = ? AND schema_name = ? AND name = ?",
            List.of(name.catalog(), name.schema(), name.table()));
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  /** Rows of {@code tables} matching {@code where}, by name, with their properties. */
  private static List<TableRow> selectTables(
      Connection connection, String where, List<String> parameters) throws SQLException {
    Map<TableName, Map<String, String>> properties = new HashMap<>();
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT catalog_name, schema_name, table_name, key, value FROM table_properties"
                + " WHERE (catalog_name, schema_name, table_name) IN"
                + " (SELECT catalog_name, schema_name, name FROM tables WHERE "
                + where
                + ")")) {
      bind(select, parameters);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          properties
              .computeIfAbsent(
                  new TableName(rows.getString(1), rows.getString(2), rows.getString(3)),
                  key -> new TreeMap<>())
              .put(rows.getString(4), rows.getString(5));
        }
      }
    }
    List<TableRow> tables = new ArrayList<>();
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT "
                + TABLE_COLUMNS
                + " FROM tables WHERE "
                + where
                + " ORDER BY catalog_name, schema_name, name")) {
      bind(select, parameters);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          TableName name = new TableName(rows.getString(1), rows.getString(2), rows.getString(3));
          TableKind kind = TableKind.valueOf(rows.getString(4));
          TableState state = TableState.valueOf(rows.getString(5));
          Optional<ViewDefinition> view =
              kind == TableKind.VIEW
                  ? Optional.of(
                      new ViewDefinition(rows.getString(9), rows.getString(10), rows.getString(11)))
                  : Optional.empty();
          TableDefinition definition =
              new TableDefinition(
                  name,
                  kind,
                  rows.getString(6),
                  Optional.ofNullable(rows.getString(7)),
                  Optional.ofNullable(rows.getString(8)),
                  view,
                  properties.getOrDefault(name, Map.of()));
          tables.add(
              new TableRow(
                  state,
                  new TableInfo(
                      definition,
                      fromEpochMicros(rows.getLong(12)),
                      fromEpochMicros(rows.getLong(13)))));
        }
      }
    }
    return tables;
  }

  private static void insertTable(
      Connection connection,
      TableDefinition table,
      TableState state,
      Instant createdAt,
      Instant updatedAt)
      throws SQLException {
    TableName name = table.name();
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO tables ("
                + TABLE_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      insert.setString(1, name.catalog());
      insert.setString(2, name.schema());
      insert.setString(3, name.table());
      insert.setString(4, table.kind().name());
      insert.setString(5, state.name());
      insert.setString(6, table.owner());
      insert.setString(7, table.comment().orElse(null));
      insert.setString(8, table.location().orElse(null));
      insert.setString(9, table.view().map(ViewDefinition::sql).orElse(null));
      insert.setString(10, table.view().map(ViewDefinition::currentCatalog).orElse(null));
      insert.setString(11, table.view().map(ViewDefinition::currentSchema).orElse(null));
      insert.setLong(12, toEpochMicros(createdAt));
      insert.setLong(13, toEpochMicros(updatedAt));
      insert.executeUpdate();
    }
    if (table.properties().isEmpty()) {
      return;
    }
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO table_properties (catalog_name, schema_name, table_name, key, value)"
                + " VALUES (?, ?, ?, ?, ?)")) {
      for (Map.Entry<String, String> property : table.properties().entrySet()) {
        insert.setString(1, name.catalog());
        insert.setString(2, name.schema());
        insert.setString(3, name.table());
        insert.setString(4, property.getKey());
        insert.setString(5, property.getValue());
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  private static void setState(Connection connection, TableName name, TableState state, Instant now)
      throws SQLException {
    try (PreparedStatement update =
        connection.prepareStatement(
            "UPDATE tables SET state = ?, updated_at = ?"
                + " WHERE catalog_name = ? AND schema_name = ? AND name = ?")) {
      update.setString(1, state.name());
      update.setLong(2, toEpochMicros(now));
      update.setString(3, name.catalog());
      update.setString(4, name.schema());
      update.setString(5, name.table());
      update.executeUpdate();
    }
  }

  private static void deleteTable(Connection connection, TableName name) throws SQLException {
    GrantStore.deleteGrants(connection, Securable.table(name));
    update(
        connection,
        "DELETE FROM tables WHERE catalog_name = ? AND schema_name = ? AND name = ?",
        name.catalog(),
        name.schema(),
        name.table());
  }

  /** Turns the ACTIVE and CREATING tables (not views) matching {@code where} DROPPING. */
  private List<TableInfo> markTablesDropping(
      Connection connection, String where, List<String> parameters) throws SQLException {
    Instant now = now();
    List<TableInfo> dropping = new ArrayList<>();
    for (TableRow row :
        selectTables(
            connection, where + " AND kind <> 'VIEW' AND state <> 'DROPPING'", parameters)) {
      setState(connection, row.table().name(), TableState.DROPPING, now);
      dropping.add(new TableInfo(row.table().definition(), row.table().createdAt(), now));
    }
    return dropping;
  }

  private static long count(Connection connection, String sql, String... parameters)
      throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      bind(select, List.of(parameters));
      try (ResultSet rows = select.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    }
  }

  private static int update(Connection connection, String sql, String... parameters)
      throws SQLException {
    try (PreparedStatement update = connection.prepareStatement(sql)) {
      bind(update, List.of(parameters));
      return update.executeUpdate();
    }
  }

  private static void bind(PreparedStatement statement, List<String> parameters)
      throws SQLException {
    for (int i = 0; i < parameters.size(); i++) {
      statement.setString(i + 1, parameters.get(i));
    }
  }

  /** A row of {@code tables}: the table and where it stands in the create/drop protocol. */
  private record TableRow(TableState state, TableInfo table) {}
}

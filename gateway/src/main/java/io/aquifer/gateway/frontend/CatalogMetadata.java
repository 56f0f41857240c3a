package io.aquifer.gateway.frontend;

import static java.util.Objects.requireNonNull;

import io.aquifer.gateway.ErrorCategory;
import io.aquifer.gateway.GatewayException;
import io.aquifer.gateway.SchemaRef;
import io.aquifer.gateway.Session;
import io.aquifer.gateway.StatementService;
import io.aquifer.gateway.TableRef;
import io.aquifer.gateway.WildcardPattern;
import io.aquifer.storage.types.Column;
import io.aquifer.storage.types.TableSchema;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rows behind every front end's metadata calls (JDBC {@code DatabaseMetaData}, Flight SQL's
 * catalog commands): catalogs, schemas, tables, columns and table types a session may see, read
 * through the {@link StatementService} and put in order. Patterns are SQL LIKE patterns, null or
 * empty {@link Optional} for all; a catalog of {@code ""} asks for objects without a catalog, and
 * every Aquifer object has one, so it lists nothing. A table dropped while it is being listed is
 * left out. Front ends only encode these rows in their protocol's shapes.
 */
public final class CatalogMetadata {
  /** The table types Aquifer has, in the order they are listed. */
  public static final List<String> TABLE_TYPES = List.of("TABLE", "VIEW");

  /** Tables by catalog, schema, name, then type: Flight SQL's order. */
  public static final Comparator<TableRef> BY_NAME =
      Comparator.comparing(TableRef::catalog)
          .thenComparing(TableRef::schema)
          .thenComparing(TableRef::name)
          .thenComparing(TableRef::type);

  /** Tables by type, then catalog, schema and name: JDBC's order for {@code getTables}. */
  public static final Comparator<TableRef> BY_TYPE_THEN_NAME =
      Comparator.comparing(TableRef::type).thenComparing(BY_NAME);

  private static final Logger log = LoggerFactory.getLogger(CatalogMetadata.class);

  /** One column of a listed table; {@code ordinal} counts from 1 among all its columns. */
  public record TableColumn(TableRef table, Column column, int ordinal) {
    public TableColumn {
      requireNonNull(table, "table");
      requireNonNull(column, "column");
    }
  }

  private final StatementService service;

  public CatalogMetadata(StatementService service) {
    this.service = requireNonNull(service, "service");
  }

  /** The catalogs, by name. */
  public List<String> catalogs(Session session) {
    return service.catalogs(session).stream().sorted().toList();
  }

  /** The schemas, by catalog then name. */
  public List<SchemaRef> schemas(
      Session session, Optional<String> catalog, Optional<String> schemaPattern) {
    if (noCatalog(catalog)) {
      return List.of();
    }
    return service.schemas(session, catalog, schemaPattern).stream()
        .sorted(Comparator.comparing(SchemaRef::catalog).thenComparing(SchemaRef::schema))
        .toList();
  }

  /** The tables and views, of the given types (all for none), in {@code order}. */
  public List<TableRef> tables(
      Session session,
      Optional<String> catalog,
      Optional<String> schemaPattern,
      Optional<String> tablePattern,
      List<String> types,
      Comparator<TableRef> order) {
    if (noCatalog(catalog)) {
      return List.of();
    }
    return service
        .tables(
            session,
            catalog,
            schemaPattern,
            tablePattern,
            types == null ? List.of() : List.copyOf(types))
        .stream()
        .sorted(order)
        .toList();
  }

  /**
   * The columns of the matching tables whose names match {@code columnPattern}, by catalog, schema,
   * table, then position.
   */
  public List<TableColumn> columns(
      Session session,
      Optional<String> catalog,
      Optional<String> schemaPattern,
      Optional<String> tablePattern,
      Optional<String> columnPattern) {
    WildcardPattern columnNames = WildcardPattern.sqlLike(columnPattern.orElse(null));
    List<TableColumn> rows = new ArrayList<>();
    for (TableRef table :
        tables(session, catalog, schemaPattern, tablePattern, List.of(), BY_NAME)) {
      Optional<TableSchema> schema = columns(session, table);
      if (schema.isEmpty()) {
        continue;
      }
      List<Column> columns = schema.get().columns();
      for (int i = 0; i < columns.size(); i++) {
        if (columnNames.matches(columns.get(i).name())) {
          rows.add(new TableColumn(table, columns.get(i), i + 1));
        }
      }
    }
    return rows;
  }

  /** A listed table's columns; empty if it was dropped since it was listed. */
  public Optional<TableSchema> columns(Session session, TableRef table) {
    try {
      return Optional.of(service.columns(session, table.catalog(), table.schema(), table.name()));
    } catch (GatewayException e) {
      if (e.category() != ErrorCategory.NOT_FOUND) {
        throw e;
      }
      log.debug(
          "Table {}.{}.{} vanished while listing", table.catalog(), table.schema(), table.name());
      return Optional.empty();
    }
  }

  private static boolean noCatalog(Optional<String> catalog) {
    return catalog.filter(String::isEmpty).isPresent();
  }
}

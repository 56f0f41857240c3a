package io.aquifer.avatica;

import io.aquifer.gateway.GatewayErrorCode;
import io.aquifer.gateway.SchemaRef;
import io.aquifer.gateway.Session;
import io.aquifer.gateway.StatementService;
import java.util.Optional;

/**
 * Switches a connection's current catalog and schema, as the {@code catalog} and {@code schema}
 * connection properties and JDBC's {@code setCatalog}/{@code setSchema} ask. Names are checked
 * against the catalog with the caller's privileges; a catalog switched alone resets the schema to
 * {@code default}, as {@code USE CATALOG} does.
 */
final class SessionCatalog {
  static final String DEFAULT_SCHEMA = "default";

  private SessionCatalog() {}

  static void use(
      StatementService service,
      Session session,
      Optional<String> catalogName,
      Optional<String> schemaName) {
    String catalog = session.currentCatalog();
    String schema = session.currentSchema();
    if (catalogName.isPresent()) {
      String wanted = nonBlank(catalogName.get(), "catalog");
      String found =
          service.catalogs(session).stream()
              .filter(c -> c.equalsIgnoreCase(wanted))
              .findFirst()
              .orElseThrow(
                  () ->
                      GatewayErrorCode.CATALOG_NOT_FOUND.exception(
                          "Catalog "
                              + wanted
                              + " does not exist or is not visible to "
                              + session.principal().name()));
      if (!found.equals(catalog)) {
        catalog = found;
        schema = DEFAULT_SCHEMA;
      }
    }
    if (schemaName.isPresent()) {
      String wanted = nonBlank(schemaName.get(), "schema");
      String inCatalog = catalog;
      // The name as a LIKE pattern matches at least itself; exactness comes from the filter.
      schema =
          service.schemas(session, Optional.of(catalog), Optional.of(wanted)).stream()
              .map(SchemaRef::schema)
              .filter(s -> s.equalsIgnoreCase(wanted))
              .findFirst()
              .orElseThrow(
                  () ->
                      GatewayErrorCode.SCHEMA_NOT_FOUND.exception(
                          "Schema "
                              + inCatalog
                              + "."
                              + wanted
                              + " does not exist or is not visible to "
                              + session.principal().name()));
    }
    if (!catalog.equals(session.currentCatalog()) || !schema.equals(session.currentSchema())) {
      session.use(catalog, schema);
    }
  }

  private static String nonBlank(String value, String what) {
    if (value.isBlank()) {
      throw GatewayErrorCode.INVALID_NAME.exception("The " + what + " name is blank");
    }
    return value.trim();
  }
}

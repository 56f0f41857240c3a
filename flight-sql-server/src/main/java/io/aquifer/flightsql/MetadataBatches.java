package io.aquifer.flightsql;

import io.aquifer.gateway.SchemaRef;
import io.aquifer.gateway.TableRef;
import io.aquifer.gateway.frontend.CatalogMetadata;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import org.apache.arrow.flight.FlightProducer.ServerStreamListener;
import org.apache.arrow.flight.sql.FlightSqlProducer.Schemas;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The Arrow batches of the Flight SQL catalog commands (GetCatalogs, GetDbSchemas, GetTables,
 * GetTableTypes, and the key commands), in the schemas and orders the Flight SQL specification
 * fixes.
 */
final class MetadataBatches {
  static final List<String> TABLE_TYPES = CatalogMetadata.TABLE_TYPES;

  private MetadataBatches() {}

  /** Sends one batch built into a fresh root, then ends the stream. */
  static void send(
      ServerStreamListener listener,
      BufferAllocator allocator,
      Schema schema,
      Consumer<VectorSchemaRoot> fill) {
    try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator)) {
      root.allocateNew();
      fill.accept(root);
      listener.start(root);
      listener.putNext();
      listener.completed();
    }
  }

  /** Rows of GetCatalogs, in the order given ({@link CatalogMetadata} sorts them). */
  static void catalogs(VectorSchemaRoot root, List<String> sorted) {
    VarCharVector names = (VarCharVector) root.getVector("catalog_name");
    for (int i = 0; i < sorted.size(); i++) {
      names.setSafe(i, utf8(sorted.get(i)));
    }
    root.setRowCount(sorted.size());
  }

  /** Rows of GetDbSchemas, in the order given ({@link CatalogMetadata} sorts them). */
  static void schemas(VectorSchemaRoot root, List<SchemaRef> sorted) {
    VarCharVector catalogs = (VarCharVector) root.getVector("catalog_name");
    VarCharVector names = (VarCharVector) root.getVector("db_schema_name");
    for (int i = 0; i < sorted.size(); i++) {
      catalogs.setSafe(i, utf8(sorted.get(i).catalog()));
      names.setSafe(i, utf8(sorted.get(i).schema()));
    }
    root.setRowCount(sorted.size());
  }

  /**
   * Rows of GetTables; {@code tableSchemas} holds each table's serialized Arrow schema (same order)
   * when the client asked for them, else null.
   */
  static void tables(VectorSchemaRoot root, List<TableRef> tables, List<byte[]> tableSchemas) {
    VarCharVector catalogs = (VarCharVector) root.getVector("catalog_name");
    VarCharVector schemas = (VarCharVector) root.getVector("db_schema_name");
    VarCharVector names = (VarCharVector) root.getVector("table_name");
    VarCharVector types = (VarCharVector) root.getVector("table_type");
    VarBinaryVector arrowSchemas =
        tableSchemas == null ? null : (VarBinaryVector) root.getVector("table_schema");
    for (int i = 0; i < tables.size(); i++) {
      TableRef table = tables.get(i);
      catalogs.setSafe(i, utf8(table.catalog()));
      schemas.setSafe(i, utf8(table.schema()));
      names.setSafe(i, utf8(table.name()));
      types.setSafe(i, utf8(table.type()));
      if (arrowSchemas != null) {
        arrowSchemas.setSafe(i, tableSchemas.get(i));
      }
    }
    root.setRowCount(tables.size());
  }

  static Schema tablesSchema(boolean includeSchema) {
    return includeSchema ? Schemas.GET_TABLES_SCHEMA : Schemas.GET_TABLES_SCHEMA_NO_SCHEMA;
  }

  static void tableTypes(VectorSchemaRoot root) {
    VarCharVector types = (VarCharVector) root.getVector("table_type");
    for (int i = 0; i < TABLE_TYPES.size(); i++) {
      types.setSafe(i, utf8(TABLE_TYPES.get(i)));
    }
    root.setRowCount(TABLE_TYPES.size());
  }

  /** No rows: Delta tables have no primary or foreign keys. */
  static void none(VectorSchemaRoot root) {
    root.setRowCount(0);
  }

  private static byte[] utf8(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }
}

package io.aquifer.flightsql;

import io.aquifer.gateway.TableRef;
import io.aquifer.gateway.arrow.ArrowTypeMapping;
import io.aquifer.storage.types.Column;
import io.aquifer.storage.types.DecimalType;
import io.aquifer.storage.types.PrimitiveType;
import io.aquifer.storage.types.TableSchema;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.flight.sql.FlightSqlColumnMetadata;
import org.apache.arrow.vector.ipc.WriteChannel;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A table's columns as the Arrow schema GetTables(include_schema) returns, each field carrying
 * Flight SQL column metadata (catalog, schema, table, SQL type name, precision and scale, comment)
 * from which drivers build DatabaseMetaData.getColumns.
 */
final class TableSchemaEncoder {
  private TableSchemaEncoder() {}

  static Schema schema(TableRef table, TableSchema columns) {
    List<Field> fields = new ArrayList<>(columns.columns().size());
    for (Column column : columns.columns()) {
      Field field = ArrowTypeMapping.field(column);
      FlightSqlColumnMetadata.Builder metadata =
          new FlightSqlColumnMetadata.Builder()
              .catalogName(table.catalog())
              .schemaName(table.schema())
              .tableName(table.name())
              .typeName(typeName(column))
              .isAutoIncrement(false)
              .isCaseSensitive(column.type() == PrimitiveType.STRING)
              .isReadOnly("VIEW".equals(table.type()))
              .isSearchable(true);
      if (column.type() instanceof DecimalType decimal) {
        metadata.precision(decimal.precision()).scale(decimal.scale());
      }
      column.comment().ifPresent(metadata::remarks);
      fields.add(
          new Field(
              field.getName(),
              new FieldType(
                  field.isNullable(),
                  field.getType(),
                  field.getDictionary(),
                  metadata.build().getMetadataMap()),
              field.getChildren()));
    }
    return new Schema(fields);
  }

  /** The SQL type name a column shows in tools: DECIMAL without its arguments, others in full. */
  static String typeName(Column column) {
    return column.type() instanceof DecimalType ? "DECIMAL" : column.type().sql();
  }

  /** The schema as an Arrow IPC schema message, the form Flight SQL puts in binary columns. */
  static byte[] serialize(Schema schema) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      MessageSerializer.serialize(new WriteChannel(Channels.newChannel(bytes)), schema);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot serialize an Arrow schema in memory", e);
    }
    return bytes.toByteArray();
  }
}

package io.aquifer.storage.delta;

import io.aquifer.storage.StorageErrorCode;
import io.aquifer.storage.StorageException;
import io.aquifer.storage.types.Column;
import io.delta.kernel.types.FieldMetadata;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A schema change applied to Kernel's schema of the latest version: existing fields keep their
 * column mapping metadata (id, physical name), so Kernel sees a rename as a rename and a drop as a
 * drop; new fields get theirs from Kernel. Also the commit's operation parameters, in the shape
 * Databricks records them.
 */
final class KernelSchemaChanges {
  private KernelSchemaChanges() {}

  static final String COLUMN_ID_KEY = "delta.columnMapping.id";
  static final String MAX_COLUMN_ID = "delta.columnMapping.maxColumnId";

  /**
   * @param properties the table's properties ({@code delta.columnMapping.maxColumnId} numbers new
   *     columns)
   */
  static StructType apply(
      StructType schema, TableChange change, TableLocation table, Map<String, String> properties) {
    long maxColumnId = -1;
    try {
      maxColumnId = Long.parseLong(properties.getOrDefault(MAX_COLUMN_ID, "-1"));
    } catch (NumberFormatException e) {
      // left to Kernel
    }
    List<StructField> fields = new ArrayList<>(schema.fields());
    if (change instanceof TableChange.AddColumns add) {
      for (Column column : add.columns()) {
        if (indexOf(fields, column.name()) >= 0) {
          throw rejected(table, "column " + column.name() + " already exists");
        }
        // A fresh physical name and id: Kernel names the data after the column on a table whose
        // column mapping was switched on later, and a dropped column's data would come back under
        // a column added again with its name. (Nested types are left to Kernel, which also
        // numbers their fields.)
        FieldMetadata.Builder metadata = FieldMetadata.builder();
        boolean flat =
            column.type() instanceof io.aquifer.storage.types.PrimitiveType
                || column.type() instanceof io.aquifer.storage.types.DecimalType;
        if (flat && maxColumnId >= 0) {
          metadata
              .putLong(COLUMN_ID_KEY, ++maxColumnId)
              .putString(
                  KernelTypeMapper.PHYSICAL_NAME_KEY,
                  // a writer that wrote the column's data already chose its physical name
                  column.physicalName().equals(column.name())
                      ? "col-" + java.util.UUID.randomUUID()
                      : column.physicalName());
        }
        column.comment().ifPresent(c -> metadata.putString(KernelTypeMapper.COMMENT_KEY, c));
        fields.add(
            new StructField(
                column.name(),
                KernelTypeMapper.toKernelType(column.type()),
                true,
                metadata.build()));
      }
    } else if (change instanceof TableChange.RenameColumn rename) {
      int i = existing(fields, rename.from(), table);
      int clash = indexOf(fields, rename.to());
      if (clash >= 0 && clash != i) {
        throw rejected(table, "column " + rename.to() + " already exists");
      }
      StructField old = fields.get(i);
      fields.set(
          i, new StructField(rename.to(), old.getDataType(), old.isNullable(), old.getMetadata()));
    } else if (change instanceof TableChange.DropColumns drop) {
      for (String name : drop.names()) {
        fields.remove(existing(fields, name, table));
      }
      if (fields.isEmpty()) {
        throw rejected(table, "cannot drop every column of a table");
      }
    } else if (change instanceof TableChange.ChangeColumn alter) {
      int i = existing(fields, alter.name(), table);
      StructField field = fields.get(i);
      if (alter.type().isPresent()) {
        field = field.withDataType(KernelTypeMapper.toKernelType(alter.type().get()));
      }
      if (alter.comment().isPresent()) {
        FieldMetadata.Builder metadata = FieldMetadata.builder().fromMetadata(field.getMetadata());
        if (alter.comment().get().isEmpty()) {
          metadata.remove(KernelTypeMapper.COMMENT_KEY);
        } else {
          metadata.putString(KernelTypeMapper.COMMENT_KEY, alter.comment().get());
        }
        field = field.withNewMetadata(metadata.build());
      }
      if (alter.nullable().isPresent()) {
        field =
            new StructField(
                    field.getName(),
                    field.getDataType(),
                    alter.nullable().get(),
                    field.getMetadata())
                .withTypeChanges(field.getTypeChanges());
      }
      fields.set(i, field);
    } else if (change instanceof TableChange.SetColumnDefault setDefault) {
      int i = existing(fields, setDefault.name(), table);
      StructField field = fields.get(i);
      FieldMetadata.Builder metadata = FieldMetadata.builder().fromMetadata(field.getMetadata());
      if (setDefault.defaultValue().isPresent()) {
        metadata.putString(KernelTypeMapper.CURRENT_DEFAULT_KEY, setDefault.defaultValue().get());
      } else {
        metadata.remove(KernelTypeMapper.CURRENT_DEFAULT_KEY);
      }
      fields.set(i, field.withNewMetadata(metadata.build()));
    } else {
      throw new IllegalArgumentException("not a schema change: " + change);
    }
    return new StructType(fields);
  }

  /**
   * The schema with {@code add}'s columns for a commit that also switches column mapping on: each
   * new column keeps the physical name its files were written with (Kernel numbers the columns and
   * names the existing ones after themselves).
   */
  static StructType addColumnsSwitchingOnMapping(
      StructType schema, TableChange.AddColumns add, TableLocation table) {
    List<StructField> fields = new ArrayList<>();
    long id = 0;
    for (StructField field : schema.fields()) {
      // Kernel wants both an id and a physical name on a column that has either.
      fields.add(
          field.withNewMetadata(
              FieldMetadata.builder()
                  .fromMetadata(field.getMetadata())
                  .putLong(COLUMN_ID_KEY, ++id)
                  .putString(KernelTypeMapper.PHYSICAL_NAME_KEY, field.getName())
                  .build()));
    }
    for (Column column : add.columns()) {
      if (indexOf(fields, column.name()) >= 0) {
        throw rejected(table, "column " + column.name() + " already exists");
      }
      FieldMetadata.Builder metadata =
          FieldMetadata.builder()
              .putLong(COLUMN_ID_KEY, ++id)
              .putString(
                  KernelTypeMapper.PHYSICAL_NAME_KEY,
                  column.physicalName().equals(column.name())
                      ? "col-" + java.util.UUID.randomUUID()
                      : column.physicalName());
      column.comment().ifPresent(c -> metadata.putString(KernelTypeMapper.COMMENT_KEY, c));
      fields.add(
          new StructField(
              column.name(), KernelTypeMapper.toKernelType(column.type()), true, metadata.build()));
    }
    return new StructType(fields);
  }

  /**
   * Kernel's metadata for a commit that switches column mapping on (its columns numbered and
   * named), with {@code add}'s columns appended: numbered after the highest id, each with the
   * physical name its files were written with (nested fields named after themselves).
   */
  static io.delta.kernel.internal.actions.Metadata withColumnsAdded(
      io.delta.kernel.internal.actions.Metadata metadata, TableChange.AddColumns add) {
    long[] maxId = {Long.parseLong(metadata.getConfiguration().getOrDefault(MAX_COLUMN_ID, "0"))};
    List<StructField> fields = new ArrayList<>(metadata.getSchema().fields());
    for (Column column : add.columns()) {
      String physical =
          column.physicalName().equals(column.name())
              ? "col-" + java.util.UUID.randomUUID()
              : column.physicalName();
      FieldMetadata.Builder field =
          FieldMetadata.builder()
              .putLong(COLUMN_ID_KEY, ++maxId[0])
              .putString(KernelTypeMapper.PHYSICAL_NAME_KEY, physical);
      column.comment().ifPresent(c -> field.putString(KernelTypeMapper.COMMENT_KEY, c));
      fields.add(
          new StructField(
              column.name(),
              numbered(KernelTypeMapper.toKernelType(column.type()), maxId),
              true,
              field.build()));
    }
    return metadata
        .withNewSchema(new StructType(fields))
        .withMergedConfiguration(Map.of(MAX_COLUMN_ID, Long.toString(maxId[0])));
  }

  /**
   * A nested type whose struct fields have column mapping ids and their names as physical names.
   */
  private static io.delta.kernel.types.DataType numbered(
      io.delta.kernel.types.DataType type, long[] maxId) {
    if (type instanceof StructType struct) {
      List<StructField> fields = new ArrayList<>();
      for (StructField f : struct.fields()) {
        fields.add(
            new StructField(
                f.getName(),
                numbered(f.getDataType(), maxId),
                f.isNullable(),
                FieldMetadata.builder()
                    .fromMetadata(f.getMetadata())
                    .putLong(COLUMN_ID_KEY, ++maxId[0])
                    .putString(KernelTypeMapper.PHYSICAL_NAME_KEY, f.getName())
                    .build()));
      }
      return new StructType(fields);
    }
    if (type instanceof io.delta.kernel.types.ArrayType array) {
      return new io.delta.kernel.types.ArrayType(
          numbered(array.getElementType(), maxId), array.containsNull());
    }
    if (type instanceof io.delta.kernel.types.MapType map) {
      return new io.delta.kernel.types.MapType(
          numbered(map.getKeyType(), maxId),
          numbered(map.getValueType(), maxId),
          map.isValueContainsNull());
    }
    return type;
  }

  /** DESCRIBE HISTORY's operationParameters of the change. */
  static Map<String, String> parameters(TableChange change) {
    Map<String, String> parameters = new LinkedHashMap<>();
    if (change instanceof TableChange.AddColumns add) {
      parameters.put(
          "columns",
          add.columns().stream()
              .map(
                  c ->
                      "{\"column\":{\"name\":"
                          + json(c.name())
                          + ",\"type\":"
                          + json(c.type().sql().toLowerCase(Locale.ROOT))
                          + ",\"nullable\":true}}")
              .collect(Collectors.joining(",", "[", "]")));
    } else if (change instanceof TableChange.RenameColumn rename) {
      parameters.put("oldColumnPath", rename.from());
      parameters.put("newColumnPath", rename.to());
    } else if (change instanceof TableChange.DropColumns drop) {
      parameters.put(
          "columns",
          drop.names().stream()
              .map(KernelSchemaChanges::json)
              .collect(Collectors.joining(",", "[", "]")));
    } else if (change instanceof TableChange.ChangeColumn alter) {
      parameters.put("column", alter.name());
      alter.type().ifPresent(t -> parameters.put("type", t.sql().toLowerCase(Locale.ROOT)));
      alter.comment().ifPresent(c -> parameters.put("comment", c));
      alter.nullable().ifPresent(n -> parameters.put("nullable", Boolean.toString(n)));
    } else if (change instanceof TableChange.SetColumnDefault setDefault) {
      parameters.put("column", setDefault.name());
      parameters.put("default", setDefault.defaultValue().orElse(""));
    } else if (change instanceof TableChange.AddCheckConstraint add) {
      parameters.put("name", add.name());
      parameters.put("expr", add.expression());
    } else if (change instanceof TableChange.DropCheckConstraint drop) {
      parameters.put("name", drop.name());
    } else if (change instanceof TableChange.SetProperties set) {
      parameters.put(
          "properties",
          new java.util.TreeMap<>(set.properties())
              .entrySet().stream()
                  .map(e -> json(e.getKey()) + ":" + json(e.getValue()))
                  .collect(Collectors.joining(",", "{", "}")));
    } else if (change instanceof TableChange.UnsetProperties unset) {
      parameters.put(
          "properties",
          unset.keys().stream()
              .sorted()
              .map(KernelSchemaChanges::json)
              .collect(Collectors.joining(",", "[", "]")));
    }
    return parameters;
  }

  private static int existing(List<StructField> fields, String name, TableLocation table) {
    int i = indexOf(fields, name);
    if (i < 0) {
      throw rejected(table, "column " + name + " does not exist");
    }
    return i;
  }

  private static int indexOf(List<StructField> fields, String name) {
    for (int i = 0; i < fields.size(); i++) {
      if (fields.get(i).getName().equalsIgnoreCase(name)) {
        return i;
      }
    }
    return -1;
  }

  private static StorageException rejected(TableLocation table, String message) {
    return new StorageException(
        StorageErrorCode.DELTA_CHANGE_REJECTED, "cannot alter table " + table + ": " + message);
  }

  private static String json(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }
}

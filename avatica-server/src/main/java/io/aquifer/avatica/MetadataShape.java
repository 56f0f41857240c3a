package io.aquifer.avatica;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.sql.DatabaseMetaData;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.calcite.avatica.AvaticaUtils;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.MetaImpl;

/**
 * The columns of a {@link java.sql.DatabaseMetaData} result, as Avatica defines them in its {@code
 * MetaImpl.MetaTable}, {@code MetaColumn}, ... classes: the same names, types and order Avatica's
 * client uses when a server leaves them out. Rows are filled by column name, so they always line up
 * with the columns.
 */
final class MetadataShape {
  private final List<ColumnMetaData> columns;
  private final List<Class<?>> types;
  private final Map<String, Integer> index = new HashMap<>();

  private MetadataShape(Class<?> metaClass) {
    List<ColumnMetaData> columnList = new ArrayList<>();
    List<Class<?>> typeList = new ArrayList<>();
    for (Field field : metaClass.getFields()) {
      if (Modifier.isStatic(field.getModifiers())) {
        continue;
      }
      String name = AvaticaUtils.camelToUpper(field.getName());
      index.put(name, columnList.size());
      columnList.add(
          MetaImpl.columnMetaData(name, columnList.size(), field.getType(), nullability(field)));
      typeList.add(field.getType());
    }
    this.columns = List.copyOf(columnList);
    this.types = List.copyOf(typeList);
  }

  static MetadataShape of(Class<?> metaClass) {
    return new MetadataShape(metaClass);
  }

  List<ColumnMetaData> columns() {
    return columns;
  }

  Row row() {
    return new Row();
  }

  private static int nullability(Field field) {
    if (field.isAnnotationPresent(MetaImpl.ColumnNoNulls.class)) {
      return DatabaseMetaData.columnNoNulls;
    }
    if (field.isAnnotationPresent(MetaImpl.ColumnNullableUnknown.class)) {
      return DatabaseMetaData.columnNullableUnknown;
    }
    if (field.isAnnotationPresent(MetaImpl.ColumnNullable.class)) {
      return DatabaseMetaData.columnNullable;
    }
    return field.getType().isPrimitive()
        ? DatabaseMetaData.columnNoNulls
        : DatabaseMetaData.columnNullable;
  }

  /** One row; columns not set are NULL. */
  final class Row {
    private final Object[] values = new Object[columns.size()];

    /** Sets a column by its JDBC name; numbers take the column's Java type. */
    Row set(String column, Object value) {
      Integer i = index.get(column);
      if (i == null) {
        throw new IllegalArgumentException(
            "no metadata column " + column + " in " + index.keySet());
      }
      values[i] = coerce(types.get(i), value);
      return this;
    }

    Object[] values() {
      return values.clone();
    }
  }

  private static Object coerce(Class<?> type, Object value) {
    if (!(value instanceof Number number)) {
      return value;
    }
    if (type == short.class || type == Short.class) {
      return number.shortValue();
    }
    if (type == int.class || type == Integer.class) {
      return number.intValue();
    }
    if (type == long.class || type == Long.class) {
      return number.longValue();
    }
    return value;
  }
}

package io.aquifer.thrift;

import static java.util.Objects.requireNonNull;

import com.databricks.jdbc.model.client.thrift.generated.TColumnDesc;
import com.databricks.jdbc.model.client.thrift.generated.TPrimitiveTypeEntry;
import com.databricks.jdbc.model.client.thrift.generated.TTypeDesc;
import com.databricks.jdbc.model.client.thrift.generated.TTypeEntry;
import com.databricks.jdbc.model.client.thrift.generated.TTypeId;
import com.databricks.jdbc.model.client.thrift.generated.TTypeQualifierValue;
import com.databricks.jdbc.model.client.thrift.generated.TTypeQualifiers;
import java.util.List;
import java.util.Map;

/**
 * A result column as the protocol describes it.
 *
 * @param type the Thrift type, which also decides how values travel in a column-based row set
 * @param typeName the Databricks SQL type name shown as the column's comment-free type text
 * @param precision digits of a DECIMAL, else 0
 * @param scale scale of a DECIMAL, else 0
 */
record ResultColumn(String name, TTypeId type, String typeName, int precision, int scale) {
  ResultColumn {
    requireNonNull(name, "name");
    requireNonNull(type, "type");
    requireNonNull(typeName, "typeName");
  }

  static ResultColumn of(String name, TTypeId type) {
    return new ResultColumn(name, type, ThriftTypes.sqlName(type), 0, 0);
  }

  TColumnDesc describe(int position) {
    TPrimitiveTypeEntry entry = new TPrimitiveTypeEntry(type);
    if (type == TTypeId.DECIMAL_TYPE) {
      entry.setTypeQualifiers(
          new TTypeQualifiers(
              Map.of(
                  "precision", TTypeQualifierValue.i32Value(precision),
                  "scale", TTypeQualifierValue.i32Value(scale))));
    }
    TColumnDesc desc =
        new TColumnDesc(name, new TTypeDesc(List.of(TTypeEntry.primitiveEntry(entry))), position);
    desc.setComment(typeName);
    return desc;
  }
}

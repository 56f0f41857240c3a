package io.aquifer.storage.types;

import static java.util.Objects.requireNonNull;

public record MapType(DataType keyType, DataType valueType, boolean valueContainsNull)
    implements DataType {
  public MapType {
    requireNonNull(keyType, "keyType");
    requireNonNull(valueType, "valueType");
  }

  @Override
  public String sql() {
    return "MAP<" + keyType.sql() + ", " + valueType.sql() + ">";
  }
}

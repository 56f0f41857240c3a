package io.aquifer.storage.types;

import static java.util.Objects.requireNonNull;

public record ArrayType(DataType elementType, boolean containsNull) implements DataType {
  public ArrayType {
    requireNonNull(elementType, "elementType");
  }

  @Override
  public String sql() {
    return "ARRAY<" + elementType.sql() + ">";
  }
}

package io.aquifer.avatica;

import static java.util.Objects.requireNonNull;

import org.apache.arrow.vector.ValueVector;
import org.apache.calcite.avatica.ColumnMetaData;

/**
 * One result column on the Avatica wire: how it is described to the client and how its values are
 * read from an Arrow vector into the Java objects Avatica serializes.
 */
record WireColumn(String name, boolean nullable, JdbcType type, ValueReader reader) {
  WireColumn {
    requireNonNull(name, "name");
    requireNonNull(type, "type");
    requireNonNull(reader, "reader");
  }

  /** Reads one value of a vector into its wire form; null for SQL NULL. */
  @FunctionalInterface
  interface ValueReader {
    Object read(ValueVector vector, int index);
  }

  ColumnMetaData metadata(int ordinal) {
    return type.column(ordinal, name, nullable);
  }
}

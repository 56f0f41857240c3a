package io.aquifer.exec.duckdb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.aquifer.exec.duckdb.DuckDbTypes.FieldNames;
import io.aquifer.storage.types.ArrayType;
import io.aquifer.storage.types.Column;
import io.aquifer.storage.types.DataType;
import io.aquifer.storage.types.DecimalType;
import io.aquifer.storage.types.MapType;
import io.aquifer.storage.types.PrimitiveType;
import io.aquifer.storage.types.StructType;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class DuckDbTypesTest {
  @ParameterizedTest
  @CsvSource({
    "BOOLEAN, BOOLEAN",
    "TINYINT, TINYINT",
    "SMALLINT, SMALLINT",
    "INT, INTEGER",
    "BIGINT, BIGINT",
    "FLOAT, FLOAT",
    "DOUBLE, DOUBLE",
    "STRING, VARCHAR",
    "BINARY, BLOB",
    "DATE, DATE",
    "TIMESTAMP, TIMESTAMPTZ",
    "TIMESTAMP_NTZ, TIMESTAMP",
  })
  void primitives(PrimitiveType type, String duckDb) {
    assertEquals(duckDb, DuckDbTypes.toDuckDb(type));
  }

  @ParameterizedTest
  @EnumSource(PrimitiveType.class)
  void everyPrimitiveIsMapped(PrimitiveType type) {
    DuckDbTypes.toDuckDb(type);
  }

  @Test
  void nestedTypesUseLogicalOrPhysicalFieldNames() {
    DataType type =
        new MapType(
            PrimitiveType.STRING,
            new ArrayType(
                new StructType(
                    List.of(
                        new Column(
                            "a \"b\"", new DecimalType(10, 2), true, "col-1", Optional.empty()))),
                true),
            true);
    assertEquals(
        "MAP(VARCHAR, STRUCT(\"a \"\"b\"\"\" DECIMAL(10,2))[])", DuckDbTypes.toDuckDb(type));
    assertEquals(
        "MAP(VARCHAR, STRUCT(\"col-1\" DECIMAL(10,2))[])",
        DuckDbTypes.toDuckDb(type, FieldNames.PHYSICAL));
  }
}

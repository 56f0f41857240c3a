package io.aquifer.tpch;

import java.math.BigInteger;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Field;

/** Reads an engine's Arrow result into an {@link ActualResult}, normalized as JDBC results are. */
final class ArrowResults {
  private ArrowResults() {}

  static ActualResult read(ArrowReader reader) throws Exception {
    VectorSchemaRoot root = reader.getVectorSchemaRoot();
    List<String> columns = root.getSchema().getFields().stream().map(Field::getName).toList();
    List<List<Object>> rows = new ArrayList<>();
    while (reader.loadNextBatch()) {
      for (int r = 0; r < root.getRowCount(); r++) {
        Object[] row = new Object[columns.size()];
        for (int c = 0; c < columns.size(); c++) {
          row[c] = value(root.getVector(c), r);
        }
        rows.add(Arrays.asList(row));
      }
    }
    return new ActualResult(columns, rows);
  }

  private static Object value(FieldVector vector, int row) throws Exception {
    if (vector.isNull(row)) {
      return null;
    }
    if (vector instanceof DateDayVector dates) {
      return LocalDate.ofEpochDay(dates.get(row));
    }
    Object value = vector.getObject(row);
    if (value instanceof Long
        || value instanceof Integer
        || value instanceof Short
        || value instanceof Byte) {
      return BigInteger.valueOf(((Number) value).longValue());
    }
    return ActualResult.normalize(value, null, 0);
  }
}

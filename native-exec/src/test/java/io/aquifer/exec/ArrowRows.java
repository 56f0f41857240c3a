package io.aquifer.exec;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.util.Text;

/** Reads a whole (small) Arrow result into Java values, for assertions. */
public final class ArrowRows {
  private ArrowRows() {}

  public static List<List<Object>> readAll(ArrowReader reader) throws IOException {
    List<List<Object>> rows = new ArrayList<>();
    while (reader.loadNextBatch()) {
      VectorSchemaRoot root = reader.getVectorSchemaRoot();
      for (int r = 0; r < root.getRowCount(); r++) {
        List<Object> row = new ArrayList<>();
        for (FieldVector v : root.getFieldVectors()) {
          row.add(normalize(v.getObject(r)));
        }
        rows.add(row);
      }
    }
    return rows;
  }

  /** Arrow's Text becomes String, recursively inside lists and maps. */
  public static Object normalize(Object value) {
    if (value instanceof Text t) {
      return t.toString();
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      list.forEach(v -> out.add(normalize(v)));
      return out;
    }
    if (value instanceof java.util.Map<?, ?> map) {
      java.util.Map<Object, Object> out = new java.util.LinkedHashMap<>();
      map.forEach((k, v) -> out.put(normalize(k), normalize(v)));
      return out;
    }
    return value;
  }
}

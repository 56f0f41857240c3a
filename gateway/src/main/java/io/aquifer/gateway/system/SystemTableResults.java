package io.aquifer.gateway.system;

import static java.util.Objects.requireNonNull;

import io.aquifer.gateway.GatewayErrorCode;
import io.aquifer.gateway.ResultStream;
import io.aquifer.gateway.arrow.ArrowTypeMapping;
import io.aquifer.planner.calcite.CalciteTypes;
import io.aquifer.storage.types.TableSchema;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.calcite.rel.type.RelDataType;

/**
 * The rows of a query over system tables (Calcite's internal forms: TIMESTAMP as epoch
 * milliseconds, DATE as epoch days) as Arrow batches shaped like the engine's.
 */
public final class SystemTableResults implements ResultStream {
  static final int BATCH_ROWS = 4096;

  private final List<Object[]> rows;
  private final VectorSchemaRoot root;
  private int offset;

  private SystemTableResults(List<Object[]> rows, VectorSchemaRoot root) {
    this.rows = rows;
    this.root = root;
  }

  /**
   * @param rowType the query's row type, which names and types the columns
   */
  public static SystemTableResults of(
      BufferAllocator allocator, RelDataType rowType, List<Object[]> rows) {
    requireNonNull(rows, "rows");
    Schema schema = ArrowTypeMapping.schema(new TableSchema(CalciteTypes.columns(rowType)));
    return new SystemTableResults(rows, VectorSchemaRoot.create(schema, allocator));
  }

  @Override
  public Schema schema() {
    return root.getSchema();
  }

  @Override
  public boolean next() {
    if (offset >= rows.size() && offset > 0) {
      return false;
    }
    if (offset == 0 && rows.isEmpty()) {
      offset = 1; // one empty batch, then the end
      root.allocateNew();
      root.setRowCount(0);
      return true;
    }
    int count = Math.min(BATCH_ROWS, rows.size() - offset);
    root.allocateNew();
    for (int r = 0; r < count; r++) {
      Object[] row = rows.get(offset + r);
      for (int c = 0; c < root.getFieldVectors().size(); c++) {
        set(root.getVector(c), r, row[c]);
      }
    }
    root.setRowCount(count);
    offset += count;
    return true;
  }

  private static void set(FieldVector vector, int index, Object value) {
    if (value == null) {
      vector.setNull(index);
    } else if (vector instanceof VarCharVector v) {
      v.setSafe(index, value.toString().getBytes(StandardCharsets.UTF_8));
    } else if (vector instanceof BigIntVector v) {
      v.setSafe(index, ((Number) value).longValue());
    } else if (vector instanceof IntVector v) {
      v.setSafe(index, ((Number) value).intValue());
    } else if (vector instanceof SmallIntVector v) {
      v.setSafe(index, ((Number) value).shortValue());
    } else if (vector instanceof TinyIntVector v) {
      v.setSafe(index, ((Number) value).byteValue());
    } else if (vector instanceof BitVector v) {
      v.setSafe(index, ((Boolean) value) ? 1 : 0);
    } else if (vector instanceof Float8Vector v) {
      v.setSafe(index, ((Number) value).doubleValue());
    } else if (vector instanceof Float4Vector v) {
      v.setSafe(index, ((Number) value).floatValue());
    } else if (vector instanceof DecimalVector v) {
      BigDecimal d =
          value instanceof BigDecimal b ? b : new BigDecimal(((Number) value).toString());
      v.setSafe(index, d.setScale(v.getScale(), RoundingMode.HALF_UP));
    } else if (vector instanceof DateDayVector v) {
      v.setSafe(index, ((Number) value).intValue());
    } else if (vector instanceof TimeStampMicroTZVector v) {
      v.setSafe(index, ((Number) value).longValue() * 1000);
    } else if (vector instanceof TimeStampMicroVector v) {
      v.setSafe(index, ((Number) value).longValue() * 1000);
    } else if (vector instanceof VarBinaryVector v) {
      v.setSafe(index, (byte[]) value);
    } else {
      throw GatewayErrorCode.UNSUPPORTED_FEATURE.exception(
          "a query over system tables cannot return column "
              + vector.getField().getName()
              + " of type "
              + vector.getField().getType());
    }
  }

  @Override
  public VectorSchemaRoot root() {
    return root;
  }

  @Override
  public void close() {
    root.close();
  }
}

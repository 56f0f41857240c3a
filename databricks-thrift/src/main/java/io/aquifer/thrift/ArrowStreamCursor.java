package io.aquifer.thrift;

import static java.util.Objects.requireNonNull;

import com.databricks.jdbc.model.client.thrift.generated.TColumn;
import io.aquifer.gateway.ResultStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/** A statement's rows, read batch by batch from its Arrow result stream. */
final class ArrowStreamCursor implements ResultCursor {
  private final ResultStream stream;
  private final List<ResultColumn> columns;
  private int position;
  private int batchRows;
  private boolean ended;

  ArrowStreamCursor(ResultStream stream) {
    this.stream = requireNonNull(stream, "stream");
    this.columns = ThriftTypes.columns(stream.schema());
  }

  @Override
  public List<ResultColumn> columns() {
    return columns;
  }

  @Override
  public Page next(int maxRows) {
    List<ColumnBuilder> builders = new ArrayList<>();
    for (ResultColumn c : columns) {
      builders.add(new ColumnBuilder(c.type()));
    }
    int taken = 0;
    while (taken < maxRows && advance()) {
      VectorSchemaRoot root = stream.root();
      int n = Math.min(maxRows - taken, batchRows - position);
      for (int c = 0; c < builders.size(); c++) {
        FieldVector vector = root.getVector(c);
        ColumnBuilder builder = builders.get(c);
        for (int i = position; i < position + n; i++) {
          builder.add(ThriftValues.get(vector, i));
        }
      }
      position += n;
      taken += n;
    }
    List<TColumn> out = new ArrayList<>();
    for (ColumnBuilder b : builders) {
      out.add(b.build());
    }
    return new Page(out, taken, advance());
  }

  /** Makes a row available at {@code position}; false at the end of the stream. */
  private boolean advance() {
    while (!ended && position >= batchRows) {
      if (stream.next()) {
        batchRows = stream.root().getRowCount();
        position = 0;
      } else {
        ended = true;
      }
    }
    return !ended;
  }

  @Override
  public void close() {
    stream.close();
  }
}

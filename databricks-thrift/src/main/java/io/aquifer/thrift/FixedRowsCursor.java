package io.aquifer.thrift;

import com.databricks.jdbc.model.client.thrift.generated.TColumn;
import java.util.ArrayList;
import java.util.List;

/** Rows computed in full up front: metadata listings and update counts. */
final class FixedRowsCursor implements ResultCursor {
  private final List<ResultColumn> columns;
  private final List<Object[]> rows;
  private int position;

  FixedRowsCursor(List<ResultColumn> columns, List<Object[]> rows) {
    this.columns = List.copyOf(columns);
    this.rows = List.copyOf(rows);
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
    int end = (int) Math.min(rows.size(), (long) position + maxRows);
    for (int r = position; r < end; r++) {
      Object[] row = rows.get(r);
      for (int c = 0; c < builders.size(); c++) {
        builders.get(c).add(row[c]);
      }
    }
    int taken = end - position;
    position = end;
    List<TColumn> out = new ArrayList<>();
    for (ColumnBuilder b : builders) {
      out.add(b.build());
    }
    return new Page(out, taken, position < rows.size());
  }

  @Override
  public void close() {}
}

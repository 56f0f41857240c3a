package io.aquifer.thrift;

import com.databricks.jdbc.model.client.thrift.generated.TColumn;
import java.util.List;

/** A forward-only reader of an operation's rows, a page at a time. */
interface ResultCursor extends AutoCloseable {

  /** One page of rows: a column per result column, all of {@code rows} values. */
  record Page(List<TColumn> columns, int rows, boolean hasMore) {
    public Page {
      columns = List.copyOf(columns);
    }
  }

  List<ResultColumn> columns();

  /** The next up to {@code maxRows} rows (at least one page is always returned, maybe empty). */
  Page next(int maxRows);

  @Override
  void close();
}

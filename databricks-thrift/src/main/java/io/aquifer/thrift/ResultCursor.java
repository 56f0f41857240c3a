package io.aquifer.thrift;

import com.databricks.jdbc.model.client.thrift.generated.TColumn;
import com.databricks.jdbc.model.client.thrift.generated.TSparkArrowBatch;
import com.databricks.jdbc.model.client.thrift.generated.TSparkArrowResultLink;
import java.util.List;

/** A forward-only reader of an operation's rows, a page at a time. */
interface ResultCursor extends AutoCloseable {

  /**
   * How pages travel: column-based row sets, Arrow record batches, or links to download Arrow
   * chunks from (CloudFetch).
   */
  enum Format {
    COLUMNS,
    ARROW,
    LINKS
  }

  /**
   * One page of rows: a column per result column, all of {@code rows} values (column-based), or
   * Arrow record batches of {@code rows} rows in all, or links to chunks of {@code rows} rows in
   * all.
   */
  record Page(
      List<TColumn> columns,
      int rows,
      boolean hasMore,
      List<TSparkArrowBatch> arrowBatches,
      List<TSparkArrowResultLink> links) {
    public Page {
      columns = List.copyOf(columns);
      arrowBatches = List.copyOf(arrowBatches);
      links = List.copyOf(links);
    }

    Page(List<TColumn> columns, int rows, boolean hasMore, List<TSparkArrowBatch> arrowBatches) {
      this(columns, rows, hasMore, arrowBatches, List.of());
    }

    Page(List<TColumn> columns, int rows, boolean hasMore) {
      this(columns, rows, hasMore, List.of(), List.of());
    }
  }

  default Format format() {
    return Format.COLUMNS;
  }

  /**
   * Whether the Arrow batches of an {@link Format#ARROW} cursor (the downloads of a {@link
   * Format#LINKS} one) are LZ4 frames.
   */
  default boolean lz4Compressed() {
    return false;
  }

  /** The IPC schema message of an {@link Format#ARROW} or {@link Format#LINKS} cursor. */
  default byte[] arrowSchema() {
    throw new IllegalStateException("not an Arrow cursor");
  }

  List<ResultColumn> columns();

  /** The next up to {@code maxRows} rows (at least one page is always returned, maybe empty). */
  Page next(int maxRows);

  @Override
  void close();
}

package io.aquifer.tpch;

/**
 * Hears how a load advances. Every method is called on the thread that runs {@link
 * TpchDataLoader#load}, so implementations need no locking; an exception thrown here stops the load
 * like any other failure (the table being written is rolled back). All methods do nothing by
 * default.
 */
public interface LoadProgress {
  /** Prints nothing: for tests and for the embedded first start. */
  LoadProgress SILENT = new LoadProgress() {};

  default void loadStarted(TpchSchemaName schema, TpchScaleFactor scaleFactor, int tables) {}

  /** A table is about to be generated; {@code expectedRows} is exact except for some lineitems. */
  default void tableStarted(String table, long expectedRows) {}

  /** Rows generated so far, a few times a second while a table is generated. */
  default void rowsGenerated(String table, long rows) {}

  /** Generation is done; the rows are being written as Parquet and committed. */
  default void tableWriting(String table, long rows) {}

  /** The table is committed and visible. */
  default void tableLoaded(TableLoadResult result) {}

  /** The table existed already with the right rows and was left as it was. */
  default void tableSkipped(TableLoadResult result) {}

  default void loadFinished(LoadSummary summary) {}
}

package io.aquifer.tpch;

import java.nio.file.Path;

/**
 * Where {@code aquifer tpch load} loads: statements to a running warehouse and a directory its
 * warehouse nodes can read (below one of its external locations) for staging Parquet files. Closing
 * it closes the connection.
 */
public interface TpchLoadTarget extends AutoCloseable {
  WarehouseSql sql();

  Path stagingDirectory();

  @Override
  void close();
}

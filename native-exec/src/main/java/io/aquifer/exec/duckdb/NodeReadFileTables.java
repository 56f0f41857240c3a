package io.aquifer.exec.duckdb;

import static io.aquifer.exec.duckdb.DuckDbQuoting.identifier;

import io.aquifer.exec.ExecErrorCode;
import io.aquifer.exec.ExecException;
import io.aquifer.exec.ScanFile;
import io.aquifer.exec.ScanSpec;
import io.aquifer.exec.SourceFormat;
import java.io.File;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.duckdb.DuckDBConnection;

/**
 * Reads the Avro or ORC files of a scan into temporary tables of a query's connection (the engine
 * has no reader for them and its extensions cannot be installed): each file through {@link
 * AvroArrowReader} or {@link OrcArrowReader} as an Arrow stream. The tables go when the connection
 * closes with the query.
 */
final class NodeReadFileTables {
  private static final AtomicLong NEXT = new AtomicLong();

  private NodeReadFileTables() {}

  /** The temporary table holding each of the scan's files, by the file's path. */
  static Map<String, String> load(DuckDBConnection connection, ScanSpec scan) throws SQLException {
    boolean orc = scan.format().kind() == SourceFormat.Kind.ORC;
    String label = orc ? "ORC" : "Avro";
    Map<String, String> tables = new LinkedHashMap<>();
    try (BufferAllocator allocator = new RootAllocator()) {
      for (int i = 0; i < scan.files().size(); i++) {
        ScanFile file = scan.files().get(i);
        if (tables.containsKey(file.path())) {
          continue;
        }
        String enginePath = DuckDbQuoting.enginePath(file.path());
        String shown =
            i < scan.format().userPaths().size() ? scan.format().userPaths().get(i) : enginePath;
        String table =
            "_aquifer_" + label.toLowerCase(java.util.Locale.ROOT) + "_" + NEXT.incrementAndGet();
        String stream = table + "_stream";
        File source = new File(enginePath);
        boolean schemaOnly = scan.format().inferSchema();
        try (ArrowReader reader =
                orc
                    ? new OrcArrowReader(allocator, source, shown, schemaOnly)
                    : new AvroArrowReader(allocator, source, shown, schemaOnly);
            ArrowArrayStream exported = ArrowArrayStream.allocateNew(allocator)) {
          Data.exportArrayStream(allocator, reader, exported);
          connection.registerArrowStream(stream, exported);
          try (Statement statement = connection.createStatement()) {
            statement.execute(
                "CREATE TEMPORARY TABLE "
                    + identifier(table)
                    + " AS SELECT * FROM "
                    + identifier(stream));
          } catch (SQLException e) {
            throw new ExecException(
                ExecErrorCode.DATA_FILE_CORRUPT,
                "Cannot read the " + label + " file " + shown + ": " + e.getMessage(),
                e);
          }
        } catch (java.io.IOException e) {
          throw orc ? OrcArrowReader.corrupt(shown, e) : AvroArrowReader.corrupt(shown, e);
        }
        tables.put(file.path(), table);
      }
    }
    return tables;
  }
}

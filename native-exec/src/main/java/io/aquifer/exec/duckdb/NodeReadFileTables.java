package io.aquifer.exec.duckdb;

import static io.aquifer.exec.duckdb.DuckDbQuoting.identifier;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aquifer.exec.ExecErrorCode;
import io.aquifer.exec.ExecException;
import io.aquifer.exec.ScanFile;
import io.aquifer.exec.ScanSpec;
import io.aquifer.exec.SourceFormat;
import java.io.File;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.duckdb.DuckDBConnection;

/**
 * Reads the Avro, ORC or XML files of a scan into temporary tables of a query's connection (the
 * engine has no reader for them and its extensions cannot be installed): each file through {@link
 * AvroArrowReader} or {@link OrcArrowReader} as an Arrow stream, XML files through {@link
 * XmlRowReader} as JSON values the engine turns into columns. The tables go when the connection
 * closes with the query.
 */
final class NodeReadFileTables {
  private static final AtomicLong NEXT = new AtomicLong();

  private NodeReadFileTables() {}

  /** The temporary table holding each of the scan's files, by the file's path. */
  static Map<String, String> load(DuckDBConnection connection, ScanSpec scan) throws SQLException {
    if (scan.format().kind() == SourceFormat.Kind.XML) {
      return loadXml(connection, scan);
    }
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
            i < scan.format().files().userPaths().size()
                ? scan.format().files().userPaths().get(i)
                : enginePath;
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

  /**
   * XML: the files are read twice, a row at a time, never held whole: first every row to widen each
   * column's type over all of them, then each file into its table in batches, as one JSON value per
   * row of those types, which the engine turns into columns.
   */
  private static Map<String, String> loadXml(DuckDBConnection connection, ScanSpec scan)
      throws SQLException {
    io.aquifer.planner.XmlOptions options = scan.format().text().xml();
    if (options == null || options.rowTag().isEmpty()) {
      throw new ExecException(
          ExecErrorCode.DATA_FILE_CORRUPT, "XML files are read with a rowTag option");
    }
    XmlRowReader xml = new XmlRowReader(options);
    Map<String, String> shownPaths = new LinkedHashMap<>();
    for (int i = 0; i < scan.files().size(); i++) {
      ScanFile file = scan.files().get(i);
      String enginePath = DuckDbQuoting.enginePath(file.path());
      shownPaths.putIfAbsent(
          file.path(),
          i < scan.format().files().userPaths().size()
              ? scan.format().files().userPaths().get(i)
              : enginePath);
    }
    XmlRowReader.Type type = XmlRowReader.Primitive.NULL;
    for (Map.Entry<String, String> file : shownPaths.entrySet()) {
      try (XmlRowReader.Rows rows =
          xml.open(Path.of(DuckDbQuoting.enginePath(file.getKey())), file.getValue())) {
        for (Map<String, Object> row = rows.next(); row != null; row = rows.next()) {
          type = xml.widen(type, row);
        }
      }
    }
    XmlRowReader.Struct schema =
        type instanceof XmlRowReader.Struct s ? s : new XmlRowReader.Struct(Map.of());
    if (schema.fields().isEmpty()) {
      // No row in any file: one string column, as spark-xml reads such files.
      schema = new XmlRowReader.Struct(Map.of(xml.valueTag(), XmlRowReader.Primitive.NULL));
    }
    ObjectMapper mapper = new ObjectMapper();
    String structure;
    try {
      structure = mapper.writeValueAsString(XmlRowReader.jsonStructure(schema));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    Map<String, String> tables = new LinkedHashMap<>();
    try (BufferAllocator allocator = new RootAllocator()) {
      for (Map.Entry<String, String> file : shownPaths.entrySet()) {
        String table = "_aquifer_xml_" + NEXT.incrementAndGet();
        String stream = table + "_stream";
        // Each row as a JSON object of the columns' types, turned into columns by the engine.
        try (XmlRowReader.Rows rows =
                scan.format().inferSchema()
                    ? null
                    : xml.open(Path.of(DuckDbQuoting.enginePath(file.getKey())), file.getValue());
            ArrowReader reader = new XmlJsonLines(allocator, mapper, xml, rows, schema);
            ArrowArrayStream exported = ArrowArrayStream.allocateNew(allocator)) {
          Data.exportArrayStream(allocator, reader, exported);
          connection.registerArrowStream(stream, exported);
          try (Statement statement = connection.createStatement()) {
            statement.execute(
                "CREATE TEMPORARY TABLE "
                    + identifier(table)
                    + " AS SELECT unnest(json_transform_strict(line, "
                    + DuckDbQuoting.string(structure)
                    + ")) FROM "
                    + identifier(stream));
          }
        } catch (java.io.IOException e) {
          throw new ExecException(
              ExecErrorCode.DATA_FILE_CORRUPT,
              "Cannot read the XML file " + file.getValue() + ": " + e.getMessage(),
              e);
        }
        tables.put(file.getKey(), table);
      }
    }
    return tables;
  }

  /**
   * One {@code line} column: each row of an XML file as JSON of the columns' types, read from the
   * file a batch at a time as the engine asks for them (no rows when {@code rows} is null).
   */
  private static final class XmlJsonLines extends ArrowReader {
    private static final int BATCH_ROWS = 4096;

    private final ObjectMapper mapper;
    private final XmlRowReader xml;
    private final XmlRowReader.Rows rows;
    private final XmlRowReader.Struct schema;
    private long bytes;

    XmlJsonLines(
        BufferAllocator allocator,
        ObjectMapper mapper,
        XmlRowReader xml,
        XmlRowReader.Rows rows,
        XmlRowReader.Struct schema) {
      super(allocator);
      this.mapper = mapper;
      this.xml = xml;
      this.rows = rows;
      this.schema = schema;
    }

    @Override
    protected org.apache.arrow.vector.types.pojo.Schema readSchema() {
      return new org.apache.arrow.vector.types.pojo.Schema(
          List.of(
              org.apache.arrow.vector.types.pojo.Field.nullable(
                  "line", new org.apache.arrow.vector.types.pojo.ArrowType.Utf8())));
    }

    @Override
    public boolean loadNextBatch() throws java.io.IOException {
      prepareLoadNextBatch();
      VectorSchemaRoot root = getVectorSchemaRoot();
      // Fresh buffers for every batch: the engine may still be reading the previous batch's.
      root.allocateNew();
      VarCharVector line = (VarCharVector) root.getVector(0);
      int n = 0;
      Map<String, Object> row;
      while (rows != null && n < BATCH_ROWS && (row = rows.next()) != null) {
        byte[] json = mapper.writeValueAsBytes(xml.json(row, schema));
        line.setSafe(n++, json);
        bytes += json.length;
      }
      root.setRowCount(n);
      return n > 0;
    }

    @Override
    public long bytesRead() {
      return bytes;
    }

    @Override
    protected void closeReadSource() {
      // the rows are closed by their owner
    }
  }
}

package io.aquifer.exec.duckdb;

import static io.aquifer.exec.duckdb.DuckDbQuoting.identifier;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aquifer.exec.ExecErrorCode;
import io.aquifer.exec.ExecException;
import io.aquifer.exec.ScanFile;
import io.aquifer.exec.ScanSpec;
import io.aquifer.exec.SourceFormat;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
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
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
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
   * XML: every file's rows are read first so that each column's type is widened over all of them;
   * each file then goes to its table as one JSON value per row, of those types, which the engine
   * turns into columns.
   */
  private static Map<String, String> loadXml(DuckDBConnection connection, ScanSpec scan)
      throws SQLException {
    String rowTag = scan.format().text().rowTag();
    if (rowTag == null || rowTag.isEmpty()) {
      throw new ExecException(
          ExecErrorCode.DATA_FILE_CORRUPT, "XML files are read with a rowTag option");
    }
    Map<String, List<Map<String, Object>>> rows = new LinkedHashMap<>();
    List<Map<String, Object>> all = new ArrayList<>();
    for (int i = 0; i < scan.files().size(); i++) {
      ScanFile file = scan.files().get(i);
      if (rows.containsKey(file.path())) {
        continue;
      }
      String enginePath = DuckDbQuoting.enginePath(file.path());
      String shown =
          i < scan.format().files().userPaths().size()
              ? scan.format().files().userPaths().get(i)
              : enginePath;
      List<Map<String, Object>> fileRows = XmlRowReader.rows(Path.of(enginePath), shown, rowTag);
      rows.put(file.path(), fileRows);
      all.addAll(fileRows);
    }
    XmlRowReader.Struct schema = XmlRowReader.schema(all);
    if (schema.fields().isEmpty()) {
      // No row in any file: one string column, as spark-xml reads such files.
      schema = new XmlRowReader.Struct(Map.of(XmlRowReader.VALUE_TAG, XmlRowReader.Primitive.NULL));
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
      for (Map.Entry<String, List<Map<String, Object>>> file : rows.entrySet()) {
        String table = "_aquifer_xml_" + NEXT.incrementAndGet();
        String stream = table + "_stream";
        // Each row as a JSON object of the columns' types, turned into columns by the engine.
        List<Map<String, Object>> fileRows =
            scan.format().inferSchema() ? List.of() : file.getValue();
        try (ArrowReader reader = jsonLines(allocator, mapper, fileRows, schema);
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
              "Cannot read the XML file " + file.getKey() + ": " + e.getMessage(),
              e);
        }
        tables.put(file.getKey(), table);
      }
    }
    return tables;
  }

  /** One {@code line} column: each row as JSON of the columns' types. */
  private static ArrowReader jsonLines(
      BufferAllocator allocator,
      ObjectMapper mapper,
      List<Map<String, Object>> rows,
      XmlRowReader.Struct schema)
      throws java.io.IOException {
    java.io.ByteArrayOutputStream ipc = new java.io.ByteArrayOutputStream();
    try (VarCharVector line = new VarCharVector("line", allocator);
        VectorSchemaRoot root = VectorSchemaRoot.of(line);
        ArrowStreamWriter writer = new ArrowStreamWriter(root, null, ipc)) {
      line.allocateNew(rows.size());
      for (int i = 0; i < rows.size(); i++) {
        line.setSafe(
            i,
            mapper
                .writeValueAsString(XmlRowReader.json(rows.get(i), schema))
                .getBytes(StandardCharsets.UTF_8));
      }
      root.setRowCount(rows.size());
      writer.start();
      writer.writeBatch();
      writer.end();
    }
    return new ArrowStreamReader(new java.io.ByteArrayInputStream(ipc.toByteArray()), allocator);
  }
}

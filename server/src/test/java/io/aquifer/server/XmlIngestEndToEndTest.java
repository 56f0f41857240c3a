package io.aquifer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * XML files read with {@code read_files(..., format => 'xml', rowTag => ...)} and loaded with
 * {@code COPY INTO ... FILEFORMAT = XML FORMAT_OPTIONS ('rowTag' = ...)} through the Arrow Flight
 * SQL JDBC driver, with spark-xml's reading: attributes as {@code _name} columns, nested elements
 * as structs, repeated ones as arrays, {@code _VALUE} for the text of an element with attributes,
 * types inferred and widened across files.
 */
class XmlIngestEndToEndTest {
  @TempDir Path dataDirectory;

  private static final String A =
      """
      <?xml version="1.0" encoding="UTF-8"?>
      <catalog>
        <book id="bk101" lang="en">
          <author>Gambardella</author>
          <title>XML Guide</title>
          <price>44.95</price>
          <year>2000</year>
          <published>2000-10-01T12:30:00+02:00</published>
          <available>true</available>
          <tag>xml</tag>
          <tag>guide</tag>
          <publisher><name>Wrox</name><city>Chicago</city></publisher>
          <isbn type="13">9780000000001</isbn>
        </book>
        <book id="bk102">
          <author>Ralls &amp; Co</author>
          <title><![CDATA[Midnight <Rain>]]></title>
          <price>5</price>
          <year>2001</year>
          <available>false</available>
          <tag>fantasy</tag>
          <isbn type="10">2</isbn>
        </book>
      </catalog>
      """;

  // Another file: year no longer a number, an element of its own, namespaces (local names).
  private static final String B =
      """
      <catalog xmlns="urn:books" xmlns:p="urn:p"><book id="bk103"><p:author>Corets</p:author><title>Maeve</title><price>6</price>
      <year>n/a</year><pages>300</pages><huge>1e999</huge></book></catalog>
      """;

  @Test
  void readsAndLoadsXmlFilesOnceAndRefusesBadOnes() throws Exception {
    Path dir = dataDirectory.resolve("external").resolve("books");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("a.xml"), A);
    Files.writeString(dir.resolve("b.xml"), B);
    try (RunningServer server = RunningServer.start(dataDirectory);
        Connection c = server.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA c");
      s.execute(
          "CREATE TABLE c.inferred AS SELECT * FROM read_files('" + dir + "', rowTag => 'book')");
      List<String> columns = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("DESCRIBE TABLE c.inferred")) {
        while (rs.next()) {
          columns.add(rs.getString(1) + " " + rs.getString(2));
        }
      }
      assertEquals(
          List.of(
              "_id STRING",
              "_lang STRING",
              "author STRING",
              "title STRING",
              "price DOUBLE",
              "year STRING",
              "published TIMESTAMP",
              "available BOOLEAN",
              "tag ARRAY<STRING>",
              "publisher STRUCT<name: STRING, city: STRING>",
              "isbn STRUCT<_type: BIGINT, _VALUE: BIGINT>",
              "pages BIGINT",
              "huge STRING"),
          columns);
      try (ResultSet rs =
          s.executeQuery(
              "SELECT _id, _lang, author, title, price, year, CAST(published AS STRING),"
                  + " available, tag[0], size(tag), r.publisher.city, r.isbn._type,"
                  + " r.isbn._VALUE, pages, r._metadata.file_name"
                  + " FROM read_files('"
                  + dir
                  + "', format => 'xml', rowTag => 'book') AS r ORDER BY _id")) {
        assertTrue(rs.next());
        assertEquals("bk101", rs.getString(1));
        assertEquals("en", rs.getString(2));
        assertEquals("Gambardella", rs.getString(3));
        assertEquals("XML Guide", rs.getString(4));
        assertEquals(44.95, rs.getDouble(5));
        assertEquals("2000", rs.getString(6));
        assertEquals("2000-10-01 10:30:00", rs.getString(7));
        assertTrue(rs.getBoolean(8));
        assertEquals("xml", rs.getString(9));
        assertEquals(2, rs.getInt(10));
        assertEquals("Chicago", rs.getString(11));
        assertEquals(13, rs.getLong(12));
        assertEquals(9780000000001L, rs.getLong(13));
        assertEquals(null, rs.getObject(14), "a.xml has no pages");
        assertEquals("a.xml", rs.getString(15));
        assertTrue(rs.next());
        assertEquals("bk102", rs.getString(1));
        assertEquals(null, rs.getString(2), "no lang attribute");
        assertEquals("Ralls & Co", rs.getString(3), "an entity of XML itself");
        assertEquals("Midnight <Rain>", rs.getString(4), "CDATA");
        assertEquals(5.0, rs.getDouble(5), "5 widened to DOUBLE");
        assertFalse(rs.getBoolean(8));
        assertEquals("fantasy", rs.getString(9), "one element read as an array of one");
        assertEquals(1, rs.getInt(10));
        assertEquals(null, rs.getString(11), "no publisher");
        assertEquals(2, rs.getLong(13));
        assertTrue(rs.next());
        assertEquals("bk103", rs.getString(1));
        assertEquals("Corets", rs.getString(3));
        assertEquals("n/a", rs.getString(6));
        assertEquals(300, rs.getLong(14));
        assertEquals("b.xml", rs.getString(15));
        assertFalse(rs.next());
      }

      // COPY INTO twice: the second skips the files loaded by the first.
      s.execute(
          "CREATE TABLE c.books (_id STRING, author STRING, price DOUBLE, tag ARRAY<STRING>,"
              + " publisher STRUCT<name: STRING, city: STRING>, other STRING)");
      String copy =
          "COPY INTO c.books FROM '"
              + dir
              + "' FILEFORMAT = XML FORMAT_OPTIONS ('rowTag' = 'book')";
      assertEquals(3, s.executeUpdate(copy));
      assertEquals(0, s.executeUpdate(copy));
      try (ResultSet rs =
          s.executeQuery(
              "SELECT count(*), sum(price), count(other), max(b.publisher.name),"
                  + " max(size(tag)) FROM c.books AS b")) {
        assertTrue(rs.next());
        assertEquals(3, rs.getLong(1));
        assertEquals(55.95, rs.getDouble(2), 1e-9);
        assertEquals(0, rs.getLong(3));
        assertEquals("Wrox", rs.getString(4));
        assertEquals(2, rs.getInt(5));
      }

      // rowTag is required.
      SQLException noRowTag =
          assertThrows(
              SQLException.class,
              () -> s.executeUpdate("COPY INTO c.books FROM '" + dir + "' FILEFORMAT = XML"));
      assertTrue(noRowTag.getMessage().contains("42KDF"), noRowTag.getMessage());
      assertTrue(noRowTag.getMessage().contains("rowTag"), noRowTag.getMessage());
      SQLException noRowTagRead =
          assertThrows(
              SQLException.class,
              () ->
                  s.executeQuery("SELECT * FROM read_files('" + dir + "', format => 'xml')")
                      .close());
      assertTrue(noRowTagRead.getMessage().contains("42KDF"), noRowTagRead.getMessage());

      // Malformed XML: the COPY fails naming the file and line, and writes nothing.
      Path bad = dataDirectory.resolve("external").resolve("bad");
      Files.createDirectories(bad);
      Files.writeString(bad.resolve("good.xml"), B);
      Files.writeString(
          bad.resolve("broken.xml"),
          "<catalog>\n<book><author>X</author>\n<title>unclosed</book>\n</catalog>\n");
      SQLException malformed =
          assertThrows(
              SQLException.class,
              () ->
                  s.executeUpdate(
                      "COPY INTO c.books FROM '"
                          + bad
                          + "' FILEFORMAT = XML FORMAT_OPTIONS ('rowTag' = 'book')"));
      assertTrue(malformed.getMessage().contains("broken.xml"), malformed.getMessage());
      assertTrue(malformed.getMessage().contains("line 3"), malformed.getMessage());
      assertTrue(malformed.getMessage().contains("XX001"), malformed.getMessage());

      // An external entity (XXE): refused, the file it names never read, nothing written.
      Path secret = dataDirectory.resolve("secret.txt");
      Files.writeString(secret, "TOP-SECRET-VALUE");
      Path xxe = dataDirectory.resolve("external").resolve("xxe");
      Files.createDirectories(xxe);
      Files.writeString(
          xxe.resolve("evil.xml"),
          "<?xml version=\"1.0\"?>\n<!DOCTYPE catalog [<!ENTITY xxe SYSTEM \""
              + secret.toUri()
              + "\">]>\n<catalog><book><author>&xxe;</author></book></catalog>\n");
      SQLException refused =
          assertThrows(
              SQLException.class,
              () ->
                  s.executeUpdate(
                      "COPY INTO c.books FROM '"
                          + xxe
                          + "' FILEFORMAT = XML FORMAT_OPTIONS ('rowTag' = 'book')"));
      assertTrue(refused.getMessage().contains("evil.xml"), refused.getMessage());
      assertTrue(refused.getMessage().contains("DOCTYPE"), refused.getMessage());
      assertFalse(refused.getMessage().contains("TOP-SECRET"), refused.getMessage());
      SQLException refusedRead =
          assertThrows(
              SQLException.class,
              () ->
                  s.executeQuery("SELECT * FROM read_files('" + xxe + "', rowTag => 'book')")
                      .close());
      assertFalse(refusedRead.getMessage().contains("TOP-SECRET"), refusedRead.getMessage());
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM c.books")) {
        assertTrue(rs.next());
        assertEquals(3, rs.getLong(1));
      }
      int commits = 0;
      try (ResultSet rs = s.executeQuery("DESCRIBE HISTORY c.books")) {
        while (rs.next()) {
          commits++;
        }
      }
      assertEquals(2, commits, "CREATE TABLE and one COPY INTO");

      // Options that are not XML's.
      SQLException option =
          assertThrows(
              SQLException.class,
              () ->
                  s.executeUpdate(
                      "COPY INTO c.books FROM '"
                          + dir
                          + "' FILEFORMAT = XML FORMAT_OPTIONS ('rowTag' = 'book',"
                          + " 'header' = 'true')"));
      assertTrue(option.getMessage().contains("0A000"), option.getMessage());
    }
  }

  @Test
  void xmlOptionsNameTheColumnsAndLargeFilesAreReadInBatches() throws Exception {
    Path dir = dataDirectory.resolve("external").resolve("books");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("a.xml"), A);
    Files.writeString(dir.resolve("b.xml"), B);
    Path many = dataDirectory.resolve("external").resolve("many");
    Files.createDirectories(many);
    StringBuilder big = new StringBuilder("<rows>\n");
    for (int i = 1; i <= 10_000; i++) {
      big.append("<r n=\"").append(i).append("\"><v>").append(i * 2).append("</v></r>\n");
    }
    Files.writeString(many.resolve("big.xml"), big.append("</rows>\n"));
    try (RunningServer server = RunningServer.start(dataDirectory);
        Connection c = server.connect();
        Statement s = c.createStatement()) {
      assertEquals(
          List.of("@id", "@lang", "author", "isbn"),
          columns(
              s,
              "SELECT `@id`, `@lang`, author, isbn FROM read_files('"
                  + dir
                  + "', rowTag => 'book', attributePrefix => '@', valueTag => 'text')"));
      try (ResultSet rs =
          s.executeQuery(
              "SELECT r.isbn.`@type`, r.isbn.text FROM read_files('"
                  + dir
                  + "', rowTag => 'book', attributePrefix => '@', valueTag => 'text') AS r"
                  + " WHERE `@id` = 'bk101'")) {
        assertTrue(rs.next());
        assertEquals(13, rs.getLong(1));
        assertEquals(9780000000001L, rs.getLong(2));
      }
      List<String> noAttributes =
          columns(
              s,
              "SELECT * FROM read_files('"
                  + dir
                  + "', rowTag => 'book', excludeAttribute => 'true')");
      assertFalse(noAttributes.contains("_id"), noAttributes.toString());
      try (ResultSet rs =
          s.executeQuery(
              "SELECT isbn FROM read_files('"
                  + dir
                  + "', rowTag => 'book', excludeAttribute => 'true')"
                  + " WHERE isbn IS NOT NULL ORDER BY isbn")) {
        assertTrue(rs.next());
        assertEquals(2, rs.getLong(1), "isbn without its attribute is a plain value");
      }
      List<String> prefixed =
          columns(
              s,
              "SELECT * FROM read_files('"
                  + dir
                  + "', rowTag => 'book', ignoreNamespace => 'false')");
      assertTrue(prefixed.contains("p:author"), prefixed.toString());
      assertTrue(prefixed.contains("author"), prefixed.toString());

      s.execute("CREATE SCHEMA c");
      s.execute("CREATE TABLE c.many (_n BIGINT, v BIGINT)");
      assertEquals(
          10_000,
          s.executeUpdate(
              "COPY INTO c.many FROM '"
                  + many
                  + "' FILEFORMAT = XML FORMAT_OPTIONS ('rowTag' = 'r')"));
      try (ResultSet rs = s.executeQuery("SELECT count(*), sum(_n), sum(v) FROM c.many")) {
        assertTrue(rs.next());
        assertEquals(10_000, rs.getLong(1));
        assertEquals(50_005_000L, rs.getLong(2));
        assertEquals(100_010_000L, rs.getLong(3));
      }
      SQLException badValueTag =
          assertThrows(
              SQLException.class,
              () ->
                  s.executeUpdate(
                      "COPY INTO c.many FROM '"
                          + many
                          + "' FILEFORMAT = XML FORMAT_OPTIONS ('rowTag' = 'r', 'valueTag' = '_')"));
      assertTrue(badValueTag.getMessage().contains("42K06"), badValueTag.getMessage());
    }
  }

  private static List<String> columns(Statement s, String sql) throws SQLException {
    List<String> names = new ArrayList<>();
    try (ResultSet rs = s.executeQuery(sql)) {
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
        names.add(rs.getMetaData().getColumnName(i));
      }
    }
    return names;
  }
}

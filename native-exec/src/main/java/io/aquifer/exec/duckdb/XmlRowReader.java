package io.aquifer.exec.duckdb;

import io.aquifer.exec.ExecErrorCode;
import io.aquifer.exec.ExecException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The rows of XML files as spark-xml reads them: each {@code rowTag} element is a row, its
 * attributes columns named with the {@code _} prefix, its child elements columns; an element with
 * attributes or children is a STRUCT, its text then the {@code _VALUE} field; an element repeated
 * in a row is an ARRAY; text values are BIGINT, DOUBLE, BOOLEAN, TIMESTAMP or STRING, widened
 * across rows and files (BIGINT and DOUBLE to DOUBLE, anything else to STRING). Timestamps with a
 * zone are read as that instant, without one as UTC.
 *
 * <p>Read with the JDK's StAX parser with DTDs and external entities off: a document with a DOCTYPE
 * is refused, so no entity is ever expanded (XXE).
 */
final class XmlRowReader {
  static final String ATTRIBUTE_PREFIX = "_";
  static final String VALUE_TAG = "_VALUE";

  private static final Pattern LONG = Pattern.compile("[+-]?\\d{1,18}");
  private static final Pattern DOUBLE =
      Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
  private static final DateTimeFormatter ENGINE_TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS'+00'", Locale.ROOT);

  /** An inferred type: a primitive, a struct of named fields, or an array. */
  sealed interface Type permits Primitive, Struct, Array {}

  enum Primitive implements Type {
    NULL,
    BOOLEAN,
    LONG,
    DOUBLE,
    TIMESTAMP,
    STRING
  }

  record Struct(Map<String, Type> fields) implements Type {}

  record Array(Type element) implements Type {}

  private XmlRowReader() {}

  /**
   * Reads the rows of one file: each a map of column to value (null, a text String, a nested map or
   * a list of repeated values). Fails with DATA_FILE_CORRUPT naming {@code shown} and the line.
   */
  static List<Map<String, Object>> rows(Path file, String shown, String rowTag) {
    List<Map<String, Object>> rows = new ArrayList<>();
    XMLStreamReader reader = null;
    try (InputStream in = Files.newInputStream(file)) {
      reader = factory().createXMLStreamReader(in);
      while (reader.hasNext()) {
        int event = reader.next();
        if (event == XMLStreamConstants.DTD) {
          throw new ExecException(
              ExecErrorCode.DATA_FILE_CORRUPT,
              "Cannot read the XML file "
                  + shown
                  + ", line "
                  + reader.getLocation().getLineNumber()
                  + ": a DOCTYPE declaration is not allowed (DTDs and external entities are not"
                  + " read)");
        }
        if (event == XMLStreamConstants.START_ELEMENT && reader.getLocalName().equals(rowTag)) {
          Object row = element(reader);
          Map<String, Object> columns;
          if (row instanceof Map<?, ?>) {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) row;
            columns = m;
          } else {
            columns = new LinkedHashMap<>();
            if (row != null) {
              columns.put(VALUE_TAG, row);
            }
          }
          rows.add(columns);
        }
      }
    } catch (XMLStreamException e) {
      int line = e.getLocation() == null ? -1 : e.getLocation().getLineNumber();
      throw new ExecException(
          ExecErrorCode.DATA_FILE_CORRUPT,
          "Cannot read the XML file "
              + shown
              + (line > 0 ? ", line " + line : "")
              + ": "
              + message(e),
          e);
    } catch (IOException e) {
      throw new ExecException(
          ExecErrorCode.DATA_FILE_CORRUPT,
          "Cannot read the XML file " + shown + ": " + e.getMessage(),
          e);
    } finally {
      if (reader != null) {
        try {
          reader.close();
        } catch (XMLStreamException ignored) {
          // the stream closes with the file
        }
      }
    }
    return rows;
  }

  private static String message(XMLStreamException e) {
    String m = e.getMessage();
    int i = m == null ? -1 : m.indexOf("Message: ");
    return i >= 0 ? m.substring(i + "Message: ".length()) : String.valueOf(m);
  }

  private static XMLInputFactory factory() {
    XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
    factory.setProperty(XMLInputFactory.IS_COALESCING, true);
    factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
    return factory;
  }

  /** The value of the element the reader stands at the start of; leaves it at its end. */
  private static Object element(XMLStreamReader reader) throws XMLStreamException {
    Map<String, Object> fields = new LinkedHashMap<>();
    for (int i = 0; i < reader.getAttributeCount(); i++) {
      fields.put(ATTRIBUTE_PREFIX + reader.getAttributeLocalName(i), reader.getAttributeValue(i));
    }
    boolean children = false;
    StringBuilder text = new StringBuilder();
    while (true) {
      int event = reader.next();
      if (event == XMLStreamConstants.START_ELEMENT) {
        children = true;
        String name = reader.getLocalName();
        Object value = element(reader);
        Object before = fields.get(name);
        if (before instanceof Repeated r) {
          r.add(value);
        } else if (fields.containsKey(name)) {
          Repeated r = new Repeated();
          r.add(before);
          r.add(value);
          fields.put(name, r);
        } else {
          fields.put(name, value);
        }
      } else if (event == XMLStreamConstants.CHARACTERS
          || event == XMLStreamConstants.CDATA
          || event == XMLStreamConstants.SPACE) {
        text.append(reader.getText());
      } else if (event == XMLStreamConstants.ENTITY_REFERENCE) {
        throw new XMLStreamException(
            "the entity '" + reader.getLocalName() + "' is not declared", reader.getLocation());
      } else if (event == XMLStreamConstants.END_ELEMENT) {
        break;
      }
    }
    String value = text.toString().trim();
    if (fields.isEmpty() && !children) {
      return value.isEmpty() ? null : value;
    }
    if (!value.isEmpty()) {
      fields.put(VALUE_TAG, value);
    }
    return fields;
  }

  /** The values of an element repeated in its parent. */
  static final class Repeated extends ArrayList<Object> {
    private static final long serialVersionUID = 1L;
  }

  /** The columns of rows: each column's type widened over all rows. */
  static Struct schema(List<Map<String, Object>> rows) {
    Type t = Primitive.NULL;
    for (Map<String, Object> row : rows) {
      t = merge(t, infer(row));
    }
    return t instanceof Struct s ? s : new Struct(Map.of());
  }

  static Type infer(Object value) {
    if (value == null) {
      return Primitive.NULL;
    }
    if (value instanceof List<?> list) {
      Type element = Primitive.NULL;
      for (Object v : list) {
        element = merge(element, infer(v));
      }
      return new Array(element);
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Type> fields = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        fields.put((String) e.getKey(), infer(e.getValue()));
      }
      return new Struct(fields);
    }
    String s = (String) value;
    if (LONG.matcher(s).matches()) {
      return Primitive.LONG;
    }
    if (DOUBLE.matcher(s).matches() && Double.isFinite(Double.parseDouble(s))) {
      return Primitive.DOUBLE;
    }
    if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
      return Primitive.BOOLEAN;
    }
    if (timestamp(s) != null) {
      return Primitive.TIMESTAMP;
    }
    return Primitive.STRING;
  }

  /** The type both values fit. */
  static Type merge(Type a, Type b) {
    if (a == Primitive.NULL || a.equals(b)) {
      return b;
    }
    if (b == Primitive.NULL) {
      return a;
    }
    if (a instanceof Array x && b instanceof Array y) {
      return new Array(merge(x.element(), y.element()));
    }
    if (a instanceof Array x) {
      return new Array(merge(x.element(), b));
    }
    if (b instanceof Array y) {
      return new Array(merge(a, y.element()));
    }
    if (a instanceof Struct x && b instanceof Struct y) {
      Map<String, Type> fields = new LinkedHashMap<>(x.fields());
      y.fields().forEach((k, v) -> fields.merge(k, v, XmlRowReader::merge));
      return new Struct(fields);
    }
    if (a instanceof Struct x) {
      return merge(x, new Struct(Map.of(VALUE_TAG, b)));
    }
    if (b instanceof Struct y) {
      return merge(new Struct(Map.of(VALUE_TAG, a)), y);
    }
    if ((a == Primitive.LONG && b == Primitive.DOUBLE)
        || (a == Primitive.DOUBLE && b == Primitive.LONG)) {
      return Primitive.DOUBLE;
    }
    return Primitive.STRING;
  }

  /** The engine's name of a type (a column of only empty elements is a STRING). */
  static String engineType(Type type) {
    if (type instanceof Array a) {
      return engineType(a.element()) + "[]";
    }
    if (type instanceof Struct s) {
      StringBuilder b = new StringBuilder("STRUCT(");
      boolean first = true;
      for (Map.Entry<String, Type> f : s.fields().entrySet()) {
        b.append(first ? "" : ", ")
            .append(DuckDbQuoting.identifier(f.getKey()))
            .append(' ')
            .append(engineType(f.getValue()));
        first = false;
      }
      return b.append(')').toString();
    }
    return switch ((Primitive) type) {
      case BOOLEAN -> "BOOLEAN";
      case LONG -> "BIGINT";
      case DOUBLE -> "DOUBLE";
      case TIMESTAMP -> "TIMESTAMPTZ";
      case NULL, STRING -> "VARCHAR";
    };
  }

  /** The engine's JSON structure of a type (for {@code json_transform}). */
  static Object jsonStructure(Type type) {
    if (type instanceof Array a) {
      return List.of(jsonStructure(a.element()));
    }
    if (type instanceof Struct s) {
      Map<String, Object> out = new LinkedHashMap<>();
      s.fields().forEach((k, v) -> out.put(k, jsonStructure(v)));
      return out;
    }
    return engineType(type);
  }

  /** The value as JSON of its column's type, for the engine's JSON reader. */
  static Object json(Object value, Type type) {
    if (value == null) {
      return null;
    }
    if (type instanceof Array a) {
      List<Object> out = new ArrayList<>();
      if (value instanceof List<?> list) {
        list.forEach(v -> out.add(json(v, a.element())));
      } else {
        out.add(json(value, a.element()));
      }
      return out;
    }
    if (type instanceof Struct s) {
      Map<String, Object> out = new LinkedHashMap<>();
      if (value instanceof Map<?, ?> map) {
        for (Map.Entry<String, Type> f : s.fields().entrySet()) {
          out.put(f.getKey(), json(map.get(f.getKey()), f.getValue()));
        }
      } else {
        out.put(VALUE_TAG, json(value, s.fields().get(VALUE_TAG)));
      }
      return out;
    }
    String s = value.toString();
    return switch ((Primitive) type) {
      case BOOLEAN -> Boolean.parseBoolean(s.toLowerCase(Locale.ROOT));
      case LONG -> Long.parseLong(s.startsWith("+") ? s.substring(1) : s);
      case DOUBLE -> Double.parseDouble(s);
      case TIMESTAMP -> timestamp(s).format(ENGINE_TIMESTAMP);
      case NULL, STRING -> s;
    };
  }

  /** An ISO 8601 timestamp (with a zone: as UTC), or null. */
  static LocalDateTime timestamp(String s) {
    if (s.length() < 16 || s.charAt(4) != '-') {
      return null;
    }
    try {
      return OffsetDateTime.parse(s).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
    } catch (DateTimeParseException e) {
      try {
        return LocalDateTime.parse(s);
      } catch (DateTimeParseException e2) {
        return null;
      }
    }
  }
}

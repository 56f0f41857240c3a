package io.aquifer.exec.duckdb;

import io.aquifer.exec.ExecErrorCode;
import io.aquifer.exec.ExecException;
import io.aquifer.planner.XmlOptions;
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
 * is refused, so no entity is ever expanded (XXE). A file is read a row at a time ({@link Rows}):
 * no file is held whole.
 *
 * <p>The options ({@link XmlOptions}) choose the attribute prefix, the value tag, whether
 * attributes are read and whether names keep their namespace prefix.
 */
final class XmlRowReader {
  private final XmlOptions options;

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

  XmlRowReader(XmlOptions options) {
    this.options = java.util.Objects.requireNonNull(options, "options");
  }

  String valueTag() {
    return options.valueTag();
  }

  /** Opens a file to read its rows one by one. */
  Rows open(Path file, String shown) {
    try {
      InputStream in = Files.newInputStream(file);
      try {
        return new Rows(in, factory().createXMLStreamReader(in), shown);
      } catch (XMLStreamException | RuntimeException e) {
        in.close();
        throw e;
      }
    } catch (XMLStreamException e) {
      throw corrupt(shown, e);
    } catch (IOException e) {
      throw new ExecException(
          ExecErrorCode.DATA_FILE_CORRUPT,
          "Cannot read the XML file " + shown + ": " + e.getMessage(),
          e);
    }
  }

  private static ExecException corrupt(String shown, XMLStreamException e) {
    int line = e.getLocation() == null ? -1 : e.getLocation().getLineNumber();
    return new ExecException(
        ExecErrorCode.DATA_FILE_CORRUPT,
        "Cannot read the XML file "
            + shown
            + (line > 0 ? ", line " + line : "")
            + ": "
            + message(e),
        e);
  }

  /**
   * The rows of one open file, read as they are asked for: each a map of column to value (null, a
   * text String, a nested map or a list of repeated values). Fails with DATA_FILE_CORRUPT naming
   * the file and the line.
   */
  final class Rows implements AutoCloseable {
    private final InputStream in;
    private final XMLStreamReader reader;
    private final String shown;

    private Rows(InputStream in, XMLStreamReader reader, String shown) {
      this.in = in;
      this.reader = reader;
      this.shown = shown;
    }

    /** The next row, or null at the end of the file. */
    Map<String, Object> next() {
      try {
        return nextRow();
      } catch (XMLStreamException e) {
        throw corrupt(shown, e);
      }
    }

    private Map<String, Object> nextRow() throws XMLStreamException {
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
        if (event == XMLStreamConstants.START_ELEMENT
            && reader.getLocalName().equals(options.rowTag())) {
          Object row = element(reader);
          if (row instanceof Map<?, ?>) {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) row;
            return m;
          }
          Map<String, Object> columns = new LinkedHashMap<>();
          if (row != null) {
            columns.put(options.valueTag(), row);
          }
          return columns;
        }
      }
      return null;
    }

    @Override
    public void close() {
      try {
        reader.close();
      } catch (XMLStreamException ignored) {
        // the stream closes below
      }
      try {
        in.close();
      } catch (IOException ignored) {
        // nothing was written
      }
    }
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
  private Object element(XMLStreamReader reader) throws XMLStreamException {
    Map<String, Object> fields = new LinkedHashMap<>();
    for (int i = 0; !options.excludeAttribute() && i < reader.getAttributeCount(); i++) {
      String prefix = reader.getAttributePrefix(i);
      String name =
          options.ignoreNamespace() || prefix == null || prefix.isEmpty()
              ? reader.getAttributeLocalName(i)
              : prefix + ":" + reader.getAttributeLocalName(i);
      fields.put(options.attributePrefix() + name, reader.getAttributeValue(i));
    }
    boolean children = false;
    StringBuilder text = new StringBuilder();
    while (true) {
      int event = reader.next();
      if (event == XMLStreamConstants.START_ELEMENT) {
        children = true;
        String prefix = reader.getPrefix();
        String name =
            options.ignoreNamespace() || prefix == null || prefix.isEmpty()
                ? reader.getLocalName()
                : prefix + ":" + reader.getLocalName();
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
      fields.put(options.valueTag(), value);
    }
    return fields;
  }

  /** The values of an element repeated in its parent. */
  static final class Repeated extends ArrayList<Object> {
    private static final long serialVersionUID = 1L;
  }

  /** The columns of rows read so far ({@code t}) widened with one more row. */
  Type widen(Type t, Map<String, Object> row) {
    return merge(t, infer(row));
  }

  Type infer(Object value) {
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
  Type merge(Type a, Type b) {
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
      y.fields().forEach((k, v) -> fields.merge(k, v, this::merge));
      return new Struct(fields);
    }
    if (a instanceof Struct x) {
      return merge(x, new Struct(Map.of(options.valueTag(), b)));
    }
    if (b instanceof Struct y) {
      return merge(new Struct(Map.of(options.valueTag(), a)), y);
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
  Object json(Object value, Type type) {
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
        out.put(options.valueTag(), json(value, s.fields().get(options.valueTag())));
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

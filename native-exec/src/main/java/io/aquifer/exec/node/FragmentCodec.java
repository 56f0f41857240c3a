package io.aquifer.exec.node;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aquifer.exec.ExecErrorCode;
import io.aquifer.exec.ExecException;
import io.aquifer.exec.QueryFragment;
import io.aquifer.exec.WriteFragment;
import io.aquifer.storage.delta.FileStats;
import io.aquifer.storage.delta.NewDataFile;
import io.aquifer.storage.types.ArrayType;
import io.aquifer.storage.types.Column;
import io.aquifer.storage.types.DataType;
import io.aquifer.storage.types.DecimalType;
import io.aquifer.storage.types.MapType;
import io.aquifer.storage.types.PrimitiveType;
import io.aquifer.storage.types.StructType;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * JSON of what the gateway and a node exchange over Flight: {@link QueryFragment} (the ticket),
 * {@link WriteFragment} (the "write" action) and the {@link NewDataFile}s it returns.
 *
 * <p>Records map to objects by component name. A {@link DataType} is a primitive's name ({@code
 * "INT"}) or an object tagged by {@code "type"} ({@code decimal}, {@code array}, {@code map},
 * {@code struct}); statistics values carry their Java type as {@code [tag, text]} so that they come
 * back as the same class (Byte stays Byte, LocalDate stays LocalDate).
 */
public final class FragmentCodec {
  private final ObjectMapper mapper;

  public FragmentCodec() {
    SimpleModule module = new SimpleModule("aquifer-fragments");
    module.addSerializer(DataType.class, new DataTypeSerializer());
    module.addDeserializer(DataType.class, new DataTypeDeserializer());
    module.addSerializer(Column.class, new ColumnSerializer());
    module.addDeserializer(Column.class, new ColumnDeserializer());
    module.addSerializer(FileStats.class, new FileStatsSerializer());
    module.addDeserializer(FileStats.class, new FileStatsDeserializer());
    this.mapper =
        new ObjectMapper()
            .registerModule(module)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true);
  }

  public byte[] encode(QueryFragment fragment) {
    return write(fragment);
  }

  public byte[] encode(WriteFragment fragment) {
    return write(fragment);
  }

  public byte[] encodeFiles(List<NewDataFile> files) {
    return write(files);
  }

  /** What a query read through the node's disk cache, sent ahead of its first batch. */
  public byte[] encodeReads(io.aquifer.storage.cache.DiskCacheReads reads) {
    return write(reads);
  }

  public io.aquifer.storage.cache.DiskCacheReads decodeReads(byte[] json) {
    return read(json, new TypeReference<>() {}, "disk cache reads");
  }

  /** Data file paths (the "data-cache-holding" action's request and result). */
  public byte[] encodePaths(java.util.Collection<String> paths) {
    return write(List.copyOf(paths));
  }

  public List<String> decodePaths(byte[] json) {
    return read(json, new TypeReference<>() {}, "data file paths");
  }

  public QueryFragment decodeQuery(byte[] json) {
    return read(json, new TypeReference<>() {}, "query fragment");
  }

  public WriteFragment decodeWrite(byte[] json) {
    return read(json, new TypeReference<>() {}, "write fragment");
  }

  public List<NewDataFile> decodeFiles(byte[] json) {
    return read(json, new TypeReference<>() {}, "list of data files");
  }

  private byte[] write(Object value) {
    try {
      return mapper.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new ExecException(
          ExecErrorCode.INVALID_REQUEST, "Cannot encode " + value.getClass().getSimpleName(), e);
    }
  }

  private <T> T read(byte[] json, TypeReference<T> type, String what) {
    try {
      T value = mapper.readValue(json, type);
      if (value == null) {
        throw new ExecException(ExecErrorCode.INVALID_REQUEST, "Empty " + what);
      }
      return value;
    } catch (IOException | RuntimeException e) {
      if (e instanceof ExecException exec) {
        throw exec;
      }
      Throwable cause = e;
      while (cause.getCause() != null) {
        cause = cause.getCause();
      }
      throw new ExecException(
          ExecErrorCode.INVALID_REQUEST,
          "Invalid " + what + ": " + firstLine(cause.getMessage()),
          e);
    }
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "malformed JSON";
    }
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }

  // ---- DataType and Column

  static JsonNode typeToJson(DataType type) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (type instanceof PrimitiveType p) {
      return f.textNode(p.name());
    }
    ObjectNode node = f.objectNode();
    if (type instanceof DecimalType d) {
      node.put("type", "decimal").put("precision", d.precision()).put("scale", d.scale());
    } else if (type instanceof ArrayType a) {
      node.put("type", "array");
      node.set("elementType", typeToJson(a.elementType()));
      node.put("containsNull", a.containsNull());
    } else if (type instanceof MapType m) {
      node.put("type", "map");
      node.set("keyType", typeToJson(m.keyType()));
      node.set("valueType", typeToJson(m.valueType()));
      node.put("valueContainsNull", m.valueContainsNull());
    } else if (type instanceof StructType s) {
      node.put("type", "struct");
      ArrayNode fields = node.putArray("fields");
      s.fields().forEach(c -> fields.add(columnToJson(c)));
    }
    return node;
  }

  static DataType typeFromJson(JsonNode node) {
    if (node == null || node.isNull()) {
      throw new IllegalArgumentException("missing type");
    }
    if (node.isTextual()) {
      return PrimitiveType.valueOf(node.asText());
    }
    String tag = required(node, "type").asText();
    return switch (tag) {
      case "decimal" ->
          new DecimalType(required(node, "precision").asInt(), required(node, "scale").asInt());
      case "array" ->
          new ArrayType(
              typeFromJson(node.get("elementType")), node.path("containsNull").asBoolean(true));
      case "map" ->
          new MapType(
              typeFromJson(node.get("keyType")),
              typeFromJson(node.get("valueType")),
              node.path("valueContainsNull").asBoolean(true));
      case "struct" -> {
        List<Column> fields = new ArrayList<>();
        required(node, "fields").forEach(f -> fields.add(columnFromJson(f)));
        yield new StructType(fields);
      }
      default -> throw new IllegalArgumentException("unknown type " + tag);
    };
  }

  static ObjectNode columnToJson(Column c) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("name", c.name());
    node.set("type", typeToJson(c.type()));
    node.put("nullable", c.nullable());
    node.put("physicalName", c.physicalName());
    c.comment().ifPresent(comment -> node.put("comment", comment));
    return node;
  }

  static Column columnFromJson(JsonNode node) {
    String name = required(node, "name").asText();
    return new Column(
        name,
        typeFromJson(node.get("type")),
        node.path("nullable").asBoolean(true),
        node.hasNonNull("physicalName") ? node.get("physicalName").asText() : name,
        node.hasNonNull("comment") ? Optional.of(node.get("comment").asText()) : Optional.empty());
  }

  private static JsonNode required(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw new IllegalArgumentException("missing " + field);
    }
    return value;
  }

  private static final class DataTypeSerializer extends JsonSerializer<DataType> {
    @Override
    public void serialize(DataType value, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      gen.writeTree(typeToJson(value));
    }
  }

  private static final class DataTypeDeserializer extends JsonDeserializer<DataType> {
    @Override
    public DataType deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      return typeFromJson(p.readValueAsTree());
    }
  }

  private static final class ColumnSerializer extends JsonSerializer<Column> {
    @Override
    public void serialize(Column value, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      gen.writeTree(columnToJson(value));
    }
  }

  private static final class ColumnDeserializer extends JsonDeserializer<Column> {
    @Override
    public Column deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      return columnFromJson(p.readValueAsTree());
    }
  }

  // ---- FileStats

  private static final class FileStatsSerializer extends JsonSerializer<FileStats> {
    @Override
    public void serialize(FileStats stats, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      ObjectNode node = JsonNodeFactory.instance.objectNode();
      node.put("numRecords", stats.numRecords());
      node.set("minValues", typedValues(stats.minValues()));
      node.set("maxValues", typedValues(stats.maxValues()));
      ObjectNode nulls = node.putObject("nullCounts");
      stats.nullCounts().forEach(nulls::put);
      gen.writeTree(node);
    }

    private static ObjectNode typedValues(Map<String, Object> values) {
      ObjectNode node = JsonNodeFactory.instance.objectNode();
      values.forEach(
          (column, value) -> node.putArray(column).add(tag(value)).add(value.toString()));
      return node;
    }

    private static String tag(Object value) {
      if (value instanceof Boolean) {
        return "boolean";
      } else if (value instanceof Byte) {
        return "byte";
      } else if (value instanceof Short) {
        return "short";
      } else if (value instanceof Integer) {
        return "int";
      } else if (value instanceof Long) {
        return "long";
      } else if (value instanceof Float) {
        return "float";
      } else if (value instanceof Double) {
        return "double";
      } else if (value instanceof BigDecimal) {
        return "decimal";
      } else if (value instanceof String) {
        return "string";
      } else if (value instanceof LocalDate) {
        return "date";
      } else if (value instanceof Instant) {
        return "timestamp";
      } else if (value instanceof LocalDateTime) {
        return "timestamp_ntz";
      }
      throw new IllegalArgumentException("unsupported statistics value " + value.getClass());
    }
  }

  private static final class FileStatsDeserializer extends JsonDeserializer<FileStats> {
    @Override
    public FileStats deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      JsonNode node = p.readValueAsTree();
      Map<String, Long> nulls = new HashMap<>();
      node.path("nullCounts")
          .properties()
          .forEach(e -> nulls.put(e.getKey(), e.getValue().asLong()));
      return new FileStats(
          required(node, "numRecords").asLong(),
          typedValues(node.path("minValues")),
          typedValues(node.path("maxValues")),
          nulls);
    }

    private static Map<String, Object> typedValues(JsonNode node) {
      Map<String, Object> values = new HashMap<>();
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        String text = e.getValue().get(1).asText();
        Object value =
            switch (e.getValue().get(0).asText()) {
              case "boolean" -> Boolean.valueOf(text);
              case "byte" -> Byte.valueOf(text);
              case "short" -> Short.valueOf(text);
              case "int" -> Integer.valueOf(text);
              case "long" -> Long.valueOf(text);
              case "float" -> Float.valueOf(text);
              case "double" -> Double.valueOf(text);
              case "decimal" -> new BigDecimal(text);
              case "string" -> text;
              case "date" -> LocalDate.parse(text);
              case "timestamp" -> Instant.parse(text);
              case "timestamp_ntz" -> LocalDateTime.parse(text);
              default ->
                  throw new IllegalArgumentException("unknown statistics type " + e.getValue());
            };
        values.put(e.getKey(), value);
      }
      return values;
    }
  }
}

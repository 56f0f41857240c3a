package io.aquifer.planner.functions;

import java.util.List;
import org.apache.calcite.rel.type.RelDataType;

/**
 * The engine SQL of Spark's {@code xxhash64(expr1, expr2, ...)}: starting from the seed 42, each
 * argument is hashed with the hash of the ones before it as seed, by the warehouse node's {@code
 * __aquifer_xxhash64_<kind>(value, seed)} functions (Java, in the engine), so every value is hashed
 * exactly as Spark hashes its type. An array hashes its elements in order (a NULL element, like a
 * NULL argument, leaves the hash as it is).
 */
final class XxHash64Translation {
  static final String SEED = "CAST(42 AS BIGINT)";

  private XxHash64Translation() {}

  /** The template for arguments of these types ({@code $1} ... {@code $9}). */
  static String template(List<RelDataType> types) {
    if (types.size() > 9) {
      throw new UnsupportedOperationException("xxhash64 takes at most 9 arguments on Aquifer");
    }
    String hash = SEED;
    for (int i = 0; i < types.size(); i++) {
      hash = hashOf("$" + (i + 1), types.get(i), hash, 0);
    }
    return hash;
  }

  private static String hashOf(String value, RelDataType type, String seed, int depth) {
    return switch (type.getSqlTypeName()) {
      case NULL -> seed;
      case BOOLEAN, TINYINT, SMALLINT, INTEGER ->
          call("int", "CAST(" + value + " AS INTEGER)", seed);
      case DATE -> call("int", "CAST(" + value + " - DATE '1970-01-01' AS INTEGER)", seed);
      case BIGINT -> call("long", value, seed);
      case TIMESTAMP, TIMESTAMP_WITH_LOCAL_TIME_ZONE, TIMESTAMP_TZ ->
          call("long", "epoch_us(" + value + ")", seed);
      case REAL, FLOAT -> call("float", "CAST(" + value + " AS FLOAT)", seed);
      case DOUBLE -> call("double", value, seed);
      case DECIMAL ->
          call(
              type.getPrecision() <= 18 ? "decimal" : "wide_decimal",
              "CAST(" + value + " AS VARCHAR)",
              seed);
      case CHAR, VARCHAR -> call("string", value, seed);
      case BINARY, VARBINARY -> call("hex", "hex(" + value + ")", seed);
      case ARRAY -> {
        String acc = "__aquifer_xh" + depth;
        String element = "__aquifer_xe" + depth;
        yield "list_reduce(coalesce("
            + value
            + ", []), lambda "
            + acc
            + ", "
            + element
            + ": "
            + hashOf(element, type.getComponentType(), acc, depth + 1)
            + ", "
            + seed
            + ")";
      }
      default ->
          throw new UnsupportedOperationException(
              "xxhash64 of " + type.getSqlTypeName() + " values is not supported yet");
    };
  }

  private static String call(String kind, String value, String seed) {
    return "__aquifer_xxhash64_" + kind + "(" + value + ", " + seed + ")";
  }
}

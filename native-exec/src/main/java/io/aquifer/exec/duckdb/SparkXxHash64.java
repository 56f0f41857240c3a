package io.aquifer.exec.duckdb;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * XXH64 (Yann Collet's 64-bit xxHash) as Spark's {@code xxhash64} applies it to one value with the
 * hash of the values before it as seed: integers of up to 32 bits (and dates, booleans) as 4
 * little-endian bytes, BIGINT and timestamps as 8, floating point numbers by their IEEE bits (-0.0
 * as 0.0), decimals of precision 18 or less by their unscaled BIGINT and wider ones by the bytes of
 * their unscaled two's complement, strings by their UTF-8 bytes. A NULL value leaves the seed as it
 * is.
 */
final class SparkXxHash64 {
  private static final long PRIME1 = 0x9E3779B185EBCA87L;
  private static final long PRIME2 = 0xC2B2AE3D27D4EB4FL;
  private static final long PRIME3 = 0x165667B19E3779F9L;
  private static final long PRIME4 = 0x85EBCA77C2B2AE63L;
  private static final long PRIME5 = 0x27D4EB2F165667C5L;

  private SparkXxHash64() {}

  static Long ofInt(Integer value, Long seed) {
    return value == null ? seed : hashInt(value, seed);
  }

  static Long ofLong(Long value, Long seed) {
    return value == null ? seed : hashLong(value, seed);
  }

  static Long ofFloat(Float value, Long seed) {
    return value == null
        ? seed
        : hashInt(Float.floatToIntBits(value == -0.0f ? 0.0f : value), seed);
  }

  static Long ofDouble(Double value, Long seed) {
    return value == null
        ? seed
        : hashLong(Double.doubleToLongBits(value == -0.0d ? 0.0d : value), seed);
  }

  static Long ofString(String value, Long seed) {
    return value == null ? seed : hashBytes(value.getBytes(StandardCharsets.UTF_8), seed);
  }

  /** Binary values arrive as hex text: the Java UDF interface passes no BLOBs. */
  static Long ofHex(String hex, Long seed) {
    return hex == null ? seed : hashBytes(HexFormat.of().parseHex(hex), seed);
  }

  /** A decimal of precision 18 or less, as its text with its full scale. */
  static Long ofNarrowDecimal(String text, Long seed) {
    return text == null
        ? seed
        : hashLong(new BigDecimal(text).unscaledValue().longValueExact(), seed);
  }

  /** A decimal of precision above 18, as its text with its full scale. */
  static Long ofWideDecimal(String text, Long seed) {
    return text == null
        ? seed
        : hashBytes(new BigDecimal(text).unscaledValue().toByteArray(), seed);
  }

  static long hashInt(int value, long seed) {
    long hash = seed + PRIME5 + 4L;
    hash ^= (value & 0xFFFFFFFFL) * PRIME1;
    hash = Long.rotateLeft(hash, 23) * PRIME2 + PRIME3;
    return avalanche(hash);
  }

  static long hashLong(long value, long seed) {
    long hash = seed + PRIME5 + 8L;
    hash ^= round(0, value);
    hash = Long.rotateLeft(hash, 27) * PRIME1 + PRIME4;
    return avalanche(hash);
  }

  static long hashBytes(byte[] bytes, long seed) {
    int length = bytes.length;
    int offset = 0;
    long hash;
    if (length >= 32) {
      long v1 = seed + PRIME1 + PRIME2;
      long v2 = seed + PRIME2;
      long v3 = seed;
      long v4 = seed - PRIME1;
      for (; offset + 32 <= length; offset += 32) {
        v1 = round(v1, longAt(bytes, offset));
        v2 = round(v2, longAt(bytes, offset + 8));
        v3 = round(v3, longAt(bytes, offset + 16));
        v4 = round(v4, longAt(bytes, offset + 24));
      }
      hash =
          Long.rotateLeft(v1, 1)
              + Long.rotateLeft(v2, 7)
              + Long.rotateLeft(v3, 12)
              + Long.rotateLeft(v4, 18);
      hash = mergeRound(hash, v1);
      hash = mergeRound(hash, v2);
      hash = mergeRound(hash, v3);
      hash = mergeRound(hash, v4);
    } else {
      hash = seed + PRIME5;
    }
    hash += length;
    for (; offset + 8 <= length; offset += 8) {
      hash ^= round(0, longAt(bytes, offset));
      hash = Long.rotateLeft(hash, 27) * PRIME1 + PRIME4;
    }
    if (offset + 4 <= length) {
      hash ^= (intAt(bytes, offset) & 0xFFFFFFFFL) * PRIME1;
      hash = Long.rotateLeft(hash, 23) * PRIME2 + PRIME3;
      offset += 4;
    }
    for (; offset < length; offset++) {
      hash ^= (bytes[offset] & 0xFFL) * PRIME5;
      hash = Long.rotateLeft(hash, 11) * PRIME1;
    }
    return avalanche(hash);
  }

  private static long round(long accumulator, long input) {
    return Long.rotateLeft(accumulator + input * PRIME2, 31) * PRIME1;
  }

  private static long mergeRound(long hash, long value) {
    return (hash ^ round(0, value)) * PRIME1 + PRIME4;
  }

  private static long avalanche(long hash) {
    hash ^= hash >>> 33;
    hash *= PRIME2;
    hash ^= hash >>> 29;
    hash *= PRIME3;
    hash ^= hash >>> 32;
    return hash;
  }

  private static long longAt(byte[] b, int i) {
    return (intAt(b, i) & 0xFFFFFFFFL) | ((long) intAt(b, i + 4) << 32);
  }

  private static int intAt(byte[] b, int i) {
    return (b[i] & 0xFF)
        | (b[i + 1] & 0xFF) << 8
        | (b[i + 2] & 0xFF) << 16
        | (b[i + 3] & 0xFF) << 24;
  }
}

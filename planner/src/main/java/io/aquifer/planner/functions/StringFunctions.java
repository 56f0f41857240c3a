package io.aquifer.planner.functions;

import static io.aquifer.planner.functions.ArgKind.ANY;
import static io.aquifer.planner.functions.ArgKind.INTEGER;
import static io.aquifer.planner.functions.ArgKind.STRING_OR_BINARY;
import static io.aquifer.planner.functions.DatabricksFunctionCatalog.argIsBinary;
import static io.aquifer.planner.functions.DatabricksFunctionCatalog.argIsNumber;
import static io.aquifer.planner.functions.FunctionCategory.HASH;
import static io.aquifer.planner.functions.FunctionCategory.JSON;
import static io.aquifer.planner.functions.FunctionCategory.STRING;
import static io.aquifer.planner.functions.FunctionCategory.URL;

import java.util.List;
import org.apache.calcite.sql.type.SqlTypeUtil;

/**
 * String, regular expression, encoding, hashing, JSON and URL functions. Regular expressions are
 * Java's in Databricks and RE2's in DuckDB; the common syntax is the same.
 */
final class StringFunctions {
  private StringFunctions() {}

  static void define(DatabricksFunctionCatalog d) {
    d.scalar(
            "concat",
            STRING,
            "concat(expr1, expr2, ...)",
            "The arguments as text, joined; NULL if any is NULL.")
        .args(ArgKind.STRING)
        .variadic()
        .optionalFrom(0)
        .returns(Returns.STRING)
        .duckdb("($|)")
        .duckdb(0, "''");
    d.scalar(
            "concat_ws",
            STRING,
            "concat_ws(sep, expr1, ...)",
            "The non-NULL arguments as text, joined by sep.")
        .args(ArgKind.STRING, ArgKind.STRING)
        .variadic()
        .optionalFrom(1)
        .returns(Returns.STRING)
        .duckdb("concat_ws($*)");
    String parts = "regexp_split_to_array($1, $2)";
    d.scalar(
            "split",
            STRING,
            "split(str, regex [, limit])",
            "The parts of str between matches of the regular expression; with a positive limit,"
                + " at most limit parts, the last holding the rest of str.")
        .args(ArgKind.STRING, ArgKind.STRING, INTEGER)
        .optionalFrom(2)
        .returns(Returns.STRING_ARRAY)
        .duckdb(2, parts)
        .duckdb(
            3,
            "CASE WHEN $3 <= 0 OR len("
                + parts
                + ") <= $3 THEN "
                + parts
                + " ELSE list_append(list_slice("
                + parts
                + ", 1, $3 - 1),"
                + " regexp_extract($1, '(?s)^(?:.*?(?:' || $2 || ')){' || CAST($3 - 1 AS VARCHAR)"
                + " || '}(.*)$', 1)) END");
    d.scalar(
            "split_part",
            STRING,
            "split_part(str, delim, partNum)",
            "The partNum-th part of str split at delim, counted from the end when negative.")
        .args(ArgKind.STRING, ArgKind.STRING, INTEGER)
        .returns(Returns.STRING)
        .duckdb("coalesce(string_split($1, $2)[$3], '')");
    d.scalar(
            "regexp_extract",
            STRING,
            "regexp_extract(str, regex [, idx])",
            "The idx-th group (default 1) of the first match, or '' when nothing matches.")
        .args(ArgKind.STRING, ArgKind.STRING, INTEGER)
        .optionalFrom(2)
        .returns(Returns.STRING)
        .duckdb(2, "regexp_extract($1, $2, 1)")
        .duckdb(3, "regexp_extract($1, $2, $3)");
    d.scalar(
            "regexp_extract_all",
            STRING,
            "regexp_extract_all(str, regex [, idx])",
            "The idx-th group (default 1) of every match.")
        .args(ArgKind.STRING, ArgKind.STRING, INTEGER)
        .optionalFrom(2)
        .returns(Returns.STRING_ARRAY)
        .duckdb(2, "regexp_extract_all($1, $2, 1)")
        .duckdb(3, "regexp_extract_all($1, $2, $3)");
    d.scalar(
            "regexp_substr",
            STRING,
            "regexp_substr(str, regex)",
            "The first match of the regular expression, or NULL.")
        .args(ArgKind.STRING, ArgKind.STRING)
        .returns(Returns.STRING)
        .nullable()
        .duckdb("CASE WHEN regexp_matches($1, $2) THEN regexp_extract($1, $2, 0) END");
    d.scalar(
            "regexp_count",
            STRING,
            "regexp_count(str, regex)",
            "The number of matches of the regular expression.")
        .args(ArgKind.STRING, ArgKind.STRING)
        .returns(Returns.INT)
        .duckdb("CAST(len(regexp_extract_all($1, $2, 0)) AS INTEGER)");
    d.scalar(
            "regexp_replace",
            STRING,
            "regexp_replace(str, regex, rep)",
            "str with every match of the regular expression replaced by rep.")
        .args(ArgKind.STRING, ArgKind.STRING, ArgKind.STRING)
        .returns(Returns.STRING)
        .duckdb("regexp_replace($1, $2, $3, 'g')");
    d.scalar(
            "regexp_like",
            STRING,
            "regexp_like(str, regex)",
            "Whether the regular expression matches somewhere in str.")
        .args(ArgKind.STRING, ArgKind.STRING)
        .returns(Returns.BOOLEAN)
        .duckdb("regexp_matches($1, $2)");
    d.alias("rlike", "regexp_like");
    d.alias("regexp", "regexp_like");
    d.scalar(
            "ilike",
            STRING,
            "ilike(str, pattern [, escape])",
            "LIKE, ignoring case; backslash escapes by default.")
        .args(ArgKind.STRING, ArgKind.STRING, ArgKind.STRING)
        .optionalFrom(2)
        .returns(Returns.BOOLEAN)
        .duckdb(2, "($1 ILIKE $2 ESCAPE '\\')")
        .duckdb(3, "($1 ILIKE $2 ESCAPE $3)");
    d.scalar(
            "quote",
            STRING,
            "quote(str)",
            "str in single quotes, its quotes and backslashes escaped with a backslash.")
        .args(ArgKind.STRING)
        .returns(Returns.STRING)
        .duckdb(
            "('''' || replace(replace(CAST($1 AS VARCHAR), '\\', '\\\\'), '''', '\\''') || '''')");
    for (String side : new String[] {"left", "right"}) {
      d.scalar(
              side,
              STRING,
              side + "(str, len)",
              "The "
                  + (side.equals("left") ? "first" : "last")
                  + " len characters (bytes of a binary); empty when len is 0 or less.")
          .args(STRING_OR_BINARY, INTEGER)
          .returns(
              b ->
                  SqlTypeUtil.isBinary(b.getOperandType(0))
                      ? Returns.BINARY.inferReturnType(b)
                      : Returns.STRING.inferReturnType(b))
          // A binary is cut in hexadecimal: two digits a byte.
          .duckdbWhen(
              argIsBinary(0),
              "unhex(CASE WHEN $2 <= 0 THEN '' ELSE "
                  + side
                  + "(hex($1), 2 * CAST($2 AS BIGINT)) END)")
          .duckdb("CASE WHEN $2 <= 0 THEN '' ELSE " + side + "(CAST($1 AS VARCHAR), $2) END");
    }
    for (String side : new String[] {"lpad", "rpad"}) {
      d.scalar(
              side,
              STRING,
              side + "(str, len [, pad])",
              "str padded on the "
                  + (side.equals("lpad") ? "left" : "right")
                  + " with pad (default a space, or a zero byte for a binary) to len characters"
                  + " (bytes), or cut to len.")
          .args(ArgKind.STRING, INTEGER, ArgKind.STRING)
          .optionalFrom(2)
          .returns(
              b ->
                  SqlTypeUtil.isBinary(b.getOperandType(0))
                      ? Returns.BINARY.inferReturnType(b)
                      : Returns.STRING.inferReturnType(b))
          // A binary is padded in hexadecimal: two digits a byte.
          .duckdbWhen(
              types -> types.size() == 2 && SqlTypeUtil.isBinary(types.get(0)),
              "unhex(" + side + "(hex($1), 2 * CAST($2 AS INTEGER), '00'))")
          .duckdbWhen(
              types -> types.size() == 3 && SqlTypeUtil.isBinary(types.get(0)),
              "unhex(" + side + "(hex($1), 2 * CAST($2 AS INTEGER), hex($3)))")
          .duckdb(2, side + "(CAST($1 AS VARCHAR), CAST($2 AS INTEGER), ' ')")
          .duckdb(3, side + "(CAST($1 AS VARCHAR), CAST($2 AS INTEGER), $3)");
    }
    d.scalar(
            "locate",
            STRING,
            "locate(substr, str [, pos])",
            "The 1-based position of the first substr in str at or after pos, or 0.")
        .args(ArgKind.STRING, ArgKind.STRING, INTEGER)
        .optionalFrom(2)
        .returns(Returns.INT)
        .duckdb(2, "CAST(instr($2, $1) AS INTEGER)")
        .duckdb(
            3,
            "CAST(CASE WHEN $3 < 1 THEN 0 WHEN instr(substr($2, $3), $1) = 0 THEN 0"
                + " ELSE instr(substr($2, $3), $1) + $3 - 1 END AS INTEGER)");
    d.alias("position", "locate");
    d.scalar("instr", STRING, "instr(str, substr)", "The 1-based position of substr in str, or 0.")
        .args(ArgKind.STRING, ArgKind.STRING)
        .returns(Returns.INT)
        .duckdb("CAST(instr($1, $2) AS INTEGER)");
    for (String name : new String[] {"length", "char_length", "character_length", "len"}) {
      d.scalar(
              name,
              STRING,
              name + "(expr)",
              "The number of characters of a string, or bytes of a binary.")
          .args(STRING_OR_BINARY)
          .returns(Returns.INT)
          .duckdbWhen(argIsBinary(0), "CAST(octet_length($1) AS INTEGER)")
          .duckdb("CAST(length(CAST($1 AS VARCHAR)) AS INTEGER)");
    }
    d.scalar(
            "bit_length", STRING, "bit_length(expr)", "The number of bits of the string or binary.")
        .args(STRING_OR_BINARY)
        .returns(Returns.INT)
        .duckdbWhen(argIsBinary(0), "CAST(octet_length($1) * 8 AS INTEGER)")
        .duckdb("CAST(bit_length(CAST($1 AS VARCHAR)) AS INTEGER)");
    d.scalar(
            "octet_length",
            STRING,
            "octet_length(expr)",
            "The number of bytes of the string or binary.")
        .args(STRING_OR_BINARY)
        .returns(Returns.INT)
        .duckdbWhen(argIsBinary(0), "CAST(octet_length($1) AS INTEGER)")
        .duckdb("CAST(octet_length(encode(CAST($1 AS VARCHAR))) AS INTEGER)");
    d.scalar(
            "initcap",
            STRING,
            "initcap(str)",
            "str in lower case with the first letter of each space-separated word in upper case.")
        .args(ArgKind.STRING)
        .returns(Returns.STRING)
        .duckdb(
            "array_to_string(list_transform(string_split(lower($1), ' '), lambda __aquifer_w:"
                + " upper(substr(__aquifer_w, 1, 1)) || substr(__aquifer_w, 2)), ' ')");
    d.scalar("ucase", STRING, "ucase(str)", "str in upper case.")
        .args(ArgKind.STRING)
        .returns(Returns.STRING)
        .duckdb("upper($1)");
    d.scalar("lcase", STRING, "lcase(str)", "str in lower case.")
        .args(ArgKind.STRING)
        .returns(Returns.STRING)
        .duckdb("lower($1)");
    for (String trim : new String[] {"btrim", "ltrim", "rtrim"}) {
      String duck = trim.equals("btrim") ? "trim" : trim;
      d.scalar(
              trim,
              STRING,
              trim + "(str [, trimStr])",
              "str without the characters of trimStr (default space) at its "
                  + (trim.equals("btrim") ? "ends" : trim.equals("ltrim") ? "start" : "end")
                  + ".")
          .args(ArgKind.STRING, ArgKind.STRING)
          .optionalFrom(1)
          .returns(Returns.STRING)
          .duckdb(1, duck + "(CAST($1 AS VARCHAR))")
          .duckdb(2, duck + "(CAST($1 AS VARCHAR), CAST($2 AS VARCHAR))");
    }
    d.scalar("contains", STRING, "contains(left, right)", "Whether right occurs in left.")
        .args(ArgKind.STRING, ArgKind.STRING)
        .returns(Returns.BOOLEAN)
        .duckdb("contains(CAST($1 AS VARCHAR), CAST($2 AS VARCHAR))");
    d.scalar("startswith", STRING, "startswith(left, right)", "Whether left starts with right.")
        .args(ArgKind.STRING, ArgKind.STRING)
        .returns(Returns.BOOLEAN)
        .duckdb("starts_with(CAST($1 AS VARCHAR), CAST($2 AS VARCHAR))");
    d.scalar("endswith", STRING, "endswith(left, right)", "Whether left ends with right.")
        .args(ArgKind.STRING, ArgKind.STRING)
        .returns(Returns.BOOLEAN)
        .duckdb("ends_with(CAST($1 AS VARCHAR), CAST($2 AS VARCHAR))");
    d.scalar(
            "substring_index",
            STRING,
            "substring_index(str, delim, count)",
            "str before the count-th delim (after the count-th from the end when negative).")
        .args(ArgKind.STRING, ArgKind.STRING, INTEGER)
        .returns(Returns.STRING)
        .duckdb(
            "CASE WHEN $3 > 0 THEN array_to_string(list_slice(string_split($1, $2), 1, $3), $2)"
                + " WHEN $3 < 0 THEN array_to_string(list_slice(string_split($1, $2), $3, -1), $2)"
                + " ELSE '' END");
    d.scalar(
            "translate", STRING, "translate(str, from, to)", "str with from's characters replaced.")
        .args(ArgKind.STRING, ArgKind.STRING, ArgKind.STRING)
        .returns(Returns.STRING)
        .duckdb("translate($1, $2, $3)");
    d.scalar(
            "replace",
            STRING,
            "replace(str, search [, replace])",
            "str with every search replaced (by '' if not given).")
        .args(ArgKind.STRING, ArgKind.STRING, ArgKind.STRING)
        .optionalFrom(2)
        .returns(Returns.STRING)
        .duckdb(2, "replace($1, $2, '')")
        .duckdb(3, "replace($1, $2, $3)");
    d.scalar(
            "format_string",
            STRING,
            "format_string(fmt, expr, ...)",
            "The printf-style format with the arguments in place.")
        .args(ArgKind.STRING, ANY)
        .variadic()
        .optionalFrom(1)
        .returns(Returns.STRING)
        .duckdb("printf($*)");
    d.alias("printf", "format_string");
    d.scalar("space", STRING, "space(n)", "A string of n spaces.")
        .args(INTEGER)
        .returns(Returns.STRING)
        .duckdb("repeat(' ', CAST($1 AS INTEGER))");
    d.scalar("chr", STRING, "chr(expr)", "The character of the code point expr modulo 256.")
        .args(INTEGER)
        .returns(Returns.STRING)
        .duckdb("CASE WHEN $1 < 0 THEN '' ELSE chr(CAST($1 % 256 AS INTEGER)) END");
    d.alias("char", "chr");
    d.scalar("ascii", STRING, "ascii(str)", "The code point of the first character of str.")
        .args(ArgKind.STRING)
        .returns(Returns.INT)
        .duckdb("CAST(ascii($1) AS INTEGER)");
    d.scalar(
            "levenshtein",
            STRING,
            "levenshtein(str1, str2 [, threshold])",
            "The Levenshtein distance, or -1 when it exceeds threshold.")
        .args(ArgKind.STRING, ArgKind.STRING, INTEGER)
        .optionalFrom(2)
        .returns(Returns.INT)
        .duckdb(2, "CAST(levenshtein($1, $2) AS INTEGER)")
        .duckdb(
            3,
            "CAST(CASE WHEN levenshtein($1, $2) > $3 THEN -1 ELSE levenshtein($1, $2) END AS"
                + " INTEGER)");
    d.scalar("base64", STRING, "base64(bin)", "The binary (or string's UTF-8 bytes) in base64.")
        .args(STRING_OR_BINARY)
        .returns(Returns.STRING)
        .duckdbWhen(argIsBinary(0), "to_base64($1)")
        .duckdb("to_base64(encode(CAST($1 AS VARCHAR)))");
    d.scalar("unbase64", STRING, "unbase64(str)", "The bytes of the base64 text.")
        .args(ArgKind.STRING)
        .returns(Returns.BINARY)
        .duckdb("from_base64($1)");
    d.scalar("hex", STRING, "hex(expr)", "A number, string or binary in upper-case hexadecimal.")
        .args(ANY)
        .returns(Returns.STRING)
        .duckdbWhen(argIsNumber(0), "upper(to_hex(CAST($1 AS BIGINT)))")
        .duckdbWhen(argIsBinary(0), "hex($1)")
        .duckdb("hex(CAST($1 AS VARCHAR))");
    d.scalar(
            "unhex",
            STRING,
            "unhex(str)",
            "The bytes of the hexadecimal text; NULL if it is not hex.")
        .args(ArgKind.STRING)
        .returns(Returns.BINARY)
        .nullable()
        .duckdb(
            // The check inside: DuckDB folds a constant THEN branch even when WHEN is false.
            "unhex(CASE WHEN regexp_full_match(CAST($1 AS VARCHAR), '[0-9A-Fa-f]*') THEN CAST($1 AS"
                + " VARCHAR) END)");
    d.scalar("encode", STRING, "encode(str, charset)", "The string's bytes (UTF-8).")
        .args(ArgKind.STRING, ArgKind.STRING_LITERAL)
        .returns(Returns.BINARY)
        .duckdb("encode(CAST($1 AS VARCHAR))");
    d.scalar(
            "decode",
            FunctionCategory.CONDITIONAL,
            "decode(bin, charset) | decode(expr, search, result [, search, result]... [, default])",
            "Bytes read as UTF-8 text; or the result of the first search equal to expr (NULL"
                + " equals NULL), else default or NULL.")
        .args(ANY, ANY)
        .variadic()
        .returns(
            b ->
                b.getOperandCount() == 2
                    ? Returns.STRING.inferReturnType(b)
                    : Returns.common(2).inferReturnType(b))
        .nullable()
        .duckdbWhen(types -> types.size() == 2, "decode(CAST($1 AS BLOB))")
        .duckdbCode(StringFunctions::decodeCase);
    d.scalar("uuid", STRING, "uuid()", "A random universally unique identifier (UUID) as text.")
        .returns(Returns.STRING)
        .dynamic()
        .duckdb("CAST(uuid() AS VARCHAR)");
    d.scalar("md5", HASH, "md5(expr)", "The MD5 digest of the string or binary, in hex.")
        .args(STRING_OR_BINARY)
        .returns(Returns.STRING)
        .duckdbWhen(argIsBinary(0), "md5($1)")
        .duckdb("md5(CAST($1 AS VARCHAR))");
    d.scalar("sha1", HASH, "sha1(expr)", "The SHA-1 digest of the string or binary, in hex.")
        .args(STRING_OR_BINARY)
        .returns(Returns.STRING)
        .duckdbWhen(argIsBinary(0), "sha1($1)")
        .duckdb("sha1(CAST($1 AS VARCHAR))");
    d.alias("sha", "sha1");
    // DuckDB has no CRC-32: the bitwise algorithm (reflected polynomial 0xEDB88320) over the
    // bytes, read from their hex digits, as nested list reductions.
    String hex = "hex($1)";
    String digit = "(strpos('0123456789ABCDEF', substr(" + hex + ", %s, 1)) - 1)";
    String bytes =
        "list_transform(range(length("
            + hex
            + ") // 2), lambda __aquifer_i: "
            + String.format(digit, "2 * __aquifer_i + 1")
            + " * 16 + "
            + String.format(digit, "2 * __aquifer_i + 2")
            + ")";
    d.scalar("crc32", HASH, "crc32(expr)", "The CRC-32 checksum of the string or binary.")
        .args(STRING_OR_BINARY)
        .returns(Returns.BIGINT)
        .duckdb(
            "xor(list_reduce("
                + bytes
                + ", lambda __aquifer_crc, __aquifer_b: list_reduce(range(8), lambda __aquifer_c,"
                + " __aquifer_k: xor(__aquifer_c >> 1, 3988292384 & -(__aquifer_c & 1)),"
                + " xor(__aquifer_crc, __aquifer_b)), CAST(4294967295 AS BIGINT)),"
                + " CAST(4294967295 AS BIGINT))");
    d.scalar(
            "xxhash64",
            HASH,
            "xxhash64(expr1, expr2, ...)",
            "A 64-bit xxHash of the arguments with seed 42, the value Spark computes.")
        .args(ANY)
        .variadic()
        .returns(Returns.BIGINT)
        .duckdbTyped(XxHash64Translation::template);
    d.scalar(
            "sha2",
            HASH,
            "sha2(expr, bitLength)",
            "The SHA-2 digest in hex for bitLength 0 or 256 (other lengths give NULL on Aquifer).")
        .args(STRING_OR_BINARY, INTEGER)
        .returns(Returns.STRING)
        .nullable()
        .duckdbWhen(argIsBinary(0), "CASE WHEN $2 IN (0, 256) THEN sha256($1) END")
        .duckdb("CASE WHEN $2 IN (0, 256) THEN sha256(CAST($1 AS VARCHAR)) END");
    d.scalar(
            "get_json_object",
            JSON,
            "get_json_object(json, path)",
            "The value at the JSON path ($.a.b[0]) as text, or NULL.")
        .args(ArgKind.STRING, ArgKind.STRING)
        .returns(Returns.STRING)
        .nullable()
        // A path with [*] gives the JSON array of the matches (NULL for none), as Spark does;
        // DuckDB would give a list. Both branches are VARCHAR whatever the path.
        .duckdb(
            "CASE WHEN strpos($2, '[*]') > 0 THEN nullif(CAST(to_json(json_extract(CAST($1 AS"
                + " VARCHAR), $2)) AS VARCHAR), '[]') ELSE CAST(json_extract_string(CAST($1 AS"
                + " VARCHAR), $2) AS VARCHAR) END");
    d.scalar(
            "json_array_length",
            JSON,
            "json_array_length(json)",
            "The number of elements of the JSON array, or NULL.")
        .args(ArgKind.STRING)
        .returns(Returns.INT)
        .nullable()
        .duckdb("CAST(json_array_length(CAST($1 AS VARCHAR)) AS INTEGER)");
    d.scalar("to_json", JSON, "to_json(expr)", "The struct, array or map as JSON text.")
        .args(ANY)
        .returns(Returns.STRING)
        .duckdbTyped(StringFunctions::toJson);
    d.scalar(
            "parse_url",
            URL,
            "parse_url(url, partToExtract [, key])",
            "The part of the URL (HOST, PATH, QUERY, REF, PROTOCOL, FILE, AUTHORITY, USERINFO),"
                + " or the value of the query parameter key; NULL when absent.")
        .args(ArgKind.STRING, ArgKind.STRING_LITERAL, ArgKind.STRING)
        .optionalFrom(2)
        .returns(Returns.STRING)
        .nullable()
        .duckdbCode(StringFunctions::parseUrl);
    d.alias("try_parse_url", "parse_url");
    d.scalar("typeof", STRING, "typeof(expr)", "The Databricks type name of expr.")
        .args(ANY)
        .returns(Returns.STRING)
        .duckdb("$T1");
    d.scalar("url_encode", URL, "url_encode(str)", "str percent-encoded for a URL.")
        .args(ArgKind.STRING)
        .returns(Returns.STRING)
        .duckdb("url_encode($1)");
    d.scalar("url_decode", URL, "url_decode(str)", "str with percent-encoding decoded.")
        .args(ArgKind.STRING)
        .returns(Returns.STRING)
        .duckdb("url_decode($1)");
    d.scalar(
            "try_url_decode",
            URL,
            "try_url_decode(str)",
            "As url_decode, but NULL for invalid text.")
        .args(ArgKind.STRING)
        .returns(Returns.STRING)
        .nullable()
        .duckdb("try(url_decode($1))");
  }

  /** URL parts by regular expression (RFC 3986 layout), the part name a literal. */
  static String parseUrl(List<String> operands) {
    String url = "CAST(" + operands.get(0) + " AS VARCHAR)";
    String part = operands.get(1).replaceAll("^'|'$", "").toUpperCase(java.util.Locale.ROOT);
    String regex =
        switch (part) {
          case "PROTOCOL" -> "^([a-zA-Z][a-zA-Z0-9+.-]*):";
          case "HOST" -> "^[a-zA-Z][a-zA-Z0-9+.-]*://(?:[^/?#@]*@)?([^/?#:]*)";
          case "AUTHORITY" -> "^[a-zA-Z][a-zA-Z0-9+.-]*://([^/?#]*)";
          case "USERINFO" -> "^[a-zA-Z][a-zA-Z0-9+.-]*://([^/?#@]*)@";
          case "PATH" -> "^[a-zA-Z][a-zA-Z0-9+.-]*://[^/?#]*([^?#]*)";
          case "FILE" -> "^[a-zA-Z][a-zA-Z0-9+.-]*://[^/?#]*([^#]*)";
          case "QUERY" -> "^[^?#]*\\?([^#]*)";
          case "REF" -> "#(.*)$";
          default -> null;
        };
    String valid = "regexp_matches(" + url + ", '^[a-zA-Z][a-zA-Z0-9+.-]*:[^ ]*$')";
    if (regex == null) {
      return "CAST(NULL AS VARCHAR)";
    }
    String value = "nullif(regexp_extract(" + url + ", '" + regex + "', 1), '')";
    if (operands.size() == 3 && part.equals("QUERY")) {
      value =
          "nullif(regexp_extract('&' || "
              + value
              + ", '&' || "
              + operands.get(2)
              + " || '=([^&]*)', 1), '')";
    }
    return "CASE WHEN " + valid + " THEN " + value + " END";
  }

  /** {@code decode(expr, s1, r1, s2, r2, ..., [default])} as a CASE (NULL matches NULL). */
  static String decodeCase(List<String> operands) {
    StringBuilder b = new StringBuilder("CASE");
    int i = 1;
    for (; i + 1 < operands.size(); i += 2) {
      b.append(" WHEN (")
          .append(operands.get(0))
          .append(") IS NOT DISTINCT FROM (")
          .append(operands.get(i))
          .append(") THEN (")
          .append(operands.get(i + 1))
          .append(')');
    }
    if (i < operands.size()) {
      b.append(" ELSE (").append(operands.get(i)).append(')');
    }
    return b.append(" END").toString();
  }

  /**
   * to_json: DuckDB's, except that a map with STRUCT keys names each entry as Spark does, by the
   * key's fields in brackets ({@code [1,x]}, NULL fields as {@code null}).
   */
  private static String toJson(List<org.apache.calcite.rel.type.RelDataType> types) {
    org.apache.calcite.rel.type.RelDataType type = types.get(0);
    if (type.getSqlTypeName() == org.apache.calcite.sql.type.SqlTypeName.MAP
        && type.getKeyType().isStruct()
        && type.getKeyType().getFieldList().stream().noneMatch(f -> f.getType().isStruct())) {
      List<String> fields =
          type.getKeyType().getFieldList().stream()
              .map(
                  f ->
                      "coalesce(CAST(__aquifer_e.key.\""
                          + f.getName().replace("\"", "\"\"")
                          + "\" AS VARCHAR), 'null')")
              .toList();
      return "CAST(to_json(map_from_entries(list_transform(map_entries($1), lambda __aquifer_e:"
          + " {'key': '[' || "
          + String.join(" || ',' || ", fields)
          + " || ']', 'value': __aquifer_e.value}))) AS VARCHAR)";
    }
    return "CAST(to_json($1) AS VARCHAR)";
  }
}

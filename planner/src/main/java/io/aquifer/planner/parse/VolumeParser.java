package io.aquifer.planner.parse;

import io.aquifer.planner.PlannerErrorCode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The statements about volumes and the files in them: CREATE/DROP/SHOW/DESCRIBE VOLUME, {@code LIST
 * 'path'} and COPY INTO.
 */
final class VolumeParser {
  private static final Set<String> FILE_FORMATS =
      Set.of("PARQUET", "CSV", "JSON", "AVRO", "ORC", "XML", "TEXT", "BINARYFILE");

  private VolumeParser() {}

  /** Whether the cursor, after CREATE, is at {@code [EXTERNAL] VOLUME}. */
  static boolean atCreateVolume(TokenCursor c) {
    return c.peek().is("VOLUME") || (c.peek().is("EXTERNAL") && c.peek(1).is("VOLUME"));
  }

  /** After CREATE: {@code [EXTERNAL] VOLUME [IF NOT EXISTS] name [LOCATION 'p'] [COMMENT 'c']}. */
  static ParsedStatement createVolume(TokenCursor c, boolean orReplace) {
    Token start = c.peek();
    boolean external = c.accept("EXTERNAL");
    c.expect("VOLUME");
    if (orReplace) {
      throw ParseErrors.at(
          c.sql(),
          start.start(),
          PlannerErrorCode.UNSUPPORTED_FEATURE,
          "CREATE OR REPLACE VOLUME is not supported; drop the volume first");
    }
    boolean ifNotExists = false;
    if (c.accept("IF")) {
      c.expect("NOT");
      c.expect("EXISTS");
      ifNotExists = true;
    }
    List<String> name = c.qualifiedName();
    Optional<String> location = Optional.empty();
    Optional<String> comment = Optional.empty();
    while (!c.atEnd()) {
      if (location.isEmpty() && c.accept("LOCATION")) {
        location = Optional.of(c.stringLiteral());
      } else if (comment.isEmpty() && c.accept("COMMENT")) {
        comment = Optional.of(c.stringLiteral());
      } else {
        throw c.error("expected LOCATION or COMMENT");
      }
    }
    if (external != location.isPresent()) {
      throw ParseErrors.at(
          c.sql(),
          start.start(),
          PlannerErrorCode.PARSE_SYNTAX_ERROR,
          external
              ? "CREATE EXTERNAL VOLUME needs LOCATION 'path'"
              : "a volume with a LOCATION is external: write CREATE EXTERNAL VOLUME");
    }
    return new ParsedStatement.CreateVolume(name, ifNotExists, location, comment);
  }

  /** After DROP: {@code VOLUME [IF EXISTS] name}. */
  static ParsedStatement dropVolume(TokenCursor c) {
    c.expect("VOLUME");
    boolean ifExists = false;
    if (c.accept("IF")) {
      c.expect("EXISTS");
      ifExists = true;
    }
    List<String> name = c.qualifiedName();
    c.expectEnd();
    return new ParsedStatement.DropVolume(name, ifExists);
  }

  /** After SHOW: {@code VOLUMES [IN|FROM schema] [[LIKE] 'pattern']}. */
  static ParsedStatement showVolumes(TokenCursor c) {
    c.expect("VOLUMES");
    List<String> in = List.of();
    if (c.accept("IN") || c.accept("FROM")) {
      in = c.qualifiedName();
    }
    Optional<String> like = Optional.empty();
    if (c.accept("LIKE") || c.peek().kind() == Token.Kind.STRING) {
      like = Optional.of(c.stringLiteral());
    }
    c.expectEnd();
    return new ParsedStatement.ShowVolumes(in, like);
  }

  /** After DESCRIBE: {@code VOLUME name}. */
  static ParsedStatement describeVolume(TokenCursor c) {
    c.expect("VOLUME");
    List<String> name = c.qualifiedName();
    c.expectEnd();
    return new ParsedStatement.DescribeVolume(name);
  }

  /** {@code LIST 'path' [LIMIT n]}. */
  static ParsedStatement list(TokenCursor c) {
    c.expect("LIST");
    String path = c.stringLiteral();
    OptionalLong limit = OptionalLong.empty();
    if (c.accept("LIMIT")) {
      limit = OptionalLong.of(c.integer());
    }
    c.expectEnd();
    return new ParsedStatement.ListFiles(path, limit);
  }

  /**
   * {@code COPY INTO table FROM 'path' FILEFORMAT = format [FORMAT_OPTIONS ('k' = 'v', ...)]
   * [COPY_OPTIONS ('k' = 'v', ...)]} with {@code FILES = ('a', ...)} or {@code PATTERN = 'glob'}
   * (before or among the options); a SELECT source is refused as not supported.
   */
  static ParsedStatement copyInto(TokenCursor c) {
    c.expect("COPY");
    c.expect("INTO");
    List<String> table = c.qualifiedName();
    c.expect("FROM");
    Token path = c.peek();
    Optional<String> query = Optional.empty();
    String source;
    if (path.isSymbol("(")) {
      // FROM (SELECT expr, ... FROM 'path' [WHERE ...]): the path becomes read_files('path').
      c.next();
      int depth = 0;
      int start = c.peek().start();
      Token pathToken = null;
      Token previous = path;
      while (true) {
        Token t = c.peek();
        if (t.kind() == Token.Kind.END) {
          throw c.error("expected ')' closing the SELECT of COPY INTO");
        }
        if (t.isSymbol("(")) {
          depth++;
        } else if (t.isSymbol(")")) {
          if (depth == 0) {
            break;
          }
          depth--;
        } else if (depth == 0
            && pathToken == null
            && t.kind() == Token.Kind.STRING
            && previous.is("FROM")) {
          pathToken = t;
        }
        previous = c.next();
      }
      Token close = c.next();
      if (!c.sql()
              .substring(start, close.start())
              .stripLeading()
              .regionMatches(true, 0, "SELECT", 0, 6)
          || pathToken == null) {
        throw ParseErrors.at(
            c.sql(),
            path.start(),
            PlannerErrorCode.PARSE_SYNTAX_ERROR,
            "COPY INTO ... FROM ( ... ) takes SELECT expr, ... FROM 'path'");
      }
      source = pathToken.text();
      query =
          Optional.of(
              c.sql().substring(start, pathToken.start())
                  + "read_files('"
                  + source.replace("'", "''")
                  + "')"
                  + c.sql().substring(pathToken.end(), close.start()));
    } else {
      source = c.stringLiteral();
    }
    if (source.isBlank()) {
      throw ParseErrors.at(
          c.sql(), path.start(), PlannerErrorCode.PARSE_SYNTAX_ERROR, "FROM must name a directory");
    }
    c.expect("FILEFORMAT");
    c.acceptSymbol("=");
    Token format = c.peek();
    String fileFormat = c.identifier().toUpperCase(Locale.ROOT);
    if (!FILE_FORMATS.contains(fileFormat)) {
      throw ParseErrors.at(
          c.sql(),
          format.start(),
          PlannerErrorCode.PARSE_SYNTAX_ERROR,
          "unknown FILEFORMAT "
              + fileFormat
              + "; expected PARQUET, CSV, JSON, AVRO, ORC, XML, TEXT or BINARYFILE");
    }
    Map<String, String> formatOptions = Map.of();
    Map<String, String> copyOptions = Map.of();
    List<String> files = List.of();
    Optional<String> pattern = Optional.empty();
    while (!c.atEnd()) {
      Token clause = c.peek();
      if (clause.is("FORMAT_OPTIONS")) {
        c.next();
        formatOptions = options(c);
      } else if (clause.is("COPY_OPTIONS")) {
        c.next();
        copyOptions = options(c);
      } else if (clause.is("FILES") && files.isEmpty() && pattern.isEmpty()) {
        c.next();
        c.acceptSymbol("=");
        c.expectSymbol("(");
        files = new ArrayList<>();
        do {
          Token name = c.peek();
          String file = c.stringLiteral();
          if (file.isEmpty()) {
            throw ParseErrors.at(
                c.sql(), name.start(), PlannerErrorCode.PARSE_SYNTAX_ERROR, "FILES names a file");
          }
          files.add(file);
        } while (c.acceptSymbol(","));
        c.expectSymbol(")");
        if (files.size() > 1000) {
          throw ParseErrors.at(
              c.sql(),
              clause.start(),
              PlannerErrorCode.PARSE_SYNTAX_ERROR,
              "FILES names at most 1000 files");
        }
      } else if (clause.is("PATTERN") && files.isEmpty() && pattern.isEmpty()) {
        c.next();
        c.acceptSymbol("=");
        pattern = Optional.of(c.stringLiteral());
      } else if (clause.is("FILES") || clause.is("PATTERN")) {
        throw ParseErrors.at(
            c.sql(),
            clause.start(),
            PlannerErrorCode.PARSE_SYNTAX_ERROR,
            "COPY INTO takes one FILES or one PATTERN, not both");
      } else {
        throw c.error("expected FILES, PATTERN, FORMAT_OPTIONS or COPY_OPTIONS");
      }
    }
    return new ParsedStatement.CopyInto(
        table, source, fileFormat, formatOptions, copyOptions, files, pattern, query);
  }

  /** {@code ('key' = 'value', ...)}: keys in lower case, values unquoted. */
  private static Map<String, String> options(TokenCursor c) {
    Map<String, String> out = new LinkedHashMap<>();
    c.expectSymbol("(");
    if (c.acceptSymbol(")")) {
      return out;
    }
    do {
      Token keyToken = c.peek();
      String key = AlterTableParser.propertyKey(c).toLowerCase(Locale.ROOT);
      c.expectSymbol("=");
      Token value = c.peek();
      String v;
      if (value.kind() == Token.Kind.STRING) {
        v = c.stringLiteral();
      } else if (value.kind() == Token.Kind.NUMBER || value.kind() == Token.Kind.WORD) {
        v = c.next().text();
      } else {
        throw c.error("expected an option value but found " + TokenCursor.describe(value));
      }
      if (out.put(key, v) != null) {
        throw ParseErrors.at(
            c.sql(),
            keyToken.start(),
            PlannerErrorCode.PARSE_SYNTAX_ERROR,
            "option '" + key + "' is given twice");
      }
    } while (c.acceptSymbol(","));
    c.expectSymbol(")");
    return out;
  }
}

package io.aquifer.planner.parse;

import io.aquifer.planner.PlannerErrorCode;
import io.aquifer.planner.PlannerException;
import io.aquifer.planner.parse.ParsedStatement.ColumnDefinition;
import io.aquifer.planner.parse.ParsedStatement.ObjectKind;
import io.aquifer.planner.parse.ParsedStatement.ShowKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The first parse of every statement: recognises the Databricks SQL statements Calcite's parser
 * does not know (DDL, USE, SHOW, DESCRIBE, INSERT OVERWRITE, time travel) and parses them here;
 * hands queries and DML on to Calcite as text with the same character positions.
 */
public final class StatementParser {
  private StatementParser() {}

  /** Statements with more tokens are refused before planning, whose cost grows faster. */
  public static final int MAX_TOKENS = 100_000;

  /**
   * Deeper nesting of parentheses is refused before planning, which recurses once per level and
   * spends more than linear time on some nested expressions (ARRAY(ARRAY(...)) 256 deep takes
   * seconds to validate; at this depth, a few hundred milliseconds).
   */
  public static final int MAX_NESTING = 128;

  /**
   * More queries combined by UNION, INTERSECT and EXCEPT are refused before planning, which
   * recurses once per combined query (800 overflow the stack of a statement thread).
   */
  public static final int MAX_SET_OPERATIONS = 400;

  /**
   * Wider SELECT lists are refused before planning: Calcite's validator looks at the whole list
   * once per item (1,000 items take a second or so, 10,000 minutes).
   */
  public static final int MAX_SELECT_ITEMS = 1_000;

  private static final java.util.Set<String> SELECT_LIST_ENDS =
      java.util.Set.of(
          "FROM",
          "WHERE",
          "GROUP",
          "HAVING",
          "ORDER",
          "LIMIT",
          "UNION",
          "INTERSECT",
          "EXCEPT",
          "MINUS",
          "WINDOW",
          "QUALIFY",
          "INTO",
          "LATERAL",
          "CLUSTER",
          "DISTRIBUTE",
          "SORT");

  /**
   * Longer binary literals ({@code X'...'}, in hex digits) are refused: Calcite reads them in
   * quadratic time.
   */
  public static final int MAX_BINARY_LITERAL_DIGITS = 100_000;

  public static ParsedStatement parse(String sql) {
    if (sql.startsWith("\uFEFF")) {
      // A byte order mark that an editor left at the start of a file: white space, positions kept.
      sql = " " + sql.substring(1);
    }
    if (sql.isBlank()) {
      throw ParseErrors.at(sql, 0, PlannerErrorCode.PARSE_SYNTAX_ERROR, "empty statement");
    }
    int nul = sql.indexOf('\0');
    if (nul >= 0) {
      throw ParseErrors.at(
          sql,
          nul,
          PlannerErrorCode.PARSE_SYNTAX_ERROR,
          "the statement contains a NUL character (U+0000)");
    }
    refusePrefixedStrings(sql);
    String normalized = StringLiteralNormalizer.normalize(sql);
    if (mentionsRestore(normalized)) {
      List<Token> plain = SqlTokenizer.tokenizeNormalized(normalized);
      if (plain.get(0).is("RESTORE")) {
        // Not through the time-travel rewrite, which would fold "TO VERSION AS OF 3" into a name.
        checkSize(normalized, plain);
        return TableMaintenanceParser.restore(new TokenCursor(normalized, plain));
      }
    }
    String rewritten =
        TimestampSyntaxRewriter.rewrite(
            SparkOperatorRewriter.rewrite(
                SparkSyntaxRewriter.rewrite(
                    TableSampleRewriter.rewrite(
                        TimeTravelRewriter.rewrite(LateralViewRewriter.rewrite(normalized))))));
    List<Token> tokens = SqlTokenizer.tokenizeNormalized(rewritten);
    checkSize(rewritten, tokens);
    TokenCursor c = new TokenCursor(rewritten, tokens);
    return statement(c);
  }

  /** Whether the text has the word RESTORE in it at all (cheaper than tokenizing it twice). */
  private static boolean mentionsRestore(String sql) {
    for (int i = 0; i + 7 <= sql.length(); i++) {
      if (sql.regionMatches(true, i, "RESTORE", 0, 7)) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@code U&'...'} (SQL standard Unicode escapes) and {@code E'...'} (PostgreSQL escapes) are not
   * Databricks SQL; Calcite would read the first with its own escape rules and fail in the engine.
   * Databricks writes both as plain strings with backslash escapes ({@code '\u00e9'}).
   */
  private static void refusePrefixedStrings(String sql) {
    List<Token> tokens = SqlTokenizer.tokenize(sql);
    for (int i = 0; i + 1 < tokens.size(); i++) {
      Token word = tokens.get(i);
      if (word.kind() != Token.Kind.WORD || word.text().length() != 1) {
        continue;
      }
      Token next = tokens.get(i + 1);
      boolean unicode =
          word.text().equalsIgnoreCase("U")
              && next.kind() == Token.Kind.SYMBOL
              && next.text().equals("&")
              && next.start() == word.end()
              && i + 2 < tokens.size()
              && tokens.get(i + 2).kind() == Token.Kind.STRING
              && tokens.get(i + 2).start() == next.end();
      boolean escape =
          word.text().equalsIgnoreCase("E")
              && next.kind() == Token.Kind.STRING
              && next.start() == word.end()
              && sql.charAt(next.start()) == '\'';
      if (unicode || escape) {
        throw ParseErrors.at(
            sql,
            word.start(),
            PlannerErrorCode.PARSE_SYNTAX_ERROR,
            (unicode ? "U&'...'" : "E'...'")
                + " string literals are not supported; write a plain string with backslash"
                + " escapes, e.g. '\\u00e9' or '\\n'");
      }
    }
  }

  private static void checkSize(String sql, List<Token> tokens) {
    if (tokens.size() > MAX_TOKENS) {
      throw ParseErrors.at(
          sql,
          tokens.get(MAX_TOKENS).start(),
          PlannerErrorCode.STATEMENT_TOO_COMPLEX,
          "the statement has "
              + tokens.size()
              + " tokens; the limit is "
              + MAX_TOKENS
              + " (pass long lists of values as a table instead)");
    }
    Token previous = null;
    int depth = 0;
    int setOperations = 0;
    // items of the SELECT list open at each parenthesis depth; 0 where none is open
    java.util.Map<Integer, Integer> selectItems = new java.util.HashMap<>();
    for (Token t : tokens) {
      if (t.kind() == Token.Kind.WORD && t.is("SELECT")) {
        selectItems.put(depth, 1);
      } else if (t.kind() == Token.Kind.WORD
          && SELECT_LIST_ENDS.contains(t.text().toUpperCase(java.util.Locale.ROOT))) {
        selectItems.remove(depth);
      } else if (t.isSymbol(",") && selectItems.containsKey(depth)) {
        int items = selectItems.merge(depth, 1, Integer::sum);
        if (items > MAX_SELECT_ITEMS) {
          throw ParseErrors.at(
              sql,
              t.start(),
              PlannerErrorCode.STATEMENT_TOO_COMPLEX,
              "the SELECT list has more than "
                  + MAX_SELECT_ITEMS
                  + " items; the limit is "
                  + MAX_SELECT_ITEMS);
        }
      } else if (t.isSymbol(")")) {
        selectItems.remove(depth);
      }
      if (t.kind() == Token.Kind.WORD
          && (t.is("UNION") || t.is("INTERSECT") || t.is("EXCEPT") || t.is("MINUS"))
          && ++setOperations >= MAX_SET_OPERATIONS) {
        throw ParseErrors.at(
            sql,
            t.start(),
            PlannerErrorCode.STATEMENT_TOO_COMPLEX,
            "the statement combines more than "
                + MAX_SET_OPERATIONS
                + " queries with UNION, INTERSECT or EXCEPT; the limit is "
                + MAX_SET_OPERATIONS
                + " (put the rows in a table instead)");
      }
      if (t.kind() == Token.Kind.STRING
          && previous != null
          && previous.end() == t.start()
          && previous.kind() == Token.Kind.WORD
          && previous.text().equalsIgnoreCase("X")
          && t.text().length() > MAX_BINARY_LITERAL_DIGITS) {
        throw ParseErrors.at(
            sql,
            previous.start(),
            PlannerErrorCode.STATEMENT_TOO_COMPLEX,
            "the binary literal has "
                + t.text().length()
                + " hex digits; the limit is "
                + MAX_BINARY_LITERAL_DIGITS);
      }
      previous = t;
      if (t.isSymbol("(")) {
        if (++depth > MAX_NESTING) {
          throw ParseErrors.at(
              sql,
              t.start(),
              PlannerErrorCode.STATEMENT_TOO_COMPLEX,
              "the statement nests parentheses more than " + MAX_NESTING + " deep");
        }
      } else if (t.isSymbol(")")) {
        depth = Math.max(0, depth - 1);
      }
    }
  }

  private static ParsedStatement statement(TokenCursor c) {
    Token first = c.peek();
    String sql = c.sql();
    if (first.is("SELECT")
        || first.is("WITH")
        || first.is("VALUES")
        || first.is("TABLE")
        || first.isSymbol("(")) {
      return new ParsedStatement.Query(blankBefore(sql, first.start()));
    }
    if (first.is("INSERT")) {
      return insert(c);
    }
    if (first.is("UPDATE") || first.is("DELETE") || first.is("MERGE")) {
      return new ParsedStatement.Dml(blankBefore(sql, first.start()), false);
    }
    if (first.is("EXPLAIN")) {
      c.next();
      if (c.accept("ANALYZE")) {
        return new ParsedStatement.Explain(statement(c), true);
      }
      c.accept("EXTENDED");
      c.accept("FORMATTED");
      return new ParsedStatement.Explain(statement(c));
    }
    if (first.is("CREATE")) {
      return create(c);
    }
    if (first.is("DROP")) {
      return drop(c);
    }
    if (first.is("USE")) {
      return use(c);
    }
    if (first.is("SHOW")) {
      return show(c);
    }
    if (first.is("DESCRIBE") || first.is("DESC")) {
      return describe(c);
    }
    if (first.is("COPY")) {
      return VolumeParser.copyInto(c);
    }
    if (first.is("LIST") && c.peek(1).kind() == Token.Kind.STRING) {
      return VolumeParser.list(c);
    }
    if (first.is("SET")) {
      return SetStatementParser.set(c);
    }
    if (first.is("ALTER")) {
      return AlterTableParser.alter(c);
    }
    if (first.is("COMMENT") && c.peek(1).is("ON")) {
      return AlterTableParser.commentOn(c);
    }
    if (first.is("TRUNCATE")) {
      return AlterTableParser.truncate(c);
    }
    if (first.is("VACUUM")) {
      return TableMaintenanceParser.vacuum(c);
    }
    if (first.is("OPTIMIZE")) {
      return TableMaintenanceParser.optimize(c);
    }
    if (first.is("GRANT") || first.is("REVOKE")) {
      return GrantParser.grantOrRevoke(c);
    }
    UnsupportedSyntax.statement(c)
        .ifPresent(
            e -> {
              throw e;
            });
    throw ParseErrors.at(
        sql,
        first.start(),
        PlannerErrorCode.PARSE_SYNTAX_ERROR,
        "unknown statement starting with " + TokenCursor.describe(first));
  }

  /** The text with everything before {@code offset} replaced by spaces (newlines kept). */
  static String blankBefore(String sql, int offset) {
    StringBuilder b = new StringBuilder(sql.length());
    for (int i = 0; i < offset; i++) {
      b.append(sql.charAt(i) == '\n' ? '\n' : ' ');
    }
    b.append(sql, offset, sql.length());
    String out = b.toString().stripTrailing();
    return out.endsWith(";") ? out.substring(0, out.length() - 1) : out;
  }

  private static ParsedStatement insert(TokenCursor c) {
    Token insert = c.next();
    Token mode = c.peek();
    if (mode.is("OVERWRITE")) {
      c.next();
      int end = mode.end();
      if (c.peek().is("TABLE")) {
        end = c.next().end();
      }
      // "INSERT OVERWRITE [TABLE]" -> "INSERT INTO" padded to the same length.
      StringBuilder b = new StringBuilder(blankBefore(c.sql(), insert.start()));
      String into = "INTO";
      b.replace(mode.start(), end, into + " ".repeat(end - mode.start() - into.length()));
      return new ParsedStatement.Dml(b.toString(), true);
    }
    if (mode.is("INTO") && c.peek(1).is("TABLE")) {
      Token table = c.peek(1);
      StringBuilder b = new StringBuilder(blankBefore(c.sql(), insert.start()));
      b.replace(table.start(), table.end(), " ".repeat(table.end() - table.start()));
      return new ParsedStatement.Dml(b.toString(), false);
    }
    return new ParsedStatement.Dml(blankBefore(c.sql(), insert.start()), false);
  }

  private static ParsedStatement create(TokenCursor c) {
    c.expect("CREATE");
    boolean orReplace = false;
    if (c.accept("OR")) {
      c.expect("REPLACE");
      orReplace = true;
    }
    if (!orReplace && c.peek().is("GROUP")) {
      return GrantParser.createGroup(c);
    }
    if (VolumeParser.atCreateVolume(c)) {
      return VolumeParser.createVolume(c, orReplace);
    }
    if (FunctionParser.atFunction(c)) {
      return FunctionParser.create(c, orReplace);
    }
    UnsupportedSyntax.object(c, "CREATE")
        .ifPresent(
            e -> {
              throw e;
            });
    Token temporaryWord = c.peek();
    boolean temporary = c.accept("TEMPORARY") || c.accept("TEMP");
    if (temporary && !c.peek().is("VIEW")) {
      // Only views can be temporary; a TEMPORARY table must not quietly become a permanent one.
      throw ParseErrors.at(
          c.sql(),
          temporaryWord.start(),
          PlannerErrorCode.UNSUPPORTED_FEATURE,
          "only views can be TEMPORARY (CREATE TEMPORARY VIEW)");
    }
    if (c.accept("CATALOG")) {
      boolean ifNotExists = ifNotExists(c);
      String name = c.identifier();
      Optional<String> comment = optionalComment(c);
      c.expectEnd();
      return new ParsedStatement.CreateCatalog(name, ifNotExists, comment);
    }
    if (c.accept("SCHEMA") || c.accept("DATABASE")) {
      boolean ifNotExists = ifNotExists(c);
      List<String> name = c.qualifiedName();
      Optional<String> comment = optionalComment(c);
      c.expectEnd();
      return new ParsedStatement.CreateSchema(name, ifNotExists, comment);
    }
    if (c.accept("VIEW")) {
      boolean ifNotExists = ifNotExists(c);
      List<String> name = c.qualifiedName();
      Optional<String> comment = optionalComment(c);
      c.expect("AS");
      Token start = c.peek();
      String query = blankBefore(c.sql(), start.start());
      return new ParsedStatement.CreateView(
          name, orReplace, ifNotExists, comment, query, query.substring(start.start()), temporary);
    }
    if (c.accept("TABLE")) {
      return createTable(c, orReplace);
    }
    if (c.peek().is("INDEX") || c.peek().is("UNIQUE") && c.peek(1).is("INDEX")) {
      return createIndex(c);
    }
    throw c.error("expected CATALOG, SCHEMA, TABLE, VIEW or INDEX after CREATE");
  }

  /**
   * {@code CREATE [UNIQUE] INDEX [IF NOT EXISTS] name ON table (column [ASC|DESC], ...)}: accepted
   * for compatibility with scripts written for other databases, checked and then ignored (Delta
   * tables have no indexes; data skipping uses file statistics).
   */
  private static ParsedStatement createIndex(TokenCursor c) {
    c.accept("UNIQUE");
    c.expect("INDEX");
    boolean ifNotExists = ifNotExists(c);
    String name = c.identifier();
    c.expect("ON");
    List<String> table = c.qualifiedName();
    List<String> columns = new ArrayList<>();
    c.expectSymbol("(");
    do {
      columns.add(c.identifier());
      if (!c.accept("ASC")) {
        c.accept("DESC");
      }
    } while (c.acceptSymbol(","));
    c.expectSymbol(")");
    c.expectEnd();
    return new ParsedStatement.CreateIndex(name, table, columns, ifNotExists);
  }

  /**
   * {@code CREATE TABLE [IF NOT EXISTS] t SHALLOW CLONE source [VERSION AS OF n | TIMESTAMP AS OF
   * ts] [TBLPROPERTIES (...)]}; the time travel arrives folded into the source's name.
   */
  private static ParsedStatement cloneTable(
      TokenCursor c, List<String> name, boolean orReplace, boolean ifNotExists) {
    Token kind = c.next();
    if (kind.is("DEEP")) {
      throw ParseErrors.at(
          c.sql(),
          kind.start(),
          PlannerErrorCode.UNSUPPORTED_FEATURE,
          "DEEP CLONE is not supported yet; SHALLOW CLONE, or CREATE TABLE ... AS SELECT, copies"
              + " the rows");
    }
    if (orReplace) {
      throw ParseErrors.at(
          c.sql(),
          kind.start(),
          PlannerErrorCode.UNSUPPORTED_FEATURE,
          "CREATE OR REPLACE TABLE ... SHALLOW CLONE is not supported yet; DROP TABLE first");
    }
    c.expect("CLONE");
    List<String> source = c.qualifiedName();
    Map<String, String> properties = new LinkedHashMap<>();
    while (!c.atEnd()) {
      if (c.accept("TBLPROPERTIES")) {
        c.expectSymbol("(");
        do {
          String key = AlterTableParser.propertyKey(c);
          c.acceptSymbol("=");
          properties.put(key, c.next().text());
        } while (c.acceptSymbol(","));
        c.expectSymbol(")");
      } else if (c.peek().is("LOCATION")) {
        throw ParseErrors.at(
            c.sql(),
            c.peek().start(),
            PlannerErrorCode.UNSUPPORTED_FEATURE,
            "SHALLOW CLONE to a LOCATION is not supported yet; the clone is a managed table");
      } else {
        throw c.error("unexpected " + TokenCursor.describe(c.peek()) + " in SHALLOW CLONE");
      }
    }
    return new ParsedStatement.ShallowClone(name, source, ifNotExists, properties);
  }

  private static ParsedStatement createTable(TokenCursor c, boolean orReplace) {
    boolean ifNotExists = ifNotExists(c);
    List<String> name = c.qualifiedName();
    if (c.peek().is("SHALLOW") || c.peek().is("DEEP")) {
      return cloneTable(c, name, orReplace, ifNotExists);
    }
    List<ColumnDefinition> columns = new ArrayList<>();
    Optional<List<String>> like = Optional.empty();
    if (c.accept("LIKE")) {
      like = Optional.of(c.qualifiedName());
    } else if (c.acceptSymbol("(")) {
      do {
        String column = c.identifier();
        var type = DataTypeParser.parse(c);
        boolean nullable = true;
        Optional<String> comment = Optional.empty();
        Optional<String> defaultValue = Optional.empty();
        Optional<String> generated = Optional.empty();
        while (true) {
          if (c.peek().is("GENERATED")) {
            generated = Optional.of(generationExpression(c));
          } else if (c.accept("DEFAULT")) {
            defaultValue =
                Optional.of(
                    c.expressionText(
                        "DEFAULT",
                        "NOT",
                        "COMMENT",
                        "PRIMARY",
                        "UNIQUE",
                        "CONSTRAINT",
                        "GENERATED"));
          } else if (c.accept("NOT")) {
            c.expect("NULL");
            nullable = false;
          } else if (c.accept("NULL")) {
            nullable = true;
          } else if (c.accept("COMMENT")) {
            comment = Optional.of(c.stringLiteral());
          } else if (c.accept("PRIMARY")) {
            // Informational, as Databricks' PRIMARY KEY constraints: not enforced, not kept.
            c.expect("KEY");
          } else if (c.accept("UNIQUE")) {
            // Informational as well; see docs/sql.md.
          } else {
            break;
          }
        }
        if (generated.isPresent() && defaultValue.isPresent()) {
          throw c.error(
              "column " + column + " cannot have both a DEFAULT and a generation expression");
        }
        columns.add(new ColumnDefinition(column, type, nullable, comment, defaultValue, generated));
      } while (c.acceptSymbol(",") && !tableConstraint(c, columns));
      c.expectSymbol(")");
    }
    List<String> partitionedBy = new ArrayList<>();
    Optional<String> comment = Optional.empty();
    Optional<String> location = Optional.empty();
    Map<String, String> properties = new LinkedHashMap<>();
    while (!c.atEnd() && !c.peek().is("AS")) {
      if (c.accept("USING")) {
        Token format = c.peek();
        String f = c.identifier();
        if (!f.equalsIgnoreCase("DELTA")) {
          throw ParseErrors.at(
              c.sql(),
              format.start(),
              PlannerErrorCode.UNSUPPORTED_FEATURE,
              "tables are stored as Delta; USING " + f + " is not supported");
        }
      } else if (c.accept("PARTITIONED")) {
        c.expect("BY");
        c.expectSymbol("(");
        do {
          partitionedBy.add(c.identifier());
        } while (c.acceptSymbol(","));
        c.expectSymbol(")");
      } else if (c.accept("COMMENT")) {
        comment = Optional.of(c.stringLiteral());
      } else if (c.accept("TBLPROPERTIES")) {
        c.expectSymbol("(");
        do {
          Token key = c.next();
          StringBuilder k = new StringBuilder(key.text());
          while (c.acceptSymbol(".")) {
            k.append('.').append(c.next().text());
          }
          c.acceptSymbol("=");
          properties.put(k.toString(), c.next().text());
        } while (c.acceptSymbol(","));
        c.expectSymbol(")");
      } else if (c.accept("LOCATION")) {
        Token path = c.peek();
        String text = c.stringLiteral();
        if (text.isBlank()) {
          throw ParseErrors.at(
              c.sql(),
              path.start(),
              PlannerErrorCode.PARSE_SYNTAX_ERROR,
              "LOCATION must not be empty");
        }
        location = Optional.of(text);
      } else {
        throw c.error("unexpected " + TokenCursor.describe(c.peek()) + " in CREATE TABLE");
      }
    }
    if (like.isPresent()) {
      c.expectEnd();
      if (location.isPresent() || !partitionedBy.isEmpty()) {
        throw c.error(
            "CREATE TABLE ... LIKE takes the columns and partitioning of its source; LOCATION"
                + " and PARTITIONED BY are not supported with it");
      }
      return new ParsedStatement.CreateTableLike(
          name, like.get(), orReplace, ifNotExists, comment, properties);
    }
    Optional<String> asQuery = Optional.empty();
    if (c.accept("AS")) {
      if (location.isPresent()) {
        throw c.error(
            "CREATE TABLE ... LOCATION registers an existing Delta table; drop the AS query");
      }
      asQuery = Optional.of(blankBefore(c.sql(), c.peek().start()));
    } else {
      c.expectEnd();
      if (columns.isEmpty() && location.isEmpty()) {
        throw c.error("CREATE TABLE needs a column list, an AS query or a LOCATION");
      }
    }
    return new ParsedStatement.CreateTable(
        name,
        orReplace,
        ifNotExists,
        columns,
        partitionedBy,
        comment,
        properties,
        asQuery,
        location);
  }

  /**
   * {@code GENERATED ALWAYS AS (expr)}: the expression's text. Identity columns ({@code GENERATED
   * {ALWAYS | BY DEFAULT} AS IDENTITY}) are refused (0A000); {@code GENERATED BY DEFAULT AS (expr)}
   * is a syntax error, as in Databricks.
   */
  private static String generationExpression(TokenCursor c) {
    Token generated = c.next();
    boolean always = c.accept("ALWAYS");
    if (!always) {
      c.expect("BY");
      c.expect("DEFAULT");
    }
    c.expect("AS");
    if (c.peek().is("IDENTITY")) {
      throw ParseErrors.at(
          c.sql(),
          generated.start(),
          PlannerErrorCode.UNSUPPORTED_FEATURE,
          "identity columns (GENERATED ... AS IDENTITY) are not supported yet");
    }
    if (!always) {
      throw c.error("expected IDENTITY after GENERATED BY DEFAULT AS");
    }
    c.expectSymbol("(");
    String text = c.expressionText("GENERATED ALWAYS AS (");
    c.expectSymbol(")");
    return text;
  }

  /**
   * A table constraint after the columns: {@code [CONSTRAINT name] PRIMARY KEY (columns)} or {@code
   * UNIQUE (columns)}. Informational, like the column constraints: checked, not kept. Returns false
   * (and consumes nothing) if the next element is a column definition.
   */
  private static boolean tableConstraint(TokenCursor c, List<ColumnDefinition> columns) {
    boolean named = c.peek().is("CONSTRAINT");
    if (c.peek(named ? 2 : 0).is("CHECK") && c.peek(named ? 3 : 1).isSymbol("(")) {
      throw ParseErrors.at(
          c.sql(),
          c.peek(named ? 2 : 0).start(),
          PlannerErrorCode.UNSUPPORTED_FEATURE,
          "CHECK constraints in CREATE TABLE are not supported yet; add them with ALTER TABLE"
              + " ... ADD CONSTRAINT name CHECK (expr)");
    }
    boolean primary = c.peek(named ? 2 : 0).is("PRIMARY") && c.peek(named ? 3 : 1).is("KEY");
    boolean unique = c.peek(named ? 2 : 0).is("UNIQUE") && c.peek(named ? 3 : 1).isSymbol("(");
    if (!primary && !unique) {
      return false;
    }
    do {
      if (c.accept("CONSTRAINT")) {
        c.identifier();
      }
      if (c.accept("PRIMARY")) {
        c.expect("KEY");
      } else {
        c.expect("UNIQUE");
      }
      c.expectSymbol("(");
      do {
        Token column = c.peek();
        String name = c.identifier();
        if (columns.stream().noneMatch(d -> d.name().equalsIgnoreCase(name))) {
          throw ParseErrors.at(
              c.sql(),
              column.start(),
              PlannerErrorCode.PARSE_SYNTAX_ERROR,
              "constraint column " + name + " is not a column of the table");
        }
      } while (c.acceptSymbol(","));
      c.expectSymbol(")");
    } while (c.acceptSymbol(","));
    return true;
  }

  private static boolean ifNotExists(TokenCursor c) {
    if (c.peek().is("IF")) {
      c.next();
      c.expect("NOT");
      c.expect("EXISTS");
      return true;
    }
    return false;
  }

  private static Optional<String> optionalComment(TokenCursor c) {
    if (c.accept("COMMENT")) {
      return Optional.of(c.stringLiteral());
    }
    return Optional.empty();
  }

  private static ParsedStatement drop(TokenCursor c) {
    c.expect("DROP");
    if (c.peek().is("GROUP")) {
      return GrantParser.dropGroup(c);
    }
    if (c.peek().is("VOLUME")) {
      return VolumeParser.dropVolume(c);
    }
    if (FunctionParser.atFunction(c)) {
      return FunctionParser.drop(c);
    }
    UnsupportedSyntax.object(c, "DROP")
        .ifPresent(
            e -> {
              throw e;
            });
    ObjectKind kind;
    if (c.accept("CATALOG")) {
      kind = ObjectKind.CATALOG;
    } else if (c.accept("SCHEMA") || c.accept("DATABASE")) {
      kind = ObjectKind.SCHEMA;
    } else if (c.accept("TABLE")) {
      kind = ObjectKind.TABLE;
    } else if (c.accept("VIEW")) {
      kind = ObjectKind.VIEW;
    } else if (c.accept("INDEX")) {
      boolean ifExists = false;
      if (c.accept("IF")) {
        c.expect("EXISTS");
        ifExists = true;
      }
      String name = c.identifier();
      c.expectEnd();
      return new ParsedStatement.DropIndex(name, ifExists);
    } else {
      throw c.error("expected CATALOG, SCHEMA, TABLE, VIEW or INDEX after DROP");
    }
    boolean ifExists = false;
    if (c.accept("IF")) {
      c.expect("EXISTS");
      ifExists = true;
    }
    List<String> name = c.qualifiedName();
    boolean cascade = c.accept("CASCADE");
    if (!cascade) {
      c.accept("RESTRICT");
    }
    c.expectEnd();
    return new ParsedStatement.Drop(kind, name, ifExists, cascade);
  }

  private static ParsedStatement use(TokenCursor c) {
    c.expect("USE");
    if (c.accept("CATALOG")) {
      String catalog = c.identifier();
      c.expectEnd();
      return new ParsedStatement.Use(Optional.of(catalog), Optional.empty());
    }
    if (!c.accept("SCHEMA")) {
      c.accept("DATABASE");
    }
    List<String> name = c.qualifiedName();
    c.expectEnd();
    if (name.size() == 1) {
      return new ParsedStatement.Use(Optional.empty(), Optional.of(name.get(0)));
    }
    if (name.size() == 2) {
      return new ParsedStatement.Use(Optional.of(name.get(0)), Optional.of(name.get(1)));
    }
    throw c.error("USE takes a schema name or catalog.schema");
  }

  private static ParsedStatement show(TokenCursor c) {
    if (c.peek(1).is("PARTITIONS")) {
      return GrammarStatementParser.parse(blankBefore(c.sql(), c.peek().start()));
    }
    c.expect("SHOW");
    if (c.accept("TBLPROPERTIES")) {
      List<String> table = c.qualifiedName();
      Optional<String> key = Optional.empty();
      if (c.acceptSymbol("(")) {
        key = Optional.of(AlterTableParser.propertyKey(c));
        c.expectSymbol(")");
      }
      c.expectEnd();
      return new ParsedStatement.ShowTblProperties(table, key);
    }
    if (c.accept("GRANTS") || c.accept("GRANT")) {
      return GrantParser.showGrants(c);
    }
    if (c.peek().is("USERS") || c.peek().is("GROUPS")) {
      return GrantParser.showPrincipals(c);
    }
    if (c.peek().is("VOLUMES")) {
      return VolumeParser.showVolumes(c);
    }
    if (c.peek().is("CREATE") && c.peek(1).is("TABLE")) {
      c.next();
      c.next();
      List<String> table = c.qualifiedName();
      if (c.accept("AS")) {
        // Hive's SERDE form; Delta tables have no SerDe, Databricks answers the same statement.
        c.expect("SERDE");
      }
      c.expectEnd();
      return new ParsedStatement.ShowCreateTable(table);
    }
    ShowKind kind;
    if (c.accept("CATALOGS")) {
      kind = ShowKind.CATALOGS;
    } else if (c.accept("SCHEMAS") || c.accept("DATABASES")) {
      kind = ShowKind.SCHEMAS;
    } else if (c.accept("TABLES")) {
      kind = ShowKind.TABLES;
    } else if (c.accept("VIEWS")) {
      kind = ShowKind.VIEWS;
    } else if (c.accept("COLUMNS")) {
      kind = ShowKind.COLUMNS;
    } else if (c.peek().is("FUNCTIONS")
        || ((c.peek().is("SYSTEM") || c.peek().is("ALL")) && c.peek(1).is("FUNCTIONS"))) {
      if (!c.accept("FUNCTIONS")) {
        c.next();
        c.expect("FUNCTIONS");
      }
      kind = ShowKind.FUNCTIONS;
    } else {
      throw c.error(
          "expected CATALOGS, SCHEMAS, TABLES, VIEWS, COLUMNS, FUNCTIONS, TBLPROPERTIES, GRANTS or"
              + " CREATE TABLE after SHOW");
    }
    if ((kind == ShowKind.TABLES || kind == ShowKind.COLUMNS)
        && c.peek().is("IN")
        && c.peek(1).is("CATALOG")) {
      return showInCatalog(c, kind);
    }
    List<String> in = List.of();
    if (c.accept("IN") || c.accept("FROM")) {
      in = c.qualifiedName();
      if (kind == ShowKind.COLUMNS && (c.accept("IN") || c.accept("FROM"))) {
        List<String> schema = c.qualifiedName();
        List<String> full = new ArrayList<>(schema);
        full.addAll(in);
        in = full;
      }
    }
    Optional<String> like = Optional.empty();
    if (c.accept("LIKE") || c.peek().kind() == Token.Kind.STRING) {
      like = Optional.of(c.stringLiteral());
    }
    c.expectEnd();
    if (kind == ShowKind.COLUMNS && in.isEmpty()) {
      throw c.error("SHOW COLUMNS needs IN table");
    }
    return new ParsedStatement.Show(kind, in, like);
  }

  /**
   * The form the Databricks JDBC driver sends for its metadata calls: {@code SHOW TABLES IN CATALOG
   * c [SCHEMA LIKE 's'] [LIKE 't']} and {@code SHOW COLUMNS IN CATALOG c [SCHEMA LIKE 's'] [TABLE
   * LIKE 't'] [LIKE 'col']}.
   */
  private static ParsedStatement showInCatalog(TokenCursor c, ShowKind kind) {
    c.expect("IN");
    c.expect("CATALOG");
    String catalog = c.identifier();
    Optional<String> schemaLike = Optional.empty();
    if (c.accept("SCHEMA")) {
      c.expect("LIKE");
      schemaLike = Optional.of(c.stringLiteral());
    }
    Optional<String> tableLike = Optional.empty();
    if (kind == ShowKind.COLUMNS && c.accept("TABLE")) {
      c.expect("LIKE");
      tableLike = Optional.of(c.stringLiteral());
    }
    Optional<String> like = Optional.empty();
    if (c.accept("LIKE")) {
      like = Optional.of(c.stringLiteral());
    }
    c.expectEnd();
    if (kind == ShowKind.TABLES) {
      return new ParsedStatement.ShowInCatalog(kind, catalog, schemaLike, like, Optional.empty());
    }
    return new ParsedStatement.ShowInCatalog(kind, catalog, schemaLike, tableLike, like);
  }

  private static ParsedStatement describe(TokenCursor c) {
    Token describe = c.next();
    if (c.peek().is("DETAIL") && c.peek(1).kind() != Token.Kind.END) {
      c.next();
      List<String> table = c.qualifiedName();
      c.expectEnd();
      return new ParsedStatement.DescribeDetail(table);
    }
    if (c.peek().is("HISTORY")) {
      return GrammarStatementParser.parse(blankBefore(c.sql(), describe.start()));
    }
    if (c.peek().is("VOLUME") && c.peek(1).kind() != Token.Kind.END) {
      return VolumeParser.describeVolume(c);
    }
    // DESCRIBE schema.t describes a table in a schema named "schema"; DESCRIBE SCHEMA s does not.
    if ((c.peek().is("CATALOG") || c.peek().is("SCHEMA") || c.peek().is("DATABASE"))
        && c.peek(1).kind() != Token.Kind.END
        && !c.peek(1).isSymbol(".")) {
      boolean catalog = c.next().is("CATALOG");
      boolean extended =
          c.peek().is("EXTENDED") && c.peek(1).kind() != Token.Kind.END && c.accept("EXTENDED");
      List<String> name = c.qualifiedName();
      c.expectEnd();
      if (name.size() > (catalog ? 1 : 2)) {
        throw new PlannerException(
            PlannerErrorCode.PARSE_SYNTAX_ERROR,
            (catalog ? "a catalog name has one part" : "a schema name has at most two parts")
                + ": "
                + String.join(".", name));
      }
      return new ParsedStatement.DescribeNamespace(catalog, name, extended);
    }
    if (c.accept("FUNCTION")) {
      boolean extended = c.accept("EXTENDED");
      String name = String.join(".", c.qualifiedName());
      c.expectEnd();
      return new ParsedStatement.DescribeFunction(name, extended);
    }
    // Databricks: DESCRIBE [TABLE] [EXTENDED | FORMATTED] name (a table may be named "extended").
    boolean tableWord =
        c.peek().is("TABLE") && c.peek(1).kind() != Token.Kind.END && c.accept("TABLE");
    boolean extended = false;
    if ((c.peek().is("EXTENDED") || c.peek().is("FORMATTED"))
        && c.peek(1).kind() != Token.Kind.END) {
      c.next();
      extended = true;
    }
    if (!tableWord && extended && c.peek().is("TABLE") && c.peek(1).kind() != Token.Kind.END) {
      c.next(); // DESCRIBE EXTENDED TABLE name, accepted as before
    }
    List<String> table = c.qualifiedName();
    c.expectEnd();
    return new ParsedStatement.Describe(table, extended);
  }
}

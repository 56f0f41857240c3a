package io.aquifer.planner.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.planner.PlannerException;
import io.aquifer.planner.QueryPlanner;
import io.aquifer.planner.parse.impl.AquiferSqlParserImpl;
import io.aquifer.storage.types.PrimitiveType;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlAbstractParserImpl;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.junit.jupiter.api.Test;

/** Databricks statements that use Calcite's reserved words as names (issue 10). */
class NonReservedWordsTest {

  /** Queries and DML as pasted from Databricks; each parses through StatementParser and Calcite. */
  private static final List<String> STATEMENTS =
      List.of(
          "SELECT * FROM main.default.t",
          "SELECT * FROM default.t",
          "SELECT t.value FROM default.t AS t",
          "SELECT 1 AS next",
          "SELECT value, year, month, day, date, timestamp, user, comment, position, result,"
              + " language, name FROM t",
          "SELECT date FROM t",
          "SELECT time, timestamp FROM t",
          "SELECT value FROM t WHERE value > 1",
          "SELECT year, count(*) FROM t GROUP BY year",
          "SELECT sum(value) AS total FROM t GROUP BY date ORDER BY date DESC",
          "SELECT date, value FROM t WHERE date > DATE '2024-01-01'",
          "SELECT * FROM t WHERE date BETWEEN DATE '2024-01-01' AND DATE '2024-02-01'",
          "SELECT CAST(x AS DATE) AS date FROM t",
          "SELECT x date, y AS timestamp, z AS default, w AS range, v AS rows FROM t",
          "SELECT range, row, rows, current, partition, next, uuid, variant, snapshot, pattern,"
              + " measure, new, ordinal, skip, stream, define, monday FROM t",
          "SELECT t.default, t.date, struct.timestamp FROM t",
          "SELECT a.date, b.timestamp FROM t a JOIN s b ON a.date = b.date",
          "SELECT sum(x) OVER (PARTITION BY date ORDER BY timestamp"
              + " ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) FROM t",
          "SELECT sum(x) OVER (ORDER BY x RANGE BETWEEN 1 PRECEDING AND CURRENT ROW) FROM t",
          "WITH default AS (SELECT 1 AS date) SELECT date FROM default",
          "SELECT * FROM t AS range",
          "SELECT date(x), timestamp(x), year(x) FROM t",
          "SELECT x FROM t LIMIT 1 OFFSET 2",
          "INSERT INTO t (value, year, date) VALUES (1, 2024, DATE '2024-01-01')",
          "INSERT INTO default.t VALUES (1)",
          "INSERT INTO main.default.t (date, timestamp) SELECT date, timestamp FROM main.default.s",
          "INSERT OVERWRITE main.default.t SELECT * FROM main.default.s",
          "UPDATE default.t SET date = DATE '2024-01-01', value = 2 WHERE year = 2024",
          "DELETE FROM default.t WHERE date IS NULL",
          "MERGE INTO default.t AS t USING default.s AS s ON t.date = s.date"
              + " WHEN MATCHED THEN UPDATE SET value = s.value");

  private static SqlNode calcite(String sql) throws SqlParseException {
    ParsedStatement s = StatementParser.parse(sql);
    String text =
        s instanceof ParsedStatement.Query q
            ? q.calciteSql()
            : ((ParsedStatement.Dml) s).calciteSql();
    return SqlParser.create(NonReservedWords.quote(text), QueryPlanner.parserConfig()).parseStmt();
  }

  @Test
  void databricksStatementsWithReservedWordsAsNamesParse() {
    List<String> failed = new ArrayList<>();
    for (String sql : STATEMENTS) {
      try {
        calcite(sql);
      } catch (SqlParseException | PlannerException e) {
        failed.add(sql + " -> " + e.getMessage().lines().findFirst().orElse(""));
      }
    }
    assertEquals(List.of(), failed);
  }

  @Test
  void wordsUsedAsNamesAreQuotedAndKeywordsAreNot() {
    assertEquals("SELECT 1 AS `next`", NonReservedWords.quote("SELECT 1 AS next"));
    assertEquals(
        "SELECT `date` FROM main.`default`.t WHERE `date` > DATE '2024-01-01'",
        NonReservedWords.quote("SELECT date FROM main.default.t WHERE date > DATE '2024-01-01'"));
    assertEquals(
        "SELECT CAST(`date` AS TIMESTAMP), TRY_CAST(x AS DATE) FROM t",
        NonReservedWords.quote("SELECT CAST(date AS TIMESTAMP), TRY_CAST(x AS DATE) FROM t"));
    assertEquals(
        "SELECT CAST((SELECT `date` FROM t) AS DATE)",
        NonReservedWords.quote("SELECT CAST((SELECT date FROM t) AS DATE)"));
    assertEquals(
        "INSERT INTO t VALUES (1, DEFAULT), (DEFAULT, 2)",
        NonReservedWords.quote("INSERT INTO t VALUES (1, DEFAULT), (DEFAULT, 2)"));
    assertEquals("UPDATE t SET a = DEFAULT", NonReservedWords.quote("UPDATE t SET a = DEFAULT"));
    assertEquals(
        "UPDATE t SET a = DEFAULT WHERE b = 1",
        NonReservedWords.quote("UPDATE t SET a = DEFAULT WHERE b = 1"));
    String window =
        "SELECT sum(x) OVER (PARTITION BY a ORDER BY b ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)";
    assertEquals(window, NonReservedWords.quote(window));
    String plain = "SELECT a FROM t";
    assertEquals(plain, NonReservedWords.quote(plain));
  }

  @Test
  void namesKeepTheirSpellingAndKeywordsTheirMeaning() throws SqlParseException {
    assertTrue(calcite("SELECT 1 AS next").toString().contains("`next`"));
    String literal = calcite("SELECT DATE '2024-01-01'").toString();
    assertTrue(literal.contains("DATE '2024-01-01'"), literal);
    String values = calcite("INSERT INTO t VALUES (1, DEFAULT)").toString();
    assertTrue(values.contains("DEFAULT"), values);
    assertTrue(!values.contains("`DEFAULT`"), values);
  }

  @Test
  void ddlUseAndShowTakeDefaultAsASchemaName() {
    var create = (ParsedStatement.CreateSchema) StatementParser.parse("CREATE SCHEMA default");
    assertEquals(List.of("default"), create.name());
    var qualified =
        (ParsedStatement.CreateSchema)
            StatementParser.parse("CREATE SCHEMA IF NOT EXISTS main.default");
    assertEquals(List.of("main", "default"), qualified.name());
    var use = (ParsedStatement.Use) StatementParser.parse("USE default");
    assertEquals(Optional.of("default"), use.schema());
    var useSchema = (ParsedStatement.Use) StatementParser.parse("USE SCHEMA main.default");
    assertEquals(Optional.of("main"), useSchema.catalog());
    assertEquals(Optional.of("default"), useSchema.schema());
    var show = (ParsedStatement.Show) StatementParser.parse("SHOW TABLES IN default");
    assertEquals(List.of("default"), show.in());
    var table =
        (ParsedStatement.CreateTable)
            StatementParser.parse(
                "CREATE TABLE main.default.t (value INT, year INT, date DATE, timestamp TIMESTAMP,"
                    + " next STRING, default INT)");
    assertEquals(List.of("main", "default", "t"), table.name());
    assertEquals(
        List.of("value", "year", "date", "timestamp", "next", "default"),
        table.columns().stream().map(ParsedStatement.ColumnDefinition::name).toList());
    assertEquals(PrimitiveType.DATE, table.columns().get(2).type());
    assertInstanceOf(
        ParsedStatement.Describe.class, StatementParser.parse("DESCRIBE TABLE main.default.t"));
    assertInstanceOf(ParsedStatement.Drop.class, StatementParser.parse("DROP SCHEMA default"));
  }

  @Test
  void aColumnDefaultIsAnExpressionNotAColumnName() {
    var table =
        (ParsedStatement.CreateTable)
            StatementParser.parse("CREATE TABLE t (a INT DEFAULT 1, `default` INT)");
    assertEquals(java.util.Optional.of("1"), table.columns().get(0).defaultValue());
    assertEquals("default", table.columns().get(1).name());
  }

  /**
   * Every word Calcite reserves is either listed as one Databricks reads as a name, or one
   * Databricks SQL uses as a keyword in the same places; a Calcite upgrade that reserves more fails
   * here until the word is classified.
   */
  @Test
  void everyCalciteReservedWordIsClassified() {
    Set<String> databricksKeywords =
        Set.of(
            "ANY",
            "BY",
            "CALL",
            "CASE",
            "CREATE",
            "CROSS",
            "DELETE",
            "DESCRIBE",
            "DISTINCT",
            "DROP",
            "END-EXEC",
            "EXCEPT",
            "EXPLAIN",
            "FETCH",
            "FROM",
            "FULL",
            "GRANT",
            "GROUP",
            "GROUPING",
            "HAVING",
            "IN",
            "INNER",
            "INSERT",
            "INTERSECT",
            "INTERVAL",
            "INTO",
            "JOIN",
            "LATERAL",
            "LEFT",
            "LIMIT",
            "MATCH_RECOGNIZE",
            "MERGE",
            "MINUS",
            "NATURAL",
            "NULL",
            "OFFSET",
            "ON",
            "ORDER",
            "OUTER",
            "OVER",
            "QUALIFY",
            "RIGHT",
            "ROLLUP",
            "SAFE_CAST",
            "SELECT",
            "SET",
            "SOME",
            "TABLE",
            "TABLESAMPLE",
            "THEN",
            "TRY_CAST",
            "UNION",
            "UNNEST",
            "UPDATE",
            "USING",
            "VALUES",
            "WHEN",
            "WHERE",
            "WINDOW",
            "WITH");
    var metadata =
        ((SqlAbstractParserImpl) AquiferSqlParserImpl.FACTORY.getParser(new StringReader("")))
            .getMetadata();
    Set<String> unclassified = new TreeSet<>();
    for (String token : metadata.getTokens()) {
      if (metadata.isReservedWord(token)
          && !NonReservedWords.WORDS.contains(token)
          && !databricksKeywords.contains(token)) {
        unclassified.add(token);
      }
    }
    assertEquals(Set.of(), unclassified);
    Set<String> noLongerReserved = new TreeSet<>();
    for (String word : NonReservedWords.WORDS) {
      if (!metadata.isReservedWord(word)) {
        noLongerReserved.add(word);
      }
    }
    assertEquals(Set.of(), noLongerReserved);
  }
}

package io.aquifer.planner.calcite;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.aquifer.planner.QueryPlanner;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.parser.SqlParser;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The names {@link SparkColumnNames} gives unaliased select items, before and after: the parsed
 * SELECT list, then the aliases it carries. End to end (through a driver) in the conformance tests'
 * {@code semantics/column_names.test}.
 */
class SparkColumnNamesTest {
  @org.junit.jupiter.api.Test
  void longNamesAreCut() throws Exception {
    String value = "x".repeat(100_000);
    SqlNode node =
        SqlParser.create("SELECT '" + value + "'", QueryPlanner.parserConfig()).parseStmt();
    SparkColumnNames.apply(node);
    String name = ((SqlCall) ((SqlSelect) node).getSelectList().get(0)).operand(1).toString();
    assertEquals(SparkColumnNames.MAX_NAME_LENGTH, name.length());
    assertEquals("x".repeat(SparkColumnNames.MAX_NAME_LENGTH - 3) + "...", name);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiterString = "=>",
      quoteCharacter = '"',
      textBlock =
          """
          SELECT count(*) FROM t                      => count(1)
          SELECT COUNT(DISTINCT a) FROM t             => count(DISTINCT a)
          SELECT 1 + 1                                => (1 + 1)
          SELECT upper(t.name) FROM t                 => upper(name)
          SELECT t.x, y FROM t                        => x;y
          SELECT CAST(a AS INT) FROM t                => a
          SELECT CAST('10' AS INT)                    => CAST(10 AS INT)
          SELECT CAST(a AS DECIMAL(10, 2)) + 1 FROM t => (CAST(a AS DECIMAL(10,2)) + 1)
          SELECT 1, 'a', 2.50                         => 1;a;2.50
          SELECT -1, -a FROM t                        => -1;(- a)
          SELECT a * 2 + 1, a >= 1 AND b < 2 FROM t   => ((a * 2) + 1);((a >= 1) AND (b < 2))
          SELECT a <> 1, NOT a = 1 FROM t             => (NOT (a = 1));(NOT (a = 1))
          SELECT a IS NULL, a IS NOT NULL FROM t      => (a IS NULL);(a IS NOT NULL)
          SELECT a IN (1, 2), a NOT IN (3) FROM t     => (a IN (1, 2));(NOT (a IN (3)))
          SELECT CASE a WHEN 1 THEN 'x' END FROM t    => CASE WHEN (a = 1) THEN x END
          SELECT if(a < 2, 'a', 'b') FROM t           => (IF((a < 2), a, b))
          SELECT 'x' || name FROM t                   => concat(x, name)
          SELECT a BETWEEN 1 AND 2 FROM t             => between(a, 1, 2)
          SELECT coalesce(a, 0), Round(x, 2) FROM t   => coalesce(a, 0);round(x, 2)
          SELECT (SELECT max(a) FROM t)               => scalarsubquery()
          SELECT CAST(a AS INT) FROM t GROUP BY a     => CAST(a AS INT)
          SELECT CAST(a AS INT) FROM t ORDER BY a     => CAST(a AS INT)
          SELECT 'b', b FROM t                        => 'b';b
          SELECT count(*) AS n FROM t                 => n
          """)
  void namesUnaliasedItems(String sql, String expected) throws Exception {
    SqlNode node = SqlParser.create(sql, QueryPlanner.parserConfig()).parseStmt();
    SparkColumnNames.apply(node);
    SqlSelect select = node instanceof SqlOrderBy o ? (SqlSelect) o.query : (SqlSelect) node;
    List<String> names = new ArrayList<>();
    for (SqlNode item : select.getSelectList()) {
      names.add(
          item.getKind() == SqlKind.AS
              ? ((SqlCall) item).operand(1).toString().replace("`", "")
              : item instanceof org.apache.calcite.sql.SqlIdentifier id
                  ? id.names.get(id.names.size() - 1)
                  : item.toString());
    }
    assertEquals(expected, String.join(";", names), sql);
  }
}

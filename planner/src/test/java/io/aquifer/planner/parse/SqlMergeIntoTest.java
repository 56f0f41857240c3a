package io.aquifer.planner.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.aquifer.planner.QueryPlanner;
import io.aquifer.planner.parse.SqlMergeInto.Action;
import io.aquifer.planner.parse.SqlMergeInto.When;
import java.util.List;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.junit.jupiter.api.Test;

/** MERGE INTO with Databricks' clauses, as the generated parser reads it. */
class SqlMergeIntoTest {

  private static SqlMergeInto parse(String sql) throws SqlParseException {
    ParsedStatement.Dml dml = (ParsedStatement.Dml) StatementParser.parse(sql);
    return assertInstanceOf(
        SqlMergeInto.class,
        SqlParser.create(NonReservedWords.quote(dml.calciteSql()), QueryPlanner.parserConfig())
            .parseStmt());
  }

  @Test
  void everyClauseFormKeepsItsOrder() throws SqlParseException {
    SqlMergeInto m =
        parse(
            "MERGE INTO s.t AS t USING s.u AS u ON t.id = u.id"
                + " WHEN MATCHED AND u.op = 'd' THEN DELETE"
                + " WHEN MATCHED AND u.op = 'x' THEN UPDATE SET *"
                + " WHEN MATCHED THEN UPDATE SET a = u.a, b = DEFAULT"
                + " WHEN NOT MATCHED BY TARGET AND u.a > 1 THEN INSERT *"
                + " WHEN NOT MATCHED THEN INSERT (id, a) VALUES (u.id, u.a)"
                + " WHEN NOT MATCHED BY SOURCE AND t.a < 0 THEN DELETE"
                + " WHEN NOT MATCHED BY SOURCE THEN UPDATE SET a = 0");
    assertEquals("t", m.alias().getSimple());
    List<SqlMergeInto.Clause> c = m.clauses();
    assertEquals(
        List.of(
            When.MATCHED,
            When.MATCHED,
            When.MATCHED,
            When.NOT_MATCHED,
            When.NOT_MATCHED,
            When.NOT_MATCHED_BY_SOURCE,
            When.NOT_MATCHED_BY_SOURCE),
        c.stream().map(SqlMergeInto.Clause::when).toList());
    assertEquals(
        List.of(
            Action.DELETE,
            Action.UPDATE_STAR,
            Action.UPDATE,
            Action.INSERT_STAR,
            Action.INSERT,
            Action.DELETE,
            Action.UPDATE),
        c.stream().map(SqlMergeInto.Clause::action).toList());
    assertEquals(2, c.get(2).values().size());
    assertNull(c.get(2).condition());
    assertEquals(2, c.get(4).columns().size());
  }

  @Test
  void actionsThatDoNotFitTheClauseAreSyntaxErrors() {
    for (String clause :
        List.of(
            "WHEN NOT MATCHED THEN DELETE",
            "WHEN NOT MATCHED THEN UPDATE SET a = 1",
            "WHEN MATCHED THEN INSERT *",
            "WHEN NOT MATCHED BY SOURCE THEN UPDATE SET *",
            "WHEN NOT MATCHED BY SOURCE THEN INSERT *",
            "WHEN NOT MATCHED BY NOBODY THEN INSERT *")) {
      assertThrows(
          SqlParseException.class,
          () -> parse("MERGE INTO t USING u ON t.id = u.id " + clause),
          clause);
    }
  }
}

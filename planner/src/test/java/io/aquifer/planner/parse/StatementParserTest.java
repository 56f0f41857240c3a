package io.aquifer.planner.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.planner.PlannerErrorCode;
import io.aquifer.planner.PlannerException;
import io.aquifer.storage.types.ArrayType;
import io.aquifer.storage.types.DecimalType;
import io.aquifer.storage.types.MapType;
import io.aquifer.storage.types.PrimitiveType;
import io.aquifer.storage.types.StructType;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatementParserTest {

  @Test
  void createTableWithEveryTypeAndClauses() {
    var s =
        (ParsedStatement.CreateTable)
            StatementParser.parse(
                "CREATE TABLE IF NOT EXISTS c.s.`my table` (a INT NOT NULL COMMENT 'key', b DECIMAL(15,2),"
                    + " c ARRAY<STRING>, d MAP<STRING, BIGINT>, e STRUCT<x: INT, y DATE>,"
                    + " f TIMESTAMP_NTZ, g BINARY) USING DELTA PARTITIONED BY (b) COMMENT 'demo'"
                    + " TBLPROPERTIES ('delta.appendOnly' = 'false')");
    assertEquals(List.of("c", "s", "my table"), s.name());
    assertTrue(s.ifNotExists());
    assertEquals(7, s.columns().size());
    assertFalse(s.columns().get(0).nullable());
    assertEquals(Optional.of("key"), s.columns().get(0).comment());
    assertEquals(new DecimalType(15, 2), s.columns().get(1).type());
    assertEquals(new ArrayType(PrimitiveType.STRING, true), s.columns().get(2).type());
    assertInstanceOf(MapType.class, s.columns().get(3).type());
    assertEquals(2, ((StructType) s.columns().get(4).type()).fields().size());
    assertEquals(PrimitiveType.TIMESTAMP_NTZ, s.columns().get(5).type());
    assertEquals(List.of("b"), s.partitionedBy());
    assertEquals(Optional.of("demo"), s.comment());
    assertEquals("false", s.properties().get("delta.appendOnly"));
  }

  @Test
  void createTableAsKeepsPositionsOfTheQuery() {
    String sql = "CREATE TABLE t AS\nSELECT x FROM y";
    var s = (ParsedStatement.CreateTable) StatementParser.parse(sql);
    String query = s.asQuery().orElseThrow();
    assertEquals(sql.length(), query.length());
    assertEquals(sql.indexOf("SELECT"), query.indexOf("SELECT"));
  }

  @Test
  void timeTravelFoldsIntoTheTableNameWithoutMovingLaterText() {
    String sql = "SELECT * FROM t VERSION AS OF 3 WHERE bad";
    var q = (ParsedStatement.Query) StatementParser.parse(sql);
    assertTrue(q.calciteSql().contains("`t@v3`"), q.calciteSql());
    assertEquals(sql.indexOf("WHERE"), q.calciteSql().indexOf("WHERE"));
    var at = (ParsedStatement.Query) StatementParser.parse("SELECT * FROM t@v12");
    assertTrue(at.calciteSql().contains("`t@v12`"), at.calciteSql());
    var ts =
        (ParsedStatement.Query)
            StatementParser.parse("SELECT * FROM s.t TIMESTAMP AS OF '1970-01-01 00:00:01'");
    assertTrue(ts.calciteSql().contains("`t@ts1000`"), ts.calciteSql());
  }

  @Test
  void badTimeTravelPointsAtTheValue() {
    PlannerException e =
        assertThrows(
            PlannerException.class,
            () -> StatementParser.parse("SELECT * FROM t TIMESTAMP AS OF 'yesterday'"));
    assertEquals(PlannerErrorCode.INVALID_TIME_TRAVEL_SPEC, e.code());
    assertEquals(33, e.column().getAsInt());
  }

  @Test
  void insertOverwriteBecomesInsertIntoWithTheFlag() {
    var d = (ParsedStatement.Dml) StatementParser.parse("INSERT OVERWRITE TABLE t SELECT 1");
    assertTrue(d.overwrite());
    assertTrue(d.calciteSql().startsWith("INSERT INTO"), d.calciteSql());
  }

  @Test
  void doubleQuotedAndEscapedStringsBecomeStandard() {
    var q = (ParsedStatement.Query) StatementParser.parse("SELECT \"a'b\", 'c\\'d'");
    assertEquals("SELECT 'a''b', 'c''d'", q.calciteSql());
  }

  @Test
  void utilityStatements() {
    assertEquals(
        new ParsedStatement.Use(Optional.of("c"), Optional.empty()),
        StatementParser.parse("USE CATALOG c"));
    assertEquals(
        new ParsedStatement.Use(Optional.of("c"), Optional.of("s")),
        StatementParser.parse("use c.s;"));
    var show = (ParsedStatement.Show) StatementParser.parse("SHOW TABLES IN c.s LIKE 'a*'");
    assertEquals(ParsedStatement.ShowKind.TABLES, show.kind());
    assertEquals(List.of("c", "s"), show.in());
    assertEquals(Optional.of("a*"), show.like());
    // The Databricks JDBC driver's metadata listings (REST mode).
    assertEquals(
        new ParsedStatement.ShowInCatalog(
            ParsedStatement.ShowKind.TABLES,
            "main",
            Optional.of("default"),
            Optional.of("*"),
            Optional.empty()),
        StatementParser.parse("SHOW TABLES IN CATALOG `main` SCHEMA LIKE 'default' LIKE '*'"));
    assertEquals(
        new ParsedStatement.ShowInCatalog(
            ParsedStatement.ShowKind.COLUMNS,
            "main",
            Optional.of("def*"),
            Optional.of("t1"),
            Optional.of("*")),
        StatementParser.parse(
            "SHOW COLUMNS IN CATALOG `main` SCHEMA LIKE 'def*' TABLE LIKE 't1' LIKE '*'"));
    var drop = (ParsedStatement.Drop) StatementParser.parse("DROP SCHEMA IF EXISTS c.s CASCADE");
    assertTrue(drop.ifExists() && drop.cascade());
    assertInstanceOf(
        ParsedStatement.DescribeHistory.class, StatementParser.parse("DESCRIBE HISTORY t"));
    var describe = (ParsedStatement.Describe) StatementParser.parse("DESC EXTENDED a.b.c");
    assertTrue(describe.extended());
    // Databricks' order: DESCRIBE [TABLE] [EXTENDED | FORMATTED] name.
    assertEquals(
        new ParsedStatement.Describe(List.of("a", "b", "c"), true),
        StatementParser.parse("DESCRIBE TABLE EXTENDED a.b.c"));
    assertEquals(
        new ParsedStatement.Describe(List.of("t"), true),
        StatementParser.parse("DESCRIBE TABLE FORMATTED t"));
    assertEquals(
        new ParsedStatement.Describe(List.of("a", "b"), false),
        StatementParser.parse("DESCRIBE TABLE a.b"));
    assertEquals(
        new ParsedStatement.Describe(List.of("extended"), false),
        StatementParser.parse("DESCRIBE TABLE extended"));
    assertEquals(
        new ParsedStatement.Describe(List.of("extended"), true),
        StatementParser.parse("DESCRIBE EXTENDED extended"));
    assertEquals(
        new ParsedStatement.Describe(List.of("t"), true),
        StatementParser.parse("DESC EXTENDED TABLE t"));
    assertEquals(
        new ParsedStatement.DescribeNamespace(true, List.of("c"), false),
        StatementParser.parse("DESCRIBE CATALOG c"));
    assertEquals(
        new ParsedStatement.DescribeNamespace(false, List.of("c", "s"), true),
        StatementParser.parse("DESCRIBE SCHEMA EXTENDED c.s"));
    assertEquals(
        new ParsedStatement.DescribeNamespace(false, List.of("s"), false),
        StatementParser.parse("DESC DATABASE s"));
    assertEquals(
        new ParsedStatement.Describe(List.of("schema", "t"), false),
        StatementParser.parse("DESCRIBE schema.t"));
    assertEquals(
        new ParsedStatement.Describe(List.of("catalog"), false),
        StatementParser.parse("DESCRIBE catalog"));
    assertThrows(PlannerException.class, () -> StatementParser.parse("DESCRIBE CATALOG a.b"));
    var functions = (ParsedStatement.Show) StatementParser.parse("SHOW SYSTEM FUNCTIONS 'date*'");
    assertEquals(ParsedStatement.ShowKind.FUNCTIONS, functions.kind());
    assertEquals(Optional.of("date*"), functions.like());
    assertEquals(
        new ParsedStatement.DescribeFunction("date_trunc", true),
        StatementParser.parse("DESCRIBE FUNCTION EXTENDED date_trunc"));
  }

  @Test
  void parsesSqlFunctionsRowFiltersAndColumnMasks() {
    assertEquals(
        new ParsedStatement.CreateFunction(
            List.of("c", "s", "f"),
            List.of(
                new ParsedStatement.FunctionParameter("r", "STRING"),
                new ParsedStatement.FunctionParameter("n", "DECIMAL(10, 2)")),
            "BOOLEAN",
            "is_account_group_member('admins') OR r = 'eu'",
            Optional.of("who sees what"),
            true,
            false),
        StatementParser.parse(
            "CREATE OR REPLACE FUNCTION c.s.f(r STRING, n DECIMAL(10, 2)) RETURNS BOOLEAN"
                + " COMMENT 'who sees what' DETERMINISTIC"
                + " RETURN is_account_group_member('admins') OR r = 'eu';"));
    var query =
        (ParsedStatement.CreateFunction)
            StatementParser.parse("CREATE FUNCTION IF NOT EXISTS f() RETURN SELECT max(x) FROM t");
    assertEquals("(SELECT max(x) FROM t)", query.body());
    assertTrue(query.ifNotExists() && query.parameters().isEmpty() && query.returnType().isEmpty());
    assertEquals(
        new ParsedStatement.DropFunction(List.of("s", "f"), true),
        StatementParser.parse("DROP FUNCTION IF EXISTS s.f"));
    assertEquals(
        new ParsedStatement.SetTablePolicy(
            List.of("t"), Optional.empty(), List.of("s", "f"), List.of("region", "id")),
        StatementParser.parse("ALTER TABLE t SET ROW FILTER s.f ON (region, id)"));
    assertEquals(
        new ParsedStatement.DropTablePolicy(List.of("a", "b", "t"), Optional.empty()),
        StatementParser.parse("ALTER TABLE a.b.t DROP ROW FILTER"));
    assertEquals(
        new ParsedStatement.SetTablePolicy(
            List.of("t"), Optional.of("ssn"), List.of("mask"), List.of("region")),
        StatementParser.parse(
            "ALTER TABLE t ALTER COLUMN ssn SET MASK mask USING COLUMNS (region)"));
    assertEquals(
        new ParsedStatement.SetTablePolicy(
            List.of("t"), Optional.of("ssn"), List.of("m"), List.of()),
        StatementParser.parse("ALTER TABLE t ALTER COLUMN ssn SET MASK m"));
    assertEquals(
        new ParsedStatement.DropTablePolicy(List.of("t"), Optional.of("ssn")),
        StatementParser.parse("ALTER TABLE t ALTER COLUMN ssn DROP MASK"));
    for (String unsupported :
        List.of(
            "CREATE FUNCTION f(x INT) RETURNS TABLE (y INT) RETURN SELECT x",
            "CREATE FUNCTION f(x INT) RETURNS INT LANGUAGE PYTHON AS 'return x'",
            "CREATE FUNCTION f(x INT DEFAULT 1) RETURNS INT RETURN x",
            "CREATE TEMPORARY FUNCTION f(x INT) RETURNS INT RETURN x")) {
      PlannerException e =
          assertThrows(PlannerException.class, () -> StatementParser.parse(unsupported));
      assertEquals(PlannerErrorCode.UNSUPPORTED_FEATURE, e.code(), unsupported);
    }
    assertThrows(
        PlannerException.class, () -> StatementParser.parse("CREATE FUNCTION f(x) RETURN x"));
    assertThrows(
        PlannerException.class,
        () -> StatementParser.parse("CREATE FUNCTION f(x INT) RETURNS INT"));
  }

  @Test
  void syntaxErrorsSayWhereAndWhat() {
    PlannerException e =
        assertThrows(
            PlannerException.class, () -> StatementParser.parse("CREATE TABLE t (a INTEGR)"));
    assertEquals(PlannerErrorCode.PARSE_SYNTAX_ERROR, e.code());
    assertEquals(1, e.line().getAsInt());
    assertEquals(19, e.column().getAsInt());
    assertTrue(e.getMessage().contains("INTEGR"), e.getMessage());
    PlannerException unknown =
        assertThrows(PlannerException.class, () -> StatementParser.parse("\n  FROBNICATE x"));
    assertEquals(2, unknown.line().getAsInt());
    assertEquals(3, unknown.column().getAsInt());
    assertThrows(PlannerException.class, () -> StatementParser.parse("SELECT 'unclosed"));
    assertThrows(PlannerException.class, () -> StatementParser.parse("   "));
  }

  @Test
  void primaryKeyAndUniqueConstraintsAreInformational() {
    var s =
        (ParsedStatement.CreateTable)
            StatementParser.parse(
                "CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT UNIQUE NOT NULL, c INT,"
                    + " CONSTRAINT pk PRIMARY KEY (a, c), UNIQUE (b))");
    assertEquals(List.of("a", "b", "c"), s.columns().stream().map(c -> c.name()).toList());
    assertTrue(s.columns().get(0).nullable());
    assertFalse(s.columns().get(1).nullable());
    PlannerException e =
        assertThrows(
            PlannerException.class,
            () -> StatementParser.parse("CREATE TABLE t (a INT, PRIMARY KEY (nope))"));
    assertTrue(e.getMessage().contains("nope"), e.getMessage());
  }

  @Test
  void createIndexIsParsedAndDropIndexToo() {
    var i =
        (ParsedStatement.CreateIndex)
            StatementParser.parse(
                "CREATE UNIQUE INDEX IF NOT EXISTS t8all ON s.t8(e8 DESC, d8 ASC, c8)");
    assertEquals("t8all", i.name());
    assertEquals(List.of("s", "t8"), i.table());
    assertEquals(List.of("e8", "d8", "c8"), i.columns());
    assertTrue(i.ifNotExists());
    var d = (ParsedStatement.DropIndex) StatementParser.parse("DROP INDEX IF EXISTS t1i1;");
    assertEquals("t1i1", d.name());
    assertTrue(d.ifExists());
    assertThrows(PlannerException.class, () -> StatementParser.parse("CREATE INDEX i ON t"));
  }

  @Test
  void createTableWithLocationRegistersAnExternalTable() {
    var s =
        (ParsedStatement.CreateTable)
            StatementParser.parse("CREATE TABLE ext LOCATION '/data/external/golden' COMMENT 'x'");
    assertEquals(Optional.of("/data/external/golden"), s.location());
    assertTrue(s.columns().isEmpty());
    assertThrows(
        PlannerException.class,
        () -> StatementParser.parse("CREATE TABLE ext LOCATION '/x' AS SELECT 1"));
    assertThrows(
        PlannerException.class, () -> StatementParser.parse("CREATE TABLE ext LOCATION ''"));
  }

  @Test
  void oversizedStatementsAreRefusedBeforePlanning() {
    PlannerException nesting =
        assertThrows(
            PlannerException.class,
            () -> StatementParser.parse("SELECT " + "(".repeat(129) + "1" + ")".repeat(129)));
    assertEquals(PlannerErrorCode.STATEMENT_TOO_COMPLEX, nesting.code());
    StatementParser.parse("SELECT " + "(".repeat(128) + "1" + ")".repeat(128));
    PlannerException tokens =
        assertThrows(
            PlannerException.class,
            () -> StatementParser.parse("SELECT 1" + ", 1".repeat(StatementParser.MAX_TOKENS)));
    assertEquals(PlannerErrorCode.STATEMENT_TOO_COMPLEX, tokens.code());
    PlannerException binary =
        assertThrows(
            PlannerException.class,
            () -> StatementParser.parse("SELECT X'" + "ab".repeat(60_000) + "'"));
    assertEquals(PlannerErrorCode.STATEMENT_TOO_COMPLEX, binary.code());
    PlannerException nul =
        assertThrows(PlannerException.class, () -> StatementParser.parse("SELECT 'a\0b'"));
    assertEquals(PlannerErrorCode.PARSE_SYNTAX_ERROR, nul.code());
  }

  @Test
  void backslashEscapesByteOrderMarksAndPrefixedStrings() {
    var q = (ParsedStatement.Query) StatementParser.parse("SELECT 'c\\\\', 'it\\'s', '\\u00e9'");
    assertTrue(q.calciteSql().contains("'c\\'"), q.calciteSql());
    assertTrue(q.calciteSql().contains("'it''s'"), q.calciteSql());
    assertTrue(q.calciteSql().contains("'\u00e9'"), q.calciteSql());
    var bom = (ParsedStatement.Query) StatementParser.parse("\uFEFFSELECT 1");
    assertEquals(" SELECT 1", bom.calciteSql());
    for (String sql : List.of("SELECT U&'\\00e9'", "SELECT E'\\x41'", "SELECT e'a'")) {
      PlannerException e = assertThrows(PlannerException.class, () -> StatementParser.parse(sql));
      assertEquals(PlannerErrorCode.PARSE_SYNTAX_ERROR, e.code(), sql);
    }
    assertInstanceOf(ParsedStatement.Query.class, StatementParser.parse("SELECT e FROM t"));
  }

  @Test
  void tooManyCombinedQueriesAreRefusedBeforePlanning() {
    String within = String.join(" UNION ALL ", java.util.Collections.nCopies(400, "SELECT 1"));
    assertInstanceOf(ParsedStatement.Query.class, StatementParser.parse(within));
    PlannerException e =
        assertThrows(
            PlannerException.class, () -> StatementParser.parse(within + " UNION ALL SELECT 2"));
    assertEquals(PlannerErrorCode.STATEMENT_TOO_COMPLEX, e.code());
    assertTrue(e.getMessage().contains("the limit is 400"), e.getMessage());
  }

  @Test
  void tooWideSelectListsAreRefusedBeforePlanning() {
    String items = String.join(", ", java.util.Collections.nCopies(1_000, "f(a, b)"));
    assertInstanceOf(
        ParsedStatement.Query.class,
        StatementParser.parse("SELECT " + items + " FROM (SELECT " + items + " FROM t)"));
    PlannerException e =
        assertThrows(
            PlannerException.class, () -> StatementParser.parse("SELECT " + items + ", 1 FROM t"));
    assertEquals(PlannerErrorCode.STATEMENT_TOO_COMPLEX, e.code());
    assertTrue(e.getMessage().contains("the limit is 1000"), e.getMessage());
  }

  @Test
  void alterTableForms() {
    var add =
        (ParsedStatement.AlterTable)
            StatementParser.parse(
                "ALTER TABLE s.t ADD COLUMNS (a INT COMMENT 'x', b DECIMAL(5,1))");
    assertEquals(List.of("s", "t"), add.table());
    var columns = ((io.aquifer.storage.delta.TableChange.AddColumns) add.change()).columns();
    assertEquals(Optional.of("x"), columns.get(0).comment());
    assertEquals(new DecimalType(5, 1), columns.get(1).type());
    var drop =
        (ParsedStatement.AlterTable)
            StatementParser.parse("ALTER TABLE t DROP COLUMN IF EXISTS a, b");
    assertTrue(drop.ifExists());
    assertEquals(
        List.of("a", "b"),
        ((io.aquifer.storage.delta.TableChange.DropColumns) drop.change()).names());
    var change =
        (io.aquifer.storage.delta.TableChange.ChangeColumn)
            ((ParsedStatement.AlterTable)
                    StatementParser.parse("ALTER TABLE t CHANGE COLUMN a TYPE BIGINT"))
                .change();
    assertEquals(Optional.of(PrimitiveType.BIGINT), change.type());
    var setDefault =
        (io.aquifer.storage.delta.TableChange.SetColumnDefault)
            ((ParsedStatement.AlterTable)
                    StatementParser.parse(
                        "ALTER TABLE t ALTER COLUMN a SET DEFAULT concat('x', (1 + 2));"))
                .change();
    assertEquals(Optional.of("concat('x', (1 + 2))"), setDefault.defaultValue());
    var dropDefault =
        (io.aquifer.storage.delta.TableChange.SetColumnDefault)
            ((ParsedStatement.AlterTable)
                    StatementParser.parse("ALTER TABLE t CHANGE a DROP DEFAULT"))
                .change();
    assertEquals(Optional.empty(), dropDefault.defaultValue());
    var check =
        (io.aquifer.storage.delta.TableChange.AddCheckConstraint)
            ((ParsedStatement.AlterTable)
                    StatementParser.parse(
                        "ALTER TABLE t ADD CONSTRAINT `My c` CHECK ( a > 0 AND (b IN (1, 2)) );"))
                .change();
    assertEquals("My c", check.name());
    assertEquals("a > 0 AND (b IN (1, 2))", check.expression());
    var dropCheck =
        (ParsedStatement.AlterTable)
            StatementParser.parse("ALTER TABLE t DROP CONSTRAINT IF EXISTS c");
    assertTrue(dropCheck.ifExists());
    assertEquals(
        "c",
        ((io.aquifer.storage.delta.TableChange.DropCheckConstraint) dropCheck.change()).name());
    var withDefaults =
        (ParsedStatement.CreateTable)
            StatementParser.parse(
                "CREATE TABLE t (a INT DEFAULT 1 + 1 NOT NULL, b STRING DEFAULT 'x, y'"
                    + " COMMENT 'c', c TIMESTAMP DEFAULT current_timestamp(), d INT)");
    assertEquals(Optional.of("1 + 1"), withDefaults.columns().get(0).defaultValue());
    assertFalse(withDefaults.columns().get(0).nullable());
    assertEquals(Optional.of("'x, y'"), withDefaults.columns().get(1).defaultValue());
    assertEquals(Optional.of("c"), withDefaults.columns().get(1).comment());
    assertEquals(Optional.of("current_timestamp()"), withDefaults.columns().get(2).defaultValue());
    assertEquals(Optional.empty(), withDefaults.columns().get(3).defaultValue());
    var set =
        (io.aquifer.storage.delta.TableChange.SetProperties)
            ((ParsedStatement.AlterTable)
                    StatementParser.parse(
                        "ALTER TABLE t SET TBLPROPERTIES (delta.appendOnly = true, 'k' = 'v')"))
                .change();
    assertEquals("true", set.properties().get("delta.appendOnly"));
    assertEquals("v", set.properties().get("k"));
    assertInstanceOf(
        ParsedStatement.RenameTable.class, StatementParser.parse("ALTER TABLE t RENAME TO u"));
    assertInstanceOf(ParsedStatement.Truncate.class, StatementParser.parse("TRUNCATE TABLE t"));
    var restore =
        (ParsedStatement.Restore) StatementParser.parse("restore table c.s.t to version as of 12;");
    assertEquals(List.of("c", "s", "t"), restore.table());
    assertEquals(12, restore.version().getAsLong());
    var restoreAt =
        (ParsedStatement.Restore)
            StatementParser.parse("RESTORE c.s.t TIMESTAMP AS OF '2024-01-31 12:00:00'");
    assertEquals(1706702400000L, restoreAt.timestampMillis().orElseThrow());
    // The word elsewhere does not make a statement a RESTORE, and time travel still works there.
    assertInstanceOf(
        ParsedStatement.Query.class,
        StatementParser.parse("SELECT 'restore' AS restored FROM t VERSION AS OF 1"));
    var vacuum =
        (ParsedStatement.Vacuum) StatementParser.parse("VACUUM t RETAIN 0.5 HOURS DRY RUN");
    assertEquals(new java.math.BigDecimal("0.5"), vacuum.retainHours().orElseThrow());
    assertTrue(vacuum.dryRun());
    assertEquals(
        java.util.Optional.empty(),
        ((ParsedStatement.Vacuum) StatementParser.parse("VACUUM t FULL")).retainHours());
    assertInstanceOf(
        ParsedStatement.ShowTblProperties.class,
        StatementParser.parse("SHOW TBLPROPERTIES t (delta.appendOnly)"));
    assertInstanceOf(
        ParsedStatement.DescribeDetail.class, StatementParser.parse("DESCRIBE DETAIL t"));
    // A table named detail is still described.
    assertInstanceOf(ParsedStatement.Describe.class, StatementParser.parse("DESCRIBE detail"));
    PlannerException bad =
        assertThrows(
            PlannerException.class, () -> StatementParser.parse("ALTER TABLE t ALTER COLUMN a"));
    assertEquals(PlannerErrorCode.PARSE_SYNTAX_ERROR, bad.code());
    assertEquals(
        PlannerErrorCode.UNSUPPORTED_FEATURE,
        assertThrows(
                PlannerException.class,
                () -> StatementParser.parse("ALTER TABLE t ADD COLUMN a INT NOT NULL"))
            .code());
  }

  @Test
  void grantRevokeAndShowGrants() {
    var grant =
        (ParsedStatement.Grant)
            StatementParser.parse(
                "GRANT USE SCHEMA, select, ALL PRIVILEGES ON SCHEMA main.sales TO `bob@x.com`");
    assertFalse(grant.revoke());
    assertEquals(
        List.of(
            io.aquifer.catalog.Privilege.USE_SCHEMA,
            io.aquifer.catalog.Privilege.SELECT,
            io.aquifer.catalog.Privilege.ALL_PRIVILEGES),
        grant.privileges());
    assertEquals(ParsedStatement.GrantObjectKind.SCHEMA, grant.object().kind());
    assertEquals(List.of("main", "sales"), grant.object().name());
    assertEquals("bob@x.com", grant.principal());
    var revoke = (ParsedStatement.Grant) StatementParser.parse("REVOKE ALL ON t FROM bob;");
    assertTrue(revoke.revoke());
    assertEquals(ParsedStatement.GrantObjectKind.TABLE, revoke.object().kind());
    var show = (ParsedStatement.ShowGrants) StatementParser.parse("SHOW GRANTS `bob` ON VIEW s.v");
    assertEquals(Optional.of("bob"), show.principal());
    assertEquals(ParsedStatement.GrantObjectKind.VIEW, show.object().kind());
    var all = (ParsedStatement.ShowGrants) StatementParser.parse("SHOW GRANTS ON CATALOG main");
    assertEquals(Optional.empty(), all.principal());
    var to = (ParsedStatement.ShowGrantsTo) StatementParser.parse("SHOW GRANTS TO `finance`");
    assertEquals("finance", to.principal());
    var owner =
        (ParsedStatement.SetOwner) StatementParser.parse("ALTER SCHEMA main.sales OWNER TO `ops`");
    assertEquals(ParsedStatement.GrantObjectKind.SCHEMA, owner.object().kind());
    assertEquals(List.of("main", "sales"), owner.object().name());
    assertEquals("ops", owner.principal());
    var tableOwner =
        (ParsedStatement.SetOwner) StatementParser.parse("ALTER TABLE t OWNER TO 'bob@x.com'");
    assertEquals(ParsedStatement.GrantObjectKind.TABLE, tableOwner.object().kind());
    assertEquals("bob@x.com", tableOwner.principal());
    assertEquals(
        new ParsedStatement.ShowPrincipals(true, Optional.of("bob@x.com"), Optional.of("f*")),
        StatementParser.parse("SHOW GROUPS WITH USER `bob@x.com` LIKE 'f*'"));
    assertEquals(
        new ParsedStatement.ShowPrincipals(false, Optional.empty(), Optional.empty()),
        StatementParser.parse("SHOW USERS"));
    // groups, as Databricks writes them
    assertEquals(
        new ParsedStatement.CreateGroup("humans", List.of()),
        StatementParser.parse("CREATE GROUP humans"));
    assertEquals(
        new ParsedStatement.CreateGroup(
            "aliens",
            List.of(
                new ParsedStatement.GroupMember(false, "hilo@jannus.et"),
                new ParsedStatement.GroupMember(false, "alf@melmak.et"),
                new ParsedStatement.GroupMember(true, "tv_aliens"))),
        StatementParser.parse(
            "CREATE GROUP aliens WITH USER `hilo@jannus.et`, `alf@melmak.et` GROUP tv_aliens"));
    assertEquals(
        new ParsedStatement.AlterGroup(
            "aliens",
            true,
            List.of(
                new ParsedStatement.GroupMember(true, "tv_aliens"),
                new ParsedStatement.GroupMember(false, "alf@melmak.et"))),
        StatementParser.parse("ALTER GROUP aliens ADD GROUP tv_aliens USER `alf@melmak.et`"));
    assertEquals(
        new ParsedStatement.AlterGroup(
            "aliens", false, List.of(new ParsedStatement.GroupMember(false, "alf@melmak.et"))),
        StatementParser.parse("ALTER GROUP aliens DROP USER `alf@melmak.et`"));
    assertEquals(
        new ParsedStatement.DropGroup("aliens"), StatementParser.parse("DROP GROUP aliens"));
    assertThrows(PlannerException.class, () -> StatementParser.parse("CREATE GROUP g WITH"));
    assertThrows(PlannerException.class, () -> StatementParser.parse("ALTER GROUP g ADD"));
    assertThrows(PlannerException.class, () -> StatementParser.parse("ALTER GROUP g SET x"));
    var volumeOwner =
        (ParsedStatement.SetOwner) StatementParser.parse("ALTER VOLUME main.s.v OWNER TO ops");
    assertEquals(ParsedStatement.GrantObjectKind.VOLUME, volumeOwner.object().kind());
    assertEquals(List.of("main", "s", "v"), volumeOwner.object().name());
    var function =
        (ParsedStatement.Grant) StatementParser.parse("GRANT EXECUTE ON FUNCTION hr.f TO bob");
    assertEquals(ParsedStatement.GrantObjectKind.FUNCTION, function.object().kind());
    assertEquals(List.of("hr", "f"), function.object().name());
    var functionOwner =
        (ParsedStatement.SetOwner) StatementParser.parse("ALTER FUNCTION main.hr.f OWNER TO ops");
    assertEquals(ParsedStatement.GrantObjectKind.FUNCTION, functionOwner.object().kind());
    assertEquals(List.of("main", "hr", "f"), functionOwner.object().name());
    assertEquals(
        PlannerErrorCode.UNSUPPORTED_FEATURE,
        assertThrows(
                PlannerException.class,
                () -> StatementParser.parse("ALTER CATALOG main SET TAGS ('a' = 'b')"))
            .code());

    PlannerException unknown =
        assertThrows(
            PlannerException.class,
            () -> StatementParser.parse("GRANT READ FILES ON CATALOG main TO bob"));
    assertEquals(PlannerErrorCode.UNSUPPORTED_FEATURE, unknown.code());
    PlannerException share =
        assertThrows(
            PlannerException.class, () -> StatementParser.parse("GRANT SELECT ON SHARE s TO bob"));
    assertEquals(PlannerErrorCode.UNSUPPORTED_FEATURE, share.code());
    ParsedStatement.Grant onVolume =
        (ParsedStatement.Grant)
            StatementParser.parse("GRANT READ VOLUME, WRITE VOLUME ON VOLUME c.s.v TO bob");
    assertEquals(ParsedStatement.GrantObjectKind.VOLUME, onVolume.object().kind());
    assertEquals(List.of("c", "s", "v"), onVolume.object().name());
    assertEquals(
        List.of(
            io.aquifer.catalog.Privilege.READ_VOLUME, io.aquifer.catalog.Privilege.WRITE_VOLUME),
        onVolume.privileges());
    ParsedStatement.Grant onMetastore =
        (ParsedStatement.Grant)
            StatementParser.parse("REVOKE CREATE CATALOG ON METASTORE FROM `bob@example.com`");
    assertEquals(ParsedStatement.GrantObjectKind.METASTORE, onMetastore.object().kind());
    assertEquals(List.of(), onMetastore.object().name());
    assertTrue(onMetastore.revoke());
    ParsedStatement.ShowGrants showMetastore =
        (ParsedStatement.ShowGrants) StatementParser.parse("SHOW GRANTS ON METASTORE");
    assertEquals(ParsedStatement.GrantObjectKind.METASTORE, showMetastore.object().kind());
    PlannerException missingTo =
        assertThrows(
            PlannerException.class, () -> StatementParser.parse("GRANT SELECT ON TABLE t bob"));
    assertEquals(PlannerErrorCode.PARSE_SYNTAX_ERROR, missingTo.code());
    PlannerException tooLong =
        assertThrows(
            PlannerException.class,
            () -> StatementParser.parse("GRANT SELECT ON CATALOG a.b TO bob"));
    assertEquals(PlannerErrorCode.PARSE_SYNTAX_ERROR, tooLong.code());
  }

  /** DESCRIBE HISTORY comes from the generated parser; errors as the hand-written one gave them. */
  @Test
  void describeHistoryFromTheGrammar() {
    assertEquals(
        new ParsedStatement.DescribeHistory(List.of("a", "b", "c"), java.util.OptionalInt.of(3)),
        StatementParser.parse("DESC HISTORY a.b.`c` LIMIT 3;"));
    assertEquals(
        new ParsedStatement.DescribeHistory(List.of("t"), java.util.OptionalInt.empty()),
        StatementParser.parse("describe history t"));
    record Case(String sql, int line, int column) {}
    for (Case c :
        List.of(
            new Case("DESCRIBE HISTORY t LIMIT x", 1, 26),
            new Case("DESCRIBE HISTORY t LIMIT -1", 1, 26),
            new Case("DESCRIBE HISTORY t LIMIT 2.5", 1, 26),
            new Case("DESCRIBE HISTORY t LIMIT 99999999999", 1, 26),
            new Case("DESCRIBE HISTORY t extra", 1, 20),
            new Case("DESCRIBE HISTORY\n  t,", 2, 4))) {
      PlannerException e = assertThrows(PlannerException.class, () -> StatementParser.parse(c.sql));
      assertEquals(PlannerErrorCode.PARSE_SYNTAX_ERROR, e.code(), c.sql);
      assertEquals(c.line, e.line().getAsInt(), c.sql);
      assertEquals(c.column, e.column().getAsInt(), c.sql + ": " + e.getMessage());
    }
  }
}

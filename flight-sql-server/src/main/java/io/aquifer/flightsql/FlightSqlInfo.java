package io.aquifer.flightsql;

import io.aquifer.gateway.ProductInfo;
import io.aquifer.planner.functions.DatabricksFunctionCatalog;
import io.aquifer.planner.functions.FunctionCategory;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.arrow.flight.FlightProducer.ServerStreamListener;
import org.apache.arrow.flight.sql.FlightSqlProducer;
import org.apache.arrow.flight.sql.SqlInfoBuilder;
import org.apache.arrow.flight.sql.impl.FlightSql.SqlNullOrdering;
import org.apache.arrow.flight.sql.impl.FlightSql.SqlOuterJoinsSupportLevel;
import org.apache.arrow.flight.sql.impl.FlightSql.SqlSupportedCaseSensitivity;
import org.apache.arrow.flight.sql.impl.FlightSql.SqlSupportedElementActions;
import org.apache.arrow.flight.sql.impl.FlightSql.SqlSupportedGroupBy;
import org.apache.arrow.flight.sql.impl.FlightSql.SqlSupportedResultSetType;
import org.apache.arrow.flight.sql.impl.FlightSql.SqlSupportedSubqueries;
import org.apache.arrow.flight.sql.impl.FlightSql.SqlSupportedTransaction;
import org.apache.arrow.flight.sql.impl.FlightSql.SqlSupportedUnions;
import org.apache.arrow.flight.sql.impl.FlightSql.SqlSupportsConvert;
import org.apache.arrow.flight.sql.impl.FlightSql.SqlTransactionIsolationLevel;
import org.apache.arrow.flight.sql.impl.FlightSql.SupportedAnsi92SqlGrammarLevel;
import org.apache.arrow.flight.sql.impl.FlightSql.SupportedSqlGrammar;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.UInt4Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.ipc.message.IpcOption;

/**
 * What GetSqlInfo tells clients about Aquifer: server name and version, the Databricks SQL
 * dialect's lexical rules (backtick quoting, lower-case names), and what is not supported
 * (transactions, savepoints, stored procedures, positioned updates).
 *
 * <p>Every value the Flight SQL JDBC driver 18.3 reads is present: that driver fails with a
 * NullPointerException on DatabaseMetaData calls whose SqlInfo a server leaves out, and tools such
 * as DBeaver make many of those calls.
 */
final class FlightSqlInfo {

  private static final int MAX_NAME_LENGTH = 255;

  private final SqlInfoBuilder builder;
  private final Set<Integer> provided;

  FlightSqlInfo() {
    this.builder = build();
    this.provided = providedInfos(builder);
  }

  /** Sends the requested infos (all when none is named); unknown ones are left out. */
  void send(List<Integer> requested, ServerStreamListener listener, BufferAllocator allocator) {
    List<Integer> known = requested.stream().filter(provided::contains).toList();
    if (!requested.isEmpty() && known.isEmpty()) {
      // An empty list would mean "all" to the builder; send the empty answer instead.
      MetadataBatches.send(
          listener,
          allocator,
          FlightSqlProducer.Schemas.GET_SQL_INFO_SCHEMA,
          MetadataBatches::none);
      return;
    }
    builder.send(known, listener);
  }

  Set<Integer> provided() {
    return provided;
  }

  static String arrowVersion() {
    String version = FlightSqlProducer.class.getPackage().getImplementationVersion();
    return version == null ? "unknown" : version;
  }

  private static SqlInfoBuilder build() {
    return new SqlInfoBuilder()
        // Server
        .withFlightSqlServerName(ProductInfo.NAME)
        .withFlightSqlServerVersion(ProductInfo.version())
        .withFlightSqlServerArrowVersion(arrowVersion())
        .withFlightSqlServerReadOnly(false)
        .withFlightSqlServerSql(true)
        .withFlightSqlServerSubstrait(false)
        .withFlightSqlServerTransaction(SqlSupportedTransaction.SQL_SUPPORTED_TRANSACTION_NONE)
        .withFlightSqlServerCancel(true)
        .withFlightSqlServerBulkIngestion(false)
        .withFlightSqlServerStatementTimeout(0)
        .withFlightSqlServerTransactionTimeout(0)
        // Lexical rules of the Databricks SQL dialect
        .withSqlIdentifierQuoteChar("`")
        .withSqlIdentifierCase(SqlSupportedCaseSensitivity.SQL_CASE_SENSITIVITY_LOWERCASE)
        .withSqlQuotedIdentifierCase(
            SqlSupportedCaseSensitivity.SQL_CASE_SENSITIVITY_CASE_INSENSITIVE)
        .withSqlSearchStringEscape("\\")
        .withSqlExtraNameCharacters("")
        .withSqlCatalogTerm("catalog")
        .withSqlSchemaTerm("schema")
        .withSqlProcedureTerm("procedure")
        .withSqlCatalogAtStart(true)
        .withSqlKeywords(KEYWORDS)
        .withSqlNumericFunctions(NUMERIC_FUNCTIONS)
        .withSqlStringFunctions(STRING_FUNCTIONS)
        .withSqlSystemFunctions(SYSTEM_FUNCTIONS)
        .withSqlDatetimeFunctions(DATETIME_FUNCTIONS)
        .withSqlNullOrdering(SqlNullOrdering.SQL_NULLS_SORTED_LOW)
        // DDL and grammar
        .withSqlDdlCatalog(true)
        .withSqlDdlSchema(true)
        .withSqlDdlTable(true)
        .withSqlAllTablesAreSelectable(false)
        .withSqlSupportedGrammar(
            SupportedSqlGrammar.SQL_MINIMUM_GRAMMAR, SupportedSqlGrammar.SQL_CORE_GRAMMAR)
        .withSqlAnsi92SupportedLevel(SupportedAnsi92SqlGrammarLevel.ANSI92_ENTRY_SQL)
        .withSqlSupportsColumnAliasing(true)
        .withSqlNullPlusNullIsNull(true)
        .withSqlSupportsConvert(CONVERSIONS)
        .withSqlSupportsTableCorrelationNames(true)
        .withSqlSupportsDifferentTableCorrelationNames(false)
        .withSqlSupportsExpressionsInOrderBy(true)
        .withSqlSupportsOrderByUnrelated(true)
        .withSqlSupportedGroupBy(
            SqlSupportedGroupBy.SQL_GROUP_BY_UNRELATED,
            SqlSupportedGroupBy.SQL_GROUP_BY_BEYOND_SELECT)
        .withSqlSupportsLikeEscapeClause(true)
        .withSqlSupportsNonNullableColumns(true)
        .withSqlSupportsIntegrityEnhancementFacility(false)
        .withSqlOuterJoinSupportLevel(
            SqlOuterJoinsSupportLevel.SQL_LIMITED_OUTER_JOINS,
            SqlOuterJoinsSupportLevel.SQL_FULL_OUTER_JOINS)
        .withSqlSchemasSupportedActions(
            SqlSupportedElementActions.SQL_ELEMENT_IN_PRIVILEGE_DEFINITIONS)
        .withSqlCatalogsSupportedActions(
            SqlSupportedElementActions.SQL_ELEMENT_IN_PRIVILEGE_DEFINITIONS)
        .withSqlSupportedPositionedCommands()
        .withSqlSelectForUpdateSupported(false)
        .withSqlStoredProceduresSupported(false)
        .withSqlSubQueriesSupported(
            SqlSupportedSubqueries.SQL_SUBQUERIES_IN_COMPARISONS,
            SqlSupportedSubqueries.SQL_SUBQUERIES_IN_EXISTS,
            SqlSupportedSubqueries.SQL_SUBQUERIES_IN_INS,
            SqlSupportedSubqueries.SQL_SUBQUERIES_IN_QUANTIFIEDS)
        .withSqlCorrelatedSubqueriesSupported(true)
        .withSqlSupportedUnions(SqlSupportedUnions.SQL_UNION, SqlSupportedUnions.SQL_UNION_ALL)
        // Limits: 0 means none or unknown
        .withSqlMaxBinaryLiteralLength(0)
        .withSqlMaxCharLiteralLength(0)
        .withSqlMaxColumnNameLength(MAX_NAME_LENGTH)
        .withSqlMaxColumnsInGroupBy(0)
        .withSqlMaxColumnsInIndex(0)
        .withSqlMaxColumnsInOrderBy(0)
        .withSqlMaxColumnsInSelect(0)
        .withSqlMaxColumnsInTable(0)
        .withSqlMaxConnections(0)
        .withSqlMaxCursorNameLength(0)
        .withSqlMaxIndexLength(0)
        .withSqlDbSchemaNameLength(MAX_NAME_LENGTH)
        .withSqlMaxProcedureNameLength(0)
        .withSqlMaxCatalogNameLength(MAX_NAME_LENGTH)
        .withSqlMaxRowSize(0)
        .withSqlMaxRowSizeIncludesBlobs(false)
        .withSqlMaxStatementLength(0)
        .withSqlMaxStatements(0)
        .withSqlMaxTableNameLength(MAX_NAME_LENGTH)
        .withSqlMaxTablesInSelect(0)
        .withSqlMaxUsernameLength(0)
        // No transactions: every statement commits on its own
        .withSqlTransactionsSupported(false)
        .withSqlDefaultTransactionIsolation(SqlTransactionIsolationLevel.SQL_TRANSACTION_NONE_VALUE)
        .withSqlSupportedTransactionsIsolationLevels(
            SqlTransactionIsolationLevel.SQL_TRANSACTION_NONE)
        .withSqlDataDefinitionCausesTransactionCommit(false)
        .withSqlDataDefinitionsInTransactionsIgnored(false)
        .withSqlSavepointsSupported(false)
        .withSqlBatchUpdatesSupported(true)
        .withSqlNamedParametersSupported(false)
        .withSqlLocatorsUpdateCopy(false)
        .withSqlStoredFunctionsUsingCallSyntaxSupported(false)
        .withSqlSupportedResultSetTypes(SqlSupportedResultSetType.SQL_RESULT_SET_TYPE_FORWARD_ONLY);
  }

  /** Spark/Databricks SQL keywords that are not SQL:2003 keywords. */
  private static final String[] KEYWORDS = {
    "ANTI",
    "CACHE",
    "CATALOG",
    "CATALOGS",
    "CLUSTER",
    "COMMENT",
    "COMPUTE",
    "DATABASE",
    "DATABASES",
    "DESCRIBE",
    "DISTRIBUTE",
    "EXPLAIN",
    "FORMAT",
    "ILIKE",
    "LIMIT",
    "MSCK",
    "OPTIMIZE",
    "PARTITIONED",
    "PIVOT",
    "QUALIFY",
    "REFRESH",
    "RLIKE",
    "SCHEMAS",
    "SEMI",
    "SHOW",
    "SORT",
    "TABLESAMPLE",
    "TBLPROPERTIES",
    "UNPIVOT",
    "USE",
    "VACUUM",
    "VOLUME",
    "ZORDER"
  };

  /**
   * The functions clients are told about: exactly those of Aquifer's function catalog, which the
   * planner resolves and the engine runs.
   */
  private static String[] functions(FunctionCategory... categories) {
    return DatabricksFunctionCatalog.INSTANCE.names(categories).toArray(String[]::new);
  }

  private static final String[] NUMERIC_FUNCTIONS =
      functions(FunctionCategory.MATH, FunctionCategory.BITWISE);

  private static final String[] STRING_FUNCTIONS =
      functions(
          FunctionCategory.STRING,
          FunctionCategory.HASH,
          FunctionCategory.JSON,
          FunctionCategory.URL);

  private static final String[] SYSTEM_FUNCTIONS =
      functions(FunctionCategory.CONDITIONAL, FunctionCategory.CONVERSION);

  private static final String[] DATETIME_FUNCTIONS = functions(FunctionCategory.DATETIME);

  /** CAST support between the JDBC types Aquifer's types show as. */
  private static final Map<Integer, List<Integer>> CONVERSIONS = conversions();

  private static Map<Integer, List<Integer>> conversions() {
    List<Integer> numeric =
        codes(
            SqlSupportsConvert.SQL_CONVERT_BIT,
            SqlSupportsConvert.SQL_CONVERT_TINYINT,
            SqlSupportsConvert.SQL_CONVERT_SMALLINT,
            SqlSupportsConvert.SQL_CONVERT_INTEGER,
            SqlSupportsConvert.SQL_CONVERT_BIGINT,
            SqlSupportsConvert.SQL_CONVERT_REAL,
            SqlSupportsConvert.SQL_CONVERT_FLOAT,
            SqlSupportsConvert.SQL_CONVERT_DECIMAL,
            SqlSupportsConvert.SQL_CONVERT_NUMERIC);
    int varchar = SqlSupportsConvert.SQL_CONVERT_VARCHAR_VALUE;
    int date = SqlSupportsConvert.SQL_CONVERT_DATE_VALUE;
    int timestamp = SqlSupportsConvert.SQL_CONVERT_TIMESTAMP_VALUE;
    int binary = SqlSupportsConvert.SQL_CONVERT_BINARY_VALUE;
    int varbinary = SqlSupportsConvert.SQL_CONVERT_VARBINARY_VALUE;
    List<Integer> fromNumeric = concat(numeric, List.of(varchar));
    List<Integer> fromString =
        concat(numeric, List.of(varchar, date, timestamp, binary, varbinary));
    List<Integer> fromDateTime = List.of(date, timestamp, varchar);
    List<Integer> fromBinary = List.of(binary, varbinary, varchar);
    Map<Integer, List<Integer>> conversions = new HashMap<>();
    numeric.forEach(type -> conversions.put(type, fromNumeric));
    conversions.put(varchar, fromString);
    conversions.put(date, fromDateTime);
    conversions.put(timestamp, fromDateTime);
    conversions.put(binary, fromBinary);
    conversions.put(varbinary, fromBinary);
    return Map.copyOf(conversions);
  }

  private static List<Integer> codes(SqlSupportsConvert... types) {
    return Arrays.stream(types).map(SqlSupportsConvert::getNumber).toList();
  }

  private static List<Integer> concat(List<Integer> first, List<Integer> second) {
    return Stream.concat(first.stream(), second.stream()).collect(Collectors.toUnmodifiableList());
  }

  /** Learns which infos the builder holds by letting it send all of them into a recorder. */
  private static Set<Integer> providedInfos(SqlInfoBuilder builder) {
    Set<Integer> ids = new HashSet<>();
    builder.send(
        List.of(),
        new ServerStreamListener() {
          private VectorSchemaRoot root;

          @Override
          public boolean isCancelled() {
            return false;
          }

          @Override
          public void setOnCancelHandler(Runnable handler) {}

          @Override
          public boolean isReady() {
            return true;
          }

          @Override
          public void start(
              VectorSchemaRoot root, DictionaryProvider dictionaries, IpcOption option) {
            this.root = root;
          }

          @Override
          public void putNext() {
            UInt4Vector names = (UInt4Vector) root.getVector("info_name");
            for (int i = 0; i < root.getRowCount(); i++) {
              ids.add((int) names.getValueAsLong(i));
            }
          }

          @Override
          public void putNext(ArrowBuf metadata) {
            putNext();
          }

          @Override
          public void putMetadata(ArrowBuf metadata) {}

          @Override
          public void error(Throwable failure) {
            throw new IllegalStateException("Cannot build the SqlInfo table", failure);
          }

          @Override
          public void completed() {}
        });
    return Set.copyOf(ids);
  }
}

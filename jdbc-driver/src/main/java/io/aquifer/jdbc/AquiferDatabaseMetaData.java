package io.aquifer.jdbc;

import java.sql.SQLException;
import org.apache.calcite.avatica.AvaticaDatabaseMetaData;
import org.apache.calcite.avatica.Meta.DatabaseProperty;

/**
 * Aquifer's {@code DatabaseMetaData}: product name and version as the server reports them
 * (Avatica's report the driver's), the URL without credentials, and no transactions. Lexical rules
 * come from {@link AquiferConnection}; catalog browsing goes to the server as in Avatica.
 */
final class AquiferDatabaseMetaData extends AvaticaDatabaseMetaData {
  private final AquiferConnection connection;

  AquiferDatabaseMetaData(AquiferConnection connection) {
    super(connection);
    this.connection = connection;
  }

  @Override
  public String getDatabaseProductName() throws SQLException {
    return connection.databaseProperty(DatabaseProperty.GET_DATABASE_PRODUCT_NAME, String.class);
  }

  @Override
  public String getDatabaseProductVersion() throws SQLException {
    return connection.databaseProperty(DatabaseProperty.GET_DATABASE_PRODUCT_VERSION, String.class);
  }

  @Override
  public int getDatabaseMajorVersion() throws SQLException {
    return connection.databaseProperty(DatabaseProperty.GET_DATABASE_MAJOR_VERSION, Integer.class);
  }

  @Override
  public int getDatabaseMinorVersion() throws SQLException {
    return connection.databaseProperty(DatabaseProperty.GET_DATABASE_MINOR_VERSION, Integer.class);
  }

  @Override
  public String getURL() throws SQLException {
    return connection.displayUrl();
  }

  /** NULLs sort as the smallest values (first ascending), as in Databricks SQL. */
  @Override
  public boolean nullsAreSortedLow() throws SQLException {
    return true;
  }

  @Override
  public boolean nullsAreSortedHigh() throws SQLException {
    return false;
  }

  @Override
  public boolean nullsAreSortedAtStart() throws SQLException {
    return false;
  }

  @Override
  public boolean nullsAreSortedAtEnd() throws SQLException {
    return false;
  }

  @Override
  public boolean isReadOnly() throws SQLException {
    return false;
  }

  @Override
  public boolean supportsTransactions() throws SQLException {
    return false;
  }

  @Override
  public boolean supportsMultipleTransactions() throws SQLException {
    return false;
  }

  @Override
  public boolean supportsTransactionIsolationLevel(int level) throws SQLException {
    return level == java.sql.Connection.TRANSACTION_NONE;
  }

  @Override
  public boolean supportsStoredProcedures() throws SQLException {
    return false;
  }

  @Override
  public boolean allProceduresAreCallable() throws SQLException {
    return false;
  }
}

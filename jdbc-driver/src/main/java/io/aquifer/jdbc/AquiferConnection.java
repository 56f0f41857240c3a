package io.aquifer.jdbc;

import java.sql.SQLException;
import java.util.Optional;
import java.util.Properties;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.AvaticaFactory;
import org.apache.calcite.avatica.AvaticaStatement;
import org.apache.calcite.avatica.InternalProperty;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.UnregisteredDriver;
import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.avatica.util.Quoting;

/**
 * A connection to Aquifer's Avatica endpoint. Tells {@code DatabaseMetaData} the lexical rules of
 * Aquifer's SQL (backtick quoting, case-insensitive names stored in lower case) and carries what
 * cancel needs. Calls that talk to the server report failures as {@link SQLException}s (Avatica's
 * let its unchecked client exception through).
 */
final class AquiferConnection extends AvaticaConnection implements AquiferJdbcConnection {
  /** Property carrying the URL to show (without credentials); not a user setting. */
  static final String DISPLAY_URL = "aquifer_display_url";

  private final StatementControl control;
  private final String displayUrl;
  private volatile ConnectionHeartbeat heartbeat;

  AquiferConnection(
      UnregisteredDriver driver, AvaticaFactory factory, String url, Properties info) {
    super(driver, factory, url, info);
    this.displayUrl = info.getProperty(DISPLAY_URL, url);
    this.control = new StatementControl(config().url());
    properties.put(InternalProperty.QUOTING, Quoting.BACK_TICK);
    properties.put(InternalProperty.UNQUOTED_CASING, Casing.TO_LOWER);
    properties.put(InternalProperty.QUOTED_CASING, Casing.TO_LOWER);
    properties.put(InternalProperty.CASE_SENSITIVE, false);
  }

  String displayUrl() {
    return displayUrl;
  }

  /**
   * Whether this connection asks the server for columnar result frames (property {@code
   * columnar_frames}, sent in OpenConnection; see {@link ColumnarFrame}).
   */
  boolean columnarFrames() {
    return Boolean.parseBoolean(info.getProperty(AquiferUrl.COLUMNAR_FRAMES, "false").trim());
  }

  /**
   * Starts telling the server that this client is alive, so that the server cancels this
   * connection's statements soon after the client dies (see {@link ConnectionHeartbeat}).
   */
  void startHeartbeat() {
    heartbeat = ConnectionHeartbeat.start(config().url(), id).orElse(null);
  }

  /** Whether the server takes this connection's heartbeats. */
  boolean heartbeating() {
    return heartbeat != null;
  }

  @Override
  public void close() throws SQLException {
    ConnectionHeartbeat current = heartbeat;
    if (current != null) {
      current.stop();
    }
    super.close();
  }

  /** A database property the server reported (product name, version, ...). */
  <T> T databaseProperty(Meta.DatabaseProperty property, Class<T> type) throws SQLException {
    try {
      return property.getProp(meta, handle, type);
    } catch (RuntimeException e) {
      throw Errors.toSqlException("Cannot read database properties", e);
    }
  }

  /** Stops what a statement of this connection runs on the server. */
  void cancel(int statementId) throws SQLException {
    control.cancel(id, statementId);
  }

  @Override
  public void cancelStatement(String statementId) throws SQLException {
    checkOpen();
    if (statementId == null || statementId.isBlank()) {
      throw new SQLException("A statement id is required", "HY009");
    }
    control.cancelById(id, statementId);
  }

  /** The server-side id of what a statement of this connection runs now. */
  Optional<String> runningStatementId(int statementId) throws SQLException {
    return control.runningStatementId(id, statementId);
  }

  /** Sets a statement's query timeout on the server, which enforces it. */
  void queryTimeout(int statementId, int seconds) throws SQLException {
    control.queryTimeout(id, statementId, seconds);
  }

  @Override
  public AvaticaStatement createStatement(
      int resultSetType, int resultSetConcurrency, int resultSetHoldability) throws SQLException {
    try {
      return super.createStatement(resultSetType, resultSetConcurrency, resultSetHoldability);
    } catch (RuntimeException e) {
      throw Errors.toSqlException("Cannot create a statement", e);
    }
  }

  @Override
  public void setCatalog(String catalog) throws SQLException {
    try {
      super.setCatalog(catalog);
    } catch (RuntimeException e) {
      throw Errors.toSqlException("Cannot set the catalog", e);
    }
  }

  @Override
  public String getCatalog() throws SQLException {
    try {
      return super.getCatalog();
    } catch (RuntimeException e) {
      throw Errors.toSqlException("Cannot read the catalog", e);
    }
  }

  @Override
  public void setSchema(String schema) throws SQLException {
    try {
      super.setSchema(schema);
    } catch (RuntimeException e) {
      throw Errors.toSqlException("Cannot set the schema", e);
    }
  }

  @Override
  public String getSchema() throws SQLException {
    try {
      return super.getSchema();
    } catch (RuntimeException e) {
      throw Errors.toSqlException("Cannot read the schema", e);
    }
  }

  @Override
  public void setAutoCommit(boolean autoCommit) throws SQLException {
    try {
      super.setAutoCommit(autoCommit);
    } catch (RuntimeException e) {
      throw Errors.toSqlException("Cannot set auto-commit", e);
    }
  }

  @Override
  public boolean getAutoCommit() throws SQLException {
    try {
      return super.getAutoCommit();
    } catch (RuntimeException e) {
      throw Errors.toSqlException("Cannot read auto-commit", e);
    }
  }

  @Override
  public void commit() throws SQLException {
    try {
      super.commit();
    } catch (RuntimeException e) {
      throw Errors.toSqlException("Cannot commit", e);
    }
  }

  @Override
  public void rollback() throws SQLException {
    try {
      super.rollback();
    } catch (RuntimeException e) {
      throw Errors.toSqlException("Cannot roll back", e);
    }
  }

  @Override
  public void setReadOnly(boolean readOnly) throws SQLException {
    try {
      super.setReadOnly(readOnly);
    } catch (RuntimeException e) {
      throw Errors.toSqlException("Cannot set read-only", e);
    }
  }

  @Override
  public boolean isReadOnly() throws SQLException {
    try {
      return super.isReadOnly();
    } catch (RuntimeException e) {
      throw Errors.toSqlException("Cannot read read-only", e);
    }
  }

  @Override
  public void setTransactionIsolation(int level) throws SQLException {
    try {
      super.setTransactionIsolation(level);
    } catch (RuntimeException e) {
      throw Errors.toSqlException("Cannot set the transaction isolation", e);
    }
  }

  @Override
  public int getTransactionIsolation() throws SQLException {
    try {
      return super.getTransactionIsolation();
    } catch (RuntimeException e) {
      throw Errors.toSqlException("Cannot read the transaction isolation", e);
    }
  }
}

package io.aquifer.jdbc;

import java.sql.SQLException;
import java.util.Optional;

/**
 * What an Aquifer statement (plain or prepared) can tell beyond JDBC; reach it with {@code
 * statement.unwrap(AquiferJdbcStatement.class)}.
 */
public interface AquiferJdbcStatement {
  /**
   * The server-side id of what this statement runs or streams now, asked of the server (so any
   * thread may call it while another waits in {@code execute}); empty when nothing runs. Another
   * connection of the same user can cancel it with {@link AquiferJdbcConnection#cancelStatement}.
   */
  Optional<String> runningStatementId() throws SQLException;
}

package io.aquifer.tpch;

import static java.util.Objects.requireNonNull;

import io.aquifer.gateway.GatewayException;
import io.aquifer.gateway.ResultStream;
import io.aquifer.gateway.Session;
import io.aquifer.gateway.StatementResult;
import io.aquifer.gateway.StatementService;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * {@link WarehouseSql} on a statement service in the same process: the server's first start loads
 * its sample through the same statements, and the same commit path, as {@code aquifer tpch load}.
 */
public final class StatementServiceSql implements WarehouseSql {
  private final StatementService service;
  private final Session session;

  public StatementServiceSql(StatementService service, Session session) {
    this.service = requireNonNull(service, "service");
    this.session = requireNonNull(session, "session");
  }

  @Override
  public long update(String sql) {
    StatementResult result = execute(sql);
    if (result instanceof StatementResult.Rows rows) {
      // COPY INTO answers its counts as a row; other statements with rows count none.
      rows.stream().close();
      return rows.affectedRows().orElse(0);
    }
    return ((StatementResult.UpdateCount) result).count();
  }

  @Override
  public List<List<String>> query(String sql) {
    StatementResult result = execute(sql);
    if (!(result instanceof StatementResult.Rows rows)) {
      throw new TpchException(TpchErrorCode.LOAD_FAILED, "'" + sql + "' returned no rows");
    }
    List<List<String>> out = new ArrayList<>();
    try (ResultStream stream = rows.stream()) {
      while (stream.next()) {
        VectorSchemaRoot root = stream.root();
        for (int r = 0; r < root.getRowCount(); r++) {
          List<String> row = new ArrayList<>();
          for (FieldVector vector : root.getFieldVectors()) {
            Object value = vector.getObject(r);
            row.add(value == null ? null : value.toString());
          }
          out.add(row);
        }
      }
    }
    return out;
  }

  private StatementResult execute(String sql) {
    try {
      return service.execute(session, sql, List.of());
    } catch (GatewayException e) {
      throw new TpchException(
          TpchErrorCode.LOAD_FAILED,
          "the warehouse refused '" + sql + "': " + e.clientMessage(),
          e);
    }
  }
}

package io.aquifer.gateway.execution;

import static io.aquifer.gateway.results.LocalResultStream.stringField;

import io.aquifer.gateway.SessionSettings;
import io.aquifer.gateway.StatementResult;
import io.aquifer.gateway.results.LocalResultStream;
import io.aquifer.planner.parse.ParsedStatement;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * SET statements: session settings are checked and stored by {@link SessionSettings}; a bad value
 * fails and changes nothing.
 */
final class SetExecutor {
  private static final List<Field> KEY_VALUE = List.of(stringField("key"), stringField("value"));

  private SetExecutor() {}

  /** The columns of a SET: (key, value) when it shows settings, none when it sets one. */
  static List<Field> resultFields(ParsedStatement.SetConfig s) {
    return s.value().isPresent() ? List.of() : KEY_VALUE;
  }

  static StatementResult set(StatementContext ctx, ParsedStatement.SetConfig s) {
    if (s.key().isEmpty()) {
      List<List<Object>> rows = new ArrayList<>();
      for (String name :
          List.of(
              SessionSettings.SPARK_TIME_ZONE,
              SessionSettings.STATEMENT_TIMEOUT,
              "use_cached_result")) {
        rows.add(List.of(name, SessionSettings.show(ctx.session(), name)));
      }
      return new StatementResult.Rows(LocalResultStream.of(ctx.allocator(), KEY_VALUE, rows));
    }
    String key = s.key().get();
    if (s.value().isEmpty()) {
      List<List<Object>> rows = List.of(List.of(key, SessionSettings.show(ctx.session(), key)));
      return new StatementResult.Rows(LocalResultStream.of(ctx.allocator(), KEY_VALUE, rows));
    }
    SessionSettings.set(ctx.session(), key, s.value().get());
    return new StatementResult.UpdateCount(0);
  }

  /** SET TIME ZONE: LOCAL is the gateway's own zone. */
  static StatementResult setTimeZone(StatementContext ctx, ParsedStatement.SetTimeZone s) {
    String zone = s.zone().orElseGet(() -> ZoneId.systemDefault().getId());
    SessionSettings.set(ctx.session(), SessionSettings.TIME_ZONE, zone);
    return new StatementResult.UpdateCount(0);
  }
}

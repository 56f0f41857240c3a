package io.aquifer.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.aquifer.exec.QueryFragment;
import io.aquifer.exec.WriteFragment;
import io.aquifer.storage.types.Column;
import io.aquifer.storage.types.PrimitiveType;
import io.aquifer.storage.types.TableSchema;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The Spark SQL that gives the rows a Spark warehouse writes. */
class SparkWriteSqlTest {
  @Test
  void castsToTheTargetTypesNamesPhysicalColumnsAndFailsOnNullForNotNull() {
    TableSchema schema =
        new TableSchema(
            List.of(
                new Column("it's", PrimitiveType.INT, false, "col-1a", Optional.empty()),
                new Column("s", PrimitiveType.STRING, true, "col-2b", Optional.empty())));
    WriteFragment write =
        new WriteFragment(
            new QueryFragment("q", "SELECT 1, 'a';", List.of()),
            URI.create("file:/tmp/t"),
            schema,
            1000);
    assertEquals(
        "SELECT CASE WHEN q.`_c0` IS NULL THEN raise_error('AQUIFER NOT NULL constraint violated:"
            + " NOT NULL constraint violated for column: it\\'s.') ELSE CAST(q.`_c0` AS INT) END AS"
            + " `col-1a`, CAST(q.`_c1` AS STRING) AS `col-2b` FROM (\nSELECT 1, 'a'\n) AS q(`_c0`,"
            + " `_c1`)",
        SparkConnectEngine.writeSql(write));
  }
}

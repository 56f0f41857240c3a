package io.aquifer.tpch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SF 0.1: big enough that orders and lineitem are generated in parallel parts, small enough for the
 * test suite. Loads it and checks the 22 queries through Aquifer's planner and engine.
 */
class ScaleFactorPointOneTest {
  private static final TpchScaleFactor SF = TpchScaleFactor.parse("0.1");

  @Test
  void loadsAndAnswersTheQueries(@TempDir Path dataDirectory, @TempDir Path engineTemp)
      throws Exception {
    try (SampleWarehouse warehouse = new SampleWarehouse(dataDirectory)) {
      // Orders and lineitem come in two generator parts each; one part per batch goes through
      // the batching of large scale factors (generate, write Parquet, next batch, one commit).
      LoadSummary load = warehouse.loader().withPartsPerBatch(1).load(SF, LoadProgress.SILENT);
      assertEquals(866_602, load.totalRows());
      TableLoadResult lineitem = load.tables().get(7);
      assertEquals(600_572, lineitem.rows());
      assertEquals(2, lineitem.files());

      TpchSchemaName schema = TpchSchemaName.defaultFor(SF);
      TpchAnswers answers = TpchAnswers.forScaleFactor(TpchAnswers.defaultFixturesRoot(), SF);
      assertEquals(List.of(), AquiferQueryPath.check(warehouse, schema, answers, engineTemp));
    }
  }
}

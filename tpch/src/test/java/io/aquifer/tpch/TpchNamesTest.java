package io.aquifer.tpch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TpchNamesTest {
  @Test
  void scaleFactorsNameTheirSchemaAndAnswers() {
    assertEquals("tpch_sf0_01", TpchScaleFactor.parse("0.01").defaultSchemaName());
    assertEquals("tpch_sf1", TpchScaleFactor.parse("1.0").defaultSchemaName());
    assertEquals("tpch_sf10", TpchScaleFactor.parse("10").defaultSchemaName());
    assertEquals("sf0.1", TpchScaleFactor.parse("0.10").answerDirectoryName());
    assertEquals(TpchScaleFactor.parse("1"), TpchScaleFactor.parse("1.00"));
    assertThrows(IllegalArgumentException.class, () -> TpchScaleFactor.parse("0.001"));
    assertThrows(IllegalArgumentException.class, () -> TpchScaleFactor.parse("one"));
  }

  @Test
  void schemaNames() {
    assertEquals(
        "samples.tpch_sf0_01", TpchSchemaName.defaultFor(TpchScaleFactor.parse("0.01")).sql());
    assertEquals(new TpchSchemaName("main", "tpch"), TpchSchemaName.parse("Main.TPCH"));
    assertEquals(new TpchSchemaName("samples", "bench"), TpchSchemaName.parse("bench"));
    assertEquals("main.`my-tpch`", TpchSchemaName.parse("main.my-tpch").sql());
    assertThrows(IllegalArgumentException.class, () -> TpchSchemaName.parse("a.b.c"));
  }

  @Test
  void rowCountsAtAScaleFactor() {
    TpchScaleFactor sf = TpchScaleFactor.parse("0.5");
    assertEquals(75_000, TpchTableSpec.CUSTOMER.exactRows(sf).getAsLong());
    assertEquals(25, TpchTableSpec.NATION.exactRows(sf).getAsLong());
    assertEquals(true, TpchTableSpec.LINEITEM.exactRows(sf).isEmpty());
    assertEquals(3_000_000, TpchTableSpec.LINEITEM.approximateRows(sf));
    assertEquals(
        6_001_215, TpchTableSpec.LINEITEM.exactRows(TpchScaleFactor.parse("1")).getAsLong());
  }
}

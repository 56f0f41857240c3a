package io.aquifer.thrift;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.databricks.jdbc.model.client.thrift.generated.TColumn;
import com.databricks.jdbc.model.client.thrift.generated.TProtocolVersion;
import com.databricks.jdbc.model.client.thrift.generated.TTypeId;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class ColumnBuilderTest {
  @Test
  void nullsAreABitSetLowestBitFirst() {
    ColumnBuilder b = new ColumnBuilder(TTypeId.INT_TYPE);
    b.add(1);
    b.add(null);
    b.add(3);
    for (int i = 0; i < 6; i++) {
      b.add(i);
    }
    b.add(null); // row 9: second byte, bit 1
    TColumn c = b.build();
    assertEquals(List.of(1, 0, 3, 0, 1, 2, 3, 4, 5, 0), c.getI32Val().getValues());
    assertArrayEquals(new byte[] {0b10, 0b10}, c.getI32Val().getNulls());
  }

  @Test
  void decimalsTravelAsPlainText() {
    ColumnBuilder b = new ColumnBuilder(TTypeId.DECIMAL_TYPE);
    b.add(new BigDecimal("1E+3"));
    assertEquals(List.of("1000"), b.build().getStringVal().getValues());
  }

  @Test
  void theServerSpeaksTheClientsVersionUpToTheNewestItKnows() {
    assertEquals(
        TProtocolVersion.SPARK_CLI_SERVICE_PROTOCOL_V8,
        ThriftCalls.negotiate(TProtocolVersion.SPARK_CLI_SERVICE_PROTOCOL_V8));
    assertEquals(ThriftCalls.NEWEST, ThriftCalls.negotiate(null));
  }
}

package io.aquifer.tpch;

import static io.aquifer.storage.types.PrimitiveType.BIGINT;
import static io.aquifer.storage.types.PrimitiveType.DATE;
import static io.aquifer.storage.types.PrimitiveType.INT;
import static io.aquifer.storage.types.PrimitiveType.STRING;
import static java.util.Objects.requireNonNull;

import io.aquifer.storage.types.Column;
import io.aquifer.storage.types.DataType;
import io.aquifer.storage.types.DecimalType;
import io.aquifer.storage.types.TableSchema;
import io.trino.tpch.Customer;
import io.trino.tpch.LineItem;
import io.trino.tpch.Nation;
import io.trino.tpch.Order;
import io.trino.tpch.Part;
import io.trino.tpch.PartSupplier;
import io.trino.tpch.Region;
import io.trino.tpch.Supplier;
import io.trino.tpch.TpchEntity;
import io.trino.tpch.TpchTable;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One of the eight TPC-H tables: its name, its columns in the exact TPC-H types (keys BIGINT, money
 * and quantities DECIMAL(15,2), dates DATE, text STRING, small integers INT, all NOT NULL), its
 * size at a scale factor, and how a generated row is written as text.
 *
 * @param baseRows rows at SF 1 (lineitem: orders times 1 to 7, about 6 million)
 * @param scaled false for nation and region, whose size does not change with the scale factor
 * @param formatter writes one generated row in column order
 */
public record TpchTableSpec<E extends TpchEntity>(
    String name,
    TableSchema schema,
    TpchTable<E> generator,
    long baseRows,
    boolean scaled,
    RowFormatter<E> formatter) {

  /** Writes one row's fields, in column order, with {@link DelimitedTextWriter}. */
  @FunctionalInterface
  interface RowFormatter<E> {
    void write(E row, DelimitedTextWriter out) throws IOException;
  }

  private static final DataType MONEY = new DecimalType(15, 2);

  /** Lineitem's exact size is known only after generating it; these are the standard ones. */
  private static final Map<BigDecimal, Long> LINEITEM_ROWS =
      Map.of(
          new BigDecimal("0.01"),
          60_175L,
          new BigDecimal("0.1"),
          600_572L,
          BigDecimal.ONE,
          6_001_215L,
          BigDecimal.TEN,
          59_986_052L,
          new BigDecimal("100"),
          600_037_902L);

  public static final TpchTableSpec<Region> REGION =
      new TpchTableSpec<>(
          "region",
          schema("r_regionkey", BIGINT, "r_name", STRING, "r_comment", STRING),
          TpchTable.REGION,
          5,
          false,
          (r, out) -> out.key(r.getRegionKey()).text(r.getName()).text(r.getComment()));

  public static final TpchTableSpec<Nation> NATION =
      new TpchTableSpec<>(
          "nation",
          schema(
              "n_nationkey", BIGINT, "n_name", STRING, "n_regionkey", BIGINT, "n_comment", STRING),
          TpchTable.NATION,
          25,
          false,
          (n, out) ->
              out.key(n.getNationKey())
                  .text(n.getName())
                  .key(n.getRegionKey())
                  .text(n.getComment()));

  public static final TpchTableSpec<Supplier> SUPPLIER =
      new TpchTableSpec<>(
          "supplier",
          schema(
              "s_suppkey", BIGINT,
              "s_name", STRING,
              "s_address", STRING,
              "s_nationkey", BIGINT,
              "s_phone", STRING,
              "s_acctbal", MONEY,
              "s_comment", STRING),
          TpchTable.SUPPLIER,
          10_000,
          true,
          (s, out) ->
              out.key(s.getSupplierKey())
                  .text(s.getName())
                  .text(s.getAddress())
                  .key(s.getNationKey())
                  .text(s.getPhone())
                  .cents(s.getAccountBalanceInCents())
                  .text(s.getComment()));

  public static final TpchTableSpec<Part> PART =
      new TpchTableSpec<>(
          "part",
          schema(
              "p_partkey", BIGINT,
              "p_name", STRING,
              "p_mfgr", STRING,
              "p_brand", STRING,
              "p_type", STRING,
              "p_size", INT,
              "p_container", STRING,
              "p_retailprice", MONEY,
              "p_comment", STRING),
          TpchTable.PART,
          200_000,
          true,
          (p, out) ->
              out.key(p.getPartKey())
                  .text(p.getName())
                  .text(p.getManufacturer())
                  .text(p.getBrand())
                  .text(p.getType())
                  .integer(p.getSize())
                  .text(p.getContainer())
                  .cents(p.getRetailPriceInCents())
                  .text(p.getComment()));

  public static final TpchTableSpec<PartSupplier> PARTSUPP =
      new TpchTableSpec<>(
          "partsupp",
          schema(
              "ps_partkey", BIGINT,
              "ps_suppkey", BIGINT,
              "ps_availqty", INT,
              "ps_supplycost", MONEY,
              "ps_comment", STRING),
          TpchTable.PART_SUPPLIER,
          800_000,
          true,
          (ps, out) ->
              out.key(ps.getPartKey())
                  .key(ps.getSupplierKey())
                  .integer(ps.getAvailableQuantity())
                  .cents(ps.getSupplyCostInCents())
                  .text(ps.getComment()));

  public static final TpchTableSpec<Customer> CUSTOMER =
      new TpchTableSpec<>(
          "customer",
          schema(
              "c_custkey", BIGINT,
              "c_name", STRING,
              "c_address", STRING,
              "c_nationkey", BIGINT,
              "c_phone", STRING,
              "c_acctbal", MONEY,
              "c_mktsegment", STRING,
              "c_comment", STRING),
          TpchTable.CUSTOMER,
          150_000,
          true,
          (c, out) ->
              out.key(c.getCustomerKey())
                  .text(c.getName())
                  .text(c.getAddress())
                  .key(c.getNationKey())
                  .text(c.getPhone())
                  .cents(c.getAccountBalanceInCents())
                  .text(c.getMarketSegment())
                  .text(c.getComment()));

  public static final TpchTableSpec<Order> ORDERS =
      new TpchTableSpec<>(
          "orders",
          schema(
              "o_orderkey", BIGINT,
              "o_custkey", BIGINT,
              "o_orderstatus", STRING,
              "o_totalprice", MONEY,
              "o_orderdate", DATE,
              "o_orderpriority", STRING,
              "o_clerk", STRING,
              "o_shippriority", INT,
              "o_comment", STRING),
          TpchTable.ORDERS,
          1_500_000,
          true,
          (o, out) ->
              out.key(o.getOrderKey())
                  .key(o.getCustomerKey())
                  .text(o.getOrderStatus())
                  .cents(o.getTotalPriceInCents())
                  .date(o.getOrderDate())
                  .text(o.getOrderPriority())
                  .text(o.getClerk())
                  .integer(o.getShipPriority())
                  .text(o.getComment()));

  public static final TpchTableSpec<LineItem> LINEITEM =
      new TpchTableSpec<>(
          "lineitem",
          schema(
              "l_orderkey", BIGINT,
              "l_partkey", BIGINT,
              "l_suppkey", BIGINT,
              "l_linenumber", INT,
              "l_quantity", MONEY,
              "l_extendedprice", MONEY,
              "l_discount", MONEY,
              "l_tax", MONEY,
              "l_returnflag", STRING,
              "l_linestatus", STRING,
              "l_shipdate", DATE,
              "l_commitdate", DATE,
              "l_receiptdate", DATE,
              "l_shipinstruct", STRING,
              "l_shipmode", STRING,
              "l_comment", STRING),
          TpchTable.LINE_ITEM,
          6_000_000,
          true,
          (l, out) ->
              out.key(l.getOrderKey())
                  .key(l.getPartKey())
                  .key(l.getSupplierKey())
                  .integer(l.getLineNumber())
                  .cents(l.getQuantity() * 100)
                  .cents(l.getExtendedPriceInCents())
                  .cents(l.getDiscountPercent())
                  .cents(l.getTaxPercent())
                  .text(l.getReturnFlag())
                  .text(l.getStatus())
                  .date(l.getShipDate())
                  .date(l.getCommitDate())
                  .date(l.getReceiptDate())
                  .text(l.getShipInstructions())
                  .text(l.getShipMode())
                  .text(l.getComment()));

  /** The eight tables, smallest first (the order the loader writes them in). */
  public static final List<TpchTableSpec<?>> ALL =
      List.of(REGION, NATION, SUPPLIER, CUSTOMER, PART, PARTSUPP, ORDERS, LINEITEM);

  public TpchTableSpec {
    requireNonNull(name, "name");
    requireNonNull(schema, "schema");
    requireNonNull(generator, "generator");
    requireNonNull(formatter, "formatter");
  }

  public static Optional<TpchTableSpec<?>> byName(String name) {
    return ALL.stream().filter(t -> t.name().equalsIgnoreCase(name)).findFirst();
  }

  /**
   * The exact row count at this scale factor where it is known without generating: every table but
   * lineitem, and lineitem at SF 0.01, 0.1, 1, 10 and 100.
   */
  public OptionalLong exactRows(TpchScaleFactor scaleFactor) {
    if (!scaled) {
      return OptionalLong.of(baseRows);
    }
    if (this == LINEITEM) {
      Long known = LINEITEM_ROWS.get(scaleFactor.value());
      return known == null ? OptionalLong.empty() : OptionalLong.of(known);
    }
    // As dbgen: the base count times the scale factor, rounded down.
    return OptionalLong.of(BigDecimal.valueOf(baseRows).multiply(scaleFactor.value()).longValue());
  }

  /** The row count, exact where known, else the expected size (for progress bars). */
  public long approximateRows(TpchScaleFactor scaleFactor) {
    OptionalLong exact = exactRows(scaleFactor);
    return exact.isPresent()
        ? exact.getAsLong()
        : BigDecimal.valueOf(baseRows).multiply(scaleFactor.value()).longValue();
  }

  private static TableSchema schema(Object... namesAndTypes) {
    List<Column> columns = new ArrayList<>();
    for (int i = 0; i < namesAndTypes.length; i += 2) {
      String name = (String) namesAndTypes[i];
      columns.add(new Column(name, (DataType) namesAndTypes[i + 1], false, name, Optional.empty()));
    }
    return new TableSchema(columns);
  }
}

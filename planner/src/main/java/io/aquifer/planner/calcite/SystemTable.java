package io.aquifer.planner.calcite;

import static java.util.Objects.requireNonNull;

import io.aquifer.planner.PlannerCatalog.SystemTableEntry;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.ScannableTable;
import org.apache.calcite.schema.impl.AbstractTable;

/**
 * A system table as Calcite sees it: rows from the gateway, read by the gateway's own engine
 * ({@link io.aquifer.planner.SystemTableQueries}). Values are turned into Calcite's internal forms
 * (epoch milliseconds for TIMESTAMP, epoch days for DATE).
 */
public final class SystemTable extends AbstractTable implements ScannableTable {
  private final SystemTableEntry entry;

  SystemTable(SystemTableEntry entry) {
    this.entry = requireNonNull(entry, "entry");
  }

  public List<String> qualifiedName() {
    return entry.qualifiedName();
  }

  @Override
  public RelDataType getRowType(RelDataTypeFactory typeFactory) {
    return CalciteTypes.rowType(typeFactory, entry.schema());
  }

  @Override
  public Enumerable<Object[]> scan(DataContext root) {
    int columns = entry.schema().columns().size();
    List<Object[]> rows = new ArrayList<>();
    for (List<Object> row : entry.rows().get()) {
      if (row.size() != columns) {
        throw new IllegalStateException(
            "system table "
                + String.join(".", entry.qualifiedName())
                + " gave a row of "
                + row.size()
                + " values for "
                + columns
                + " columns");
      }
      Object[] values = new Object[columns];
      for (int i = 0; i < columns; i++) {
        values[i] = internal(row.get(i));
      }
      rows.add(values);
    }
    return Linq4j.asEnumerable(rows);
  }

  private static Object internal(Object value) {
    if (value instanceof Instant instant) {
      return instant.toEpochMilli();
    }
    if (value instanceof LocalDate date) {
      return (int) date.toEpochDay();
    }
    return value;
  }
}

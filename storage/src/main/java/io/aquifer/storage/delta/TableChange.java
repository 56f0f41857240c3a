package io.aquifer.storage.delta;

import static java.util.Objects.requireNonNull;

import io.aquifer.storage.types.Column;
import io.aquifer.storage.types.DataType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One change to a table's metadata (schema or properties), committed as one Delta commit without
 * data files by {@link DeltaTables#alter}. Columns are top-level columns, named as the user spells
 * them (matched without regard to case). Each kind names its Delta operation as Databricks does in
 * {@code DESCRIBE HISTORY}.
 */
public sealed interface TableChange {
  /** The operation name of the commit, e.g. ADD COLUMNS. */
  String operation();

  /** New nullable columns at the end of the schema. */
  record AddColumns(List<Column> columns) implements TableChange {
    public AddColumns {
      columns = List.copyOf(columns);
      if (columns.isEmpty()) {
        throw new IllegalArgumentException("no columns to add");
      }
    }

    @Override
    public String operation() {
      return "ADD COLUMNS";
    }
  }

  /** A column's new name; its data stays (needs column mapping). */
  record RenameColumn(String from, String to) implements TableChange {
    public RenameColumn {
      requireNonNull(from, "from");
      requireNonNull(to, "to");
    }

    @Override
    public String operation() {
      return "RENAME COLUMN";
    }
  }

  /** Columns removed from the schema; their data stays in the files (needs column mapping). */
  record DropColumns(List<String> names) implements TableChange {
    public DropColumns {
      names = List.copyOf(names);
    }

    @Override
    public String operation() {
      return "DROP COLUMNS";
    }
  }

  /**
   * A column's new type (a widening Delta allows when {@code delta.enableTypeWidening} is set),
   * comment (empty string: no comment) or nullability (Kernel only loosens it: {@code true}).
   */
  record ChangeColumn(
      String name, Optional<DataType> type, Optional<String> comment, Optional<Boolean> nullable)
      implements TableChange {
    public ChangeColumn {
      requireNonNull(name, "name");
      requireNonNull(type, "type");
      requireNonNull(comment, "comment");
      requireNonNull(nullable, "nullable");
    }

    @Override
    public String operation() {
      return "CHANGE COLUMN";
    }
  }

  /**
   * A column's new {@code DEFAULT} expression (SQL text, kept as Delta does in the field's {@code
   * CURRENT_DEFAULT} metadata), or none: {@code ALTER COLUMN c SET DEFAULT e | DROP DEFAULT}.
   * Setting one needs the table feature {@code allowColumnDefaults}.
   */
  record SetColumnDefault(String name, Optional<String> defaultValue) implements TableChange {
    public SetColumnDefault {
      requireNonNull(name, "name");
      requireNonNull(defaultValue, "defaultValue");
    }

    @Override
    public String operation() {
      return "CHANGE COLUMN";
    }
  }

  /**
   * A CHECK constraint added as Delta keeps it: the table property {@code delta.constraints.<name>}
   * holding the expression's SQL text, with the {@code checkConstraints} writer feature in the
   * protocol ({@code ALTER TABLE t ADD CONSTRAINT name CHECK (expr)}). The commit fails with
   * DELTA_COMMIT_CONFLICT unless {@code readVersion} (the version whose rows were checked against
   * the constraint) is still the latest.
   */
  record AddCheckConstraint(String name, String expression, long readVersion)
      implements TableChange {
    public AddCheckConstraint {
      requireNonNull(name, "name");
      requireNonNull(expression, "expression");
    }

    @Override
    public String operation() {
      return "ADD CONSTRAINT";
    }
  }

  /** {@code ALTER TABLE t DROP CONSTRAINT name}: the property goes, the protocol stays. */
  record DropCheckConstraint(String name) implements TableChange {
    public DropCheckConstraint {
      requireNonNull(name, "name");
    }

    @Override
    public String operation() {
      return "DROP CONSTRAINT";
    }
  }

  record SetProperties(Map<String, String> properties) implements TableChange {
    public SetProperties {
      properties = Map.copyOf(properties);
    }

    @Override
    public String operation() {
      return "SET TBLPROPERTIES";
    }
  }

  record UnsetProperties(Set<String> keys) implements TableChange {
    public UnsetProperties {
      keys = Set.copyOf(keys);
    }

    @Override
    public String operation() {
      return "UNSET TBLPROPERTIES";
    }
  }
}

package io.aquifer.catalog;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/**
 * A catalog object privileges are granted on, by its kind and full lower-case name ({@code c},
 * {@code c.s}, {@code c.s.t} or, for a function or volume, {@code c.s.f}; the metastore has no
 * name).
 */
public record Securable(SecurableType type, List<String> parts) {
  public Securable {
    requireNonNull(type, "type");
    parts = List.copyOf(parts);
    if (parts.size() != type.nameParts()) {
      throw new IllegalArgumentException(type + " names have " + type.nameParts() + " parts");
    }
    List<String> normalized = new ArrayList<>();
    String[] what = {
      "catalog",
      "schema",
      switch (type) {
        case FUNCTION -> "function";
        case VOLUME -> "volume";
        default -> "table";
      }
    };
    for (int i = 0; i < parts.size(); i++) {
      normalized.add(ObjectNames.normalize(what[i], parts.get(i)));
    }
    parts = List.copyOf(normalized);
  }

  /** The metastore: what holds the catalogs (CREATE CATALOG is granted on it). */
  public static Securable metastore() {
    return new Securable(SecurableType.METASTORE, List.of());
  }

  public static Securable volume(String catalog, String schema, String volume) {
    return new Securable(SecurableType.VOLUME, List.of(catalog, schema, volume));
  }

  public static Securable catalog(String catalog) {
    return new Securable(SecurableType.CATALOG, List.of(catalog));
  }

  public static Securable schema(String catalog, String schema) {
    return new Securable(SecurableType.SCHEMA, List.of(catalog, schema));
  }

  public static Securable table(TableName name) {
    return new Securable(SecurableType.TABLE, List.of(name.catalog(), name.schema(), name.table()));
  }

  public static Securable function(TableName name) {
    return new Securable(
        SecurableType.FUNCTION, List.of(name.catalog(), name.schema(), name.table()));
  }

  public String fullName() {
    return String.join(".", parts);
  }

  /** This object and the ones holding it, itself first: table, schema, catalog. */
  public List<Securable> selfAndAncestors() {
    List<Securable> chain = new ArrayList<>();
    chain.add(this);
    for (int n = parts.size() - 1; n >= 1; n--) {
      chain.add(new Securable(SecurableType.values()[n - 1], parts.subList(0, n)));
    }
    return chain;
  }

  @Override
  public String toString() {
    if (type == SecurableType.METASTORE) {
      return "metastore";
    }
    return type.name().toLowerCase(java.util.Locale.ROOT) + " " + fullName();
  }
}

package io.aquifer.catalog;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Unity Catalog's privileges that Aquifer enforces. A privilege granted on a catalog or schema is
 * inherited by everything in it; each applies to the securables listed here (on a parent, for
 * inheritance).
 */
public enum Privilege {
  /** Creating catalogs: granted on the metastore only (not inherited by the catalogs). */
  CREATE_CATALOG("CREATE CATALOG", EnumSet.of(SecurableType.METASTORE)),
  USE_CATALOG("USE CATALOG", EnumSet.of(SecurableType.CATALOG)),
  USE_SCHEMA("USE SCHEMA", EnumSet.of(SecurableType.CATALOG, SecurableType.SCHEMA)),
  SELECT("SELECT", EnumSet.of(SecurableType.CATALOG, SecurableType.SCHEMA, SecurableType.TABLE)),
  MODIFY("MODIFY", EnumSet.of(SecurableType.CATALOG, SecurableType.SCHEMA, SecurableType.TABLE)),
  CREATE_SCHEMA("CREATE SCHEMA", EnumSet.of(SecurableType.CATALOG)),
  CREATE_TABLE("CREATE TABLE", EnumSet.of(SecurableType.CATALOG, SecurableType.SCHEMA)),
  CREATE_VIEW("CREATE VIEW", EnumSet.of(SecurableType.CATALOG, SecurableType.SCHEMA)),
  /** Creating a volume in a schema. */
  CREATE_VOLUME("CREATE VOLUME", EnumSet.of(SecurableType.CATALOG, SecurableType.SCHEMA)),
  CREATE_FUNCTION("CREATE FUNCTION", EnumSet.of(SecurableType.CATALOG, SecurableType.SCHEMA)),
  /** Calling SQL functions: granted on one function, or on the schema or catalog holding them. */
  EXECUTE(
      "EXECUTE", EnumSet.of(SecurableType.CATALOG, SecurableType.SCHEMA, SecurableType.FUNCTION)),
  /**
   * Reading the files of a volume, or of the volumes in a catalog or schema (LIST, GET, COPY INTO's
   * source).
   */
  READ_VOLUME(
      "READ VOLUME", EnumSet.of(SecurableType.CATALOG, SecurableType.SCHEMA, SecurableType.VOLUME)),
  /** Writing and deleting the files of a volume, or of the volumes in a catalog or schema. */
  WRITE_VOLUME(
      "WRITE VOLUME",
      EnumSet.of(SecurableType.CATALOG, SecurableType.SCHEMA, SecurableType.VOLUME)),
  BROWSE("BROWSE", EnumSet.of(SecurableType.CATALOG, SecurableType.SCHEMA, SecurableType.TABLE)),
  MANAGE("MANAGE", EnumSet.complementOf(EnumSet.of(SecurableType.METASTORE))),
  /**
   * Every privilege that applies to the securable and what it holds, except MANAGE; not on the
   * metastore, whose privileges are granted one by one.
   */
  ALL_PRIVILEGES("ALL PRIVILEGES", EnumSet.complementOf(EnumSet.of(SecurableType.METASTORE)));

  private final String sqlName;
  private final Set<SecurableType> appliesTo;

  Privilege(String sqlName, Set<SecurableType> appliesTo) {
    this.sqlName = sqlName;
    this.appliesTo = appliesTo;
  }

  /** As written in SQL and shown by SHOW GRANTS: {@code USE CATALOG}, {@code SELECT}, ... */
  public String sqlName() {
    return sqlName;
  }

  /** Whether this privilege can be granted on a securable of this kind. */
  public boolean appliesTo(SecurableType type) {
    return appliesTo.contains(type);
  }

  /** By SQL name, any case and spacing ({@code all privileges}, {@code ALL}); empty if unknown. */
  public static Optional<Privilege> fromSql(String name) {
    String normalized = String.join(" ", name.trim().toUpperCase(Locale.ROOT).split("\\s+"));
    if (normalized.equals("ALL")) {
      return Optional.of(ALL_PRIVILEGES);
    }
    return Arrays.stream(values()).filter(p -> p.sqlName.equals(normalized)).findFirst();
  }
}

package io.aquifer.catalog;

import static io.aquifer.catalog.CatalogDatabase.fromEpochMicros;
import static io.aquifer.catalog.CatalogDatabase.toEpochMicros;
import static io.aquifer.catalog.CatalogErrorCode.CATALOG_OBJECT_NOT_FOUND;
import static io.aquifer.catalog.CatalogErrorCode.INVALID_OBJECT_NAME;
import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Volumes, persisted in a {@link CatalogDatabase}; every method is one transaction. The store keeps
 * the rows; the caller creates and deletes a managed volume's directory.
 */
public final class VolumeStore {
  private static final String COLUMNS =
      "SELECT catalog_name, schema_name, name, kind, owner, comment, storage_location, created_at,"
          + " updated_at FROM volumes";

  private final CatalogDatabase database;
  private final Clock clock;

  public VolumeStore(CatalogDatabase database, Clock clock) {
    this.database = requireNonNull(database, "database");
    this.clock = requireNonNull(clock, "clock");
  }

  public VolumeStore(CatalogDatabase database) {
    this(database, Clock.systemUTC());
  }

  /** A volume name as stored: the rule of {@link ObjectNames}, and no {@code /} (it is a path). */
  public static String normalizeName(String name) {
    String normalized = ObjectNames.normalize("volume", name);
    if (normalized.contains("/")) {
      throw new CatalogException(
          INVALID_OBJECT_NAME, "volume name '" + name + "' must not contain '/'");
    }
    return normalized;
  }

  /**
   * Registers a volume in an existing schema. If one of that name exists, returns it when {@code
   * ifNotExists} (empty), else fails with CATALOG_OBJECT_ALREADY_EXISTS; a table or view of the
   * name is refused too, as volumes and tables share a schema's namespace.
   *
   * @return the new volume, or empty if it existed and {@code ifNotExists}
   */
  public Optional<VolumeInfo> create(
      String catalog,
      String schema,
      String name,
      VolumeKind kind,
      String owner,
      Optional<String> comment,
      String storageLocation,
      boolean ifNotExists) {
    String c = ObjectNames.normalize("catalog", catalog);
    String s = ObjectNames.normalize("schema", schema);
    String v = normalizeName(name);
    String checkedOwner = Owners.check(owner);
    return database.write(
        connection -> {
          if (count(
                  connection,
                  "SELECT count(*) FROM schemas WHERE catalog_name = ? AND name = ?",
                  c,
                  s)
              == 0) {
            throw new CatalogException(
                CATALOG_OBJECT_NOT_FOUND, "schema " + c + "." + s + " not found");
          }
          if (find(connection, c, s, v).isPresent()) {
            if (ifNotExists) {
              return Optional.<VolumeInfo>empty();
            }
            throw new CatalogException(
                CatalogErrorCode.VOLUME_ALREADY_EXISTS,
                "volume " + c + "." + s + "." + v + " already exists");
          }
          if (count(
                  connection,
                  "SELECT count(*) FROM tables WHERE catalog_name = ? AND schema_name = ? AND name = ?",
                  c,
                  s,
                  v)
              > 0) {
            throw new CatalogException(
                CatalogErrorCode.TABLE_OR_VIEW_ALREADY_EXISTS,
                "a table or view " + c + "." + s + "." + v + " already exists");
          }
          Instant now = CatalogDatabase.now(clock);
          try (PreparedStatement insert =
              connection.prepareStatement(
                  "INSERT INTO volumes (catalog_name, schema_name, name, kind, owner, comment,"
                      + " storage_location, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, c);
            insert.setString(2, s);
            insert.setString(3, v);
            insert.setString(4, kind.name());
            insert.setString(5, checkedOwner);
            insert.setString(6, comment.orElse(null));
            insert.setString(7, storageLocation);
            insert.setLong(8, toEpochMicros(now));
            insert.setLong(9, toEpochMicros(now));
            insert.executeUpdate();
          }
          return Optional.of(
              new VolumeInfo(c, s, v, kind, checkedOwner, comment, storageLocation, now, now));
        });
  }

  public Optional<VolumeInfo> get(String catalog, String schema, String name) {
    String c = ObjectNames.normalize("catalog", catalog);
    String s = ObjectNames.normalize("schema", schema);
    String v = normalizeName(name);
    return database.read(connection -> find(connection, c, s, v));
  }

  /** The volumes of a schema, by name. */
  public List<VolumeInfo> list(String catalog, String schema) {
    String c = ObjectNames.normalize("catalog", catalog);
    String s = ObjectNames.normalize("schema", schema);
    return database.read(
        connection -> {
          List<VolumeInfo> out = new ArrayList<>();
          try (PreparedStatement select =
              connection.prepareStatement(
                  COLUMNS + " WHERE catalog_name = ? AND schema_name = ? ORDER BY name")) {
            select.setString(1, c);
            select.setString(2, s);
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                out.add(volume(rows));
              }
            }
          }
          return out;
        });
  }

  /** Removes a volume's row; the volume it was, if there was one. */
  public Optional<VolumeInfo> drop(String catalog, String schema, String name) {
    String c = ObjectNames.normalize("catalog", catalog);
    String s = ObjectNames.normalize("schema", schema);
    String v = normalizeName(name);
    return database.write(
        connection -> {
          Optional<VolumeInfo> existing = find(connection, c, s, v);
          if (existing.isPresent()) {
            try (PreparedStatement delete =
                connection.prepareStatement(
                    "DELETE FROM volumes WHERE catalog_name = ? AND schema_name = ? AND name = ?")) {
              delete.setString(1, c);
              delete.setString(2, s);
              delete.setString(3, v);
              delete.executeUpdate();
            }
            GrantStore.deleteGrants(connection, Securable.volume(c, s, v));
          }
          return existing;
        });
  }

  /** The number of volumes in a catalog ({@code schema} null) or schema, in a transaction. */
  static long countIn(Connection connection, String catalog, String schema) throws SQLException {
    return schema == null
        ? count(connection, "SELECT count(*) FROM volumes WHERE catalog_name = ?", catalog)
        : count(
            connection,
            "SELECT count(*) FROM volumes WHERE catalog_name = ? AND schema_name = ?",
            catalog,
            schema);
  }

  private static Optional<VolumeInfo> find(
      Connection connection, String catalog, String schema, String name) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            COLUMNS + " WHERE catalog_name = ? AND schema_name = ? AND name = ?")) {
      select.setString(1, catalog);
      select.setString(2, schema);
      select.setString(3, name);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next() ? Optional.of(volume(rows)) : Optional.empty();
      }
    }
  }

  private static VolumeInfo volume(ResultSet rows) throws SQLException {
    return new VolumeInfo(
        rows.getString(1),
        rows.getString(2),
        rows.getString(3),
        VolumeKind.valueOf(rows.getString(4)),
        rows.getString(5),
        Optional.ofNullable(rows.getString(6)),
        rows.getString(7),
        fromEpochMicros(rows.getLong(8)),
        fromEpochMicros(rows.getLong(9)));
  }

  private static long count(Connection connection, String sql, String... parameters)
      throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        select.setString(i + 1, parameters[i]);
      }
      try (ResultSet rows = select.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    }
  }
}

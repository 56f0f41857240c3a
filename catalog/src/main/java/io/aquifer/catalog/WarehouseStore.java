package io.aquifer.catalog;

import static io.aquifer.catalog.CatalogDatabase.fromEpochMicros;
import static io.aquifer.catalog.CatalogDatabase.toEpochMicros;
import static io.aquifer.catalog.WarehouseErrorCode.RESOURCE_ALREADY_EXISTS;
import static io.aquifer.catalog.WarehouseErrorCode.RESOURCE_DOES_NOT_EXIST;
import static java.util.Objects.requireNonNull;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Warehouses in the catalog database. Every write is one transaction, so the admin command line and
 * the running gateway (which share the database file) never see half a change. The gateway owns the
 * clusters; this store keeps only what a warehouse is and the state last recorded.
 */
public final class WarehouseStore {
  private static final HexFormat HEX = HexFormat.of();
  private static final String COLUMNS =
      "id, name, size, min_num_clusters, max_num_clusters, auto_stop_mins, cluster_concurrency,"
          + " creator_name, state, health, health_message, created_at, updated_at, engine,"
          + " spark_connect_url";

  private final CatalogDatabase database;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  public WarehouseStore(CatalogDatabase database) {
    this(database, Clock.systemUTC());
  }

  public WarehouseStore(CatalogDatabase database, Clock clock) {
    this.database = requireNonNull(database, "database");
    this.clock = requireNonNull(clock, "clock");
  }

  /**
   * The catalog's change generation ({@link CatalogDatabase#changeGeneration}): equal values mean
   * no warehouse was created, renamed, changed or deleted in between, by this process or another.
   */
  public String changeGeneration() {
    return database.changeGeneration();
  }

  /** Creates a stopped, healthy warehouse; it starts on its first statement. */
  public Warehouse create(WarehouseSpec spec, String creator) {
    requireNonNull(spec, "spec");
    requireNonNull(creator, "creator");
    byte[] bytes = new byte[8];
    random.nextBytes(bytes);
    String id = HEX.formatHex(bytes);
    Instant now = CatalogDatabase.now(clock);
    return database.write(
        connection -> {
          checkNameFree(connection, spec.name(), Optional.empty());
          try (PreparedStatement insert =
              connection.prepareStatement(
                  "INSERT INTO warehouses ("
                      + COLUMNS
                      + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'STOPPED', 'HEALTHY', NULL, ?, ?, ?, ?)")) {
            insert.setString(1, id);
            bindSpec(insert, 2, spec);
            insert.setString(8, creator);
            insert.setLong(9, toEpochMicros(now));
            insert.setLong(10, toEpochMicros(now));
            insert.setString(11, spec.engine().externalName());
            insert.setString(12, spec.sparkConnectUrl().orElse(null));
            insert.executeUpdate();
          }
          writeTags(connection, id, spec.tags());
          return find(connection, id).orElseThrow();
        });
  }

  /**
   * Creates the {@value WarehouseSpec#STARTER_NAME} if the catalog has never had a warehouse;
   * returns it if created.
   */
  public Optional<Warehouse> createStarterIfNone(String creator) {
    boolean none =
        database.read(
            connection -> {
              try (PreparedStatement count =
                      connection.prepareStatement("SELECT count(*) FROM warehouses");
                  ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getLong(1) == 0;
              }
            });
    return none ? Optional.of(create(WarehouseSpec.starter(), creator)) : Optional.empty();
  }

  /** Warehouses not deleted (those being deleted included), by name. */
  public List<Warehouse> list() {
    return database.read(
        connection -> {
          List<String> ids = new ArrayList<>();
          try (PreparedStatement select =
                  connection.prepareStatement(
                      "SELECT id FROM warehouses WHERE state <> 'DELETED' ORDER BY lower(name), id");
              ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
              ids.add(rows.getString(1));
            }
          }
          List<Warehouse> all = new ArrayList<>();
          for (String id : ids) {
            find(connection, id).ifPresent(all::add);
          }
          return all;
        });
  }

  /** The warehouse with this id, unless deleted. */
  public Optional<Warehouse> get(String id) {
    requireNonNull(id, "id");
    return database.read(connection -> find(connection, id)).filter(Warehouse::isLive);
  }

  /**
   * The warehouse a client names: by id, else by name (ignoring case); deleted ones are not found.
   *
   * @throws WarehouseException RESOURCE_DOES_NOT_EXIST
   */
  public Warehouse resolve(String idOrName) {
    if (idOrName == null || idOrName.isBlank()) {
      throw RESOURCE_DOES_NOT_EXIST.exception("a warehouse id or name is required");
    }
    String wanted = idOrName.strip();
    return database.read(
        connection -> {
          Optional<Warehouse> byId = find(connection, wanted).filter(Warehouse::isLive);
          if (byId.isPresent()) {
            return byId.get();
          }
          try (PreparedStatement select =
              connection.prepareStatement(
                  "SELECT id FROM warehouses WHERE lower(name) = lower(?) AND state <> 'DELETED'")) {
            select.setString(1, wanted);
            try (ResultSet rows = select.executeQuery()) {
              if (rows.next()) {
                return find(connection, rows.getString(1)).orElseThrow();
              }
            }
          }
          throw RESOURCE_DOES_NOT_EXIST.exception(
              "warehouse '" + wanted + "' does not exist (no warehouse has this id or name)");
        });
  }

  /**
   * Replaces what the owner chose; the state stays. The engine is chosen at create time: an edit
   * that changes it is refused.
   */
  public Warehouse edit(String id, WarehouseSpec spec) {
    requireNonNull(spec, "spec");
    return database.write(
        connection -> {
          Warehouse current = live(connection, id);
          if (current.spec().engine() != spec.engine()) {
            throw WarehouseErrorCode.INVALID_PARAMETER_VALUE.exception(
                "the type of warehouse '"
                    + current.name()
                    + "' is "
                    + current.spec().engine().externalName()
                    + " and cannot be changed; create a new warehouse of type "
                    + spec.engine().externalName());
          }
          checkNameFree(connection, spec.name(), Optional.of(id));
          try (PreparedStatement update =
              connection.prepareStatement(
                  "UPDATE warehouses SET name = ?, size = ?, min_num_clusters = ?,"
                      + " max_num_clusters = ?, auto_stop_mins = ?, cluster_concurrency = ?,"
                      + " spark_connect_url = ?, updated_at = ? WHERE id = ?")) {
            bindSpec(update, 1, spec);
            update.setString(7, spec.sparkConnectUrl().orElse(null));
            update.setLong(8, toEpochMicros(CatalogDatabase.now(clock)));
            update.setString(9, id);
            update.executeUpdate();
          }
          try (PreparedStatement delete =
              connection.prepareStatement("DELETE FROM warehouse_tags WHERE warehouse_id = ?")) {
            delete.setString(1, id);
            delete.executeUpdate();
          }
          writeTags(connection, id, spec.tags());
          return find(connection, id).orElseThrow();
        });
  }

  /**
   * Moves a warehouse to {@code to} if its state is one of {@code from}; returns it as it is now
   * either way.
   */
  public Warehouse transition(String id, Set<WarehouseState> from, WarehouseState to) {
    requireNonNull(to, "to");
    return database.write(
        connection -> {
          Warehouse current =
              find(connection, id)
                  .filter(w -> w.state() != WarehouseState.DELETED)
                  .orElseThrow(
                      () ->
                          RESOURCE_DOES_NOT_EXIST.exception("warehouse " + id + " does not exist"));
          if (from.contains(current.state()) && current.state() != to) {
            try (PreparedStatement update =
                connection.prepareStatement(
                    "UPDATE warehouses SET state = ?, updated_at = ? WHERE id = ?")) {
              update.setString(1, to.name());
              update.setLong(2, toEpochMicros(CatalogDatabase.now(clock)));
              update.setString(3, id);
              update.executeUpdate();
            }
          }
          return find(connection, id).orElseThrow();
        });
  }

  /** Records the health the gateway observed. */
  public void health(String id, WarehouseHealth health, Optional<String> message) {
    database.write(
        connection -> {
          try (PreparedStatement update =
              connection.prepareStatement(
                  "UPDATE warehouses SET health = ?, health_message = ? WHERE id = ?")) {
            update.setString(1, health.name());
            update.setString(2, message.orElse(null));
            update.setString(3, id);
            update.executeUpdate();
          }
          return null;
        });
  }

  /**
   * Deletes a warehouse: a stopped one at once (DELETED), a running one is marked DELETING and the
   * gateway deletes it once its clusters are stopped. Its name is free as soon as it is DELETED.
   */
  public Warehouse delete(String id) {
    return database.write(
        connection -> {
          Warehouse current = live(connection, id);
          WarehouseState next =
              current.state() == WarehouseState.STOPPED
                  ? WarehouseState.DELETED
                  : WarehouseState.DELETING;
          try (PreparedStatement update =
              connection.prepareStatement(
                  "UPDATE warehouses SET state = ?, updated_at = ? WHERE id = ?")) {
            update.setString(1, next.name());
            update.setLong(2, toEpochMicros(CatalogDatabase.now(clock)));
            update.setString(3, id);
            update.executeUpdate();
          }
          return find(connection, id).orElseThrow();
        });
  }

  private static Warehouse live(Connection connection, String id) throws SQLException {
    requireNonNull(id, "id");
    return find(connection, id)
        .filter(Warehouse::isLive)
        .orElseThrow(
            () -> RESOURCE_DOES_NOT_EXIST.exception("warehouse " + id + " does not exist"));
  }

  private static void checkNameFree(Connection connection, String name, Optional<String> self)
      throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT id FROM warehouses WHERE lower(name) = lower(?) AND state <> 'DELETED'")) {
      select.setString(1, name);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          if (self.isEmpty() || !self.get().equals(rows.getString(1))) {
            throw RESOURCE_ALREADY_EXISTS.exception(
                "a warehouse named '" + name + "' already exists (id " + rows.getString(1) + ")");
          }
        }
      }
    }
  }

  private static void bindSpec(PreparedStatement statement, int first, WarehouseSpec spec)
      throws SQLException {
    statement.setString(first, spec.name());
    statement.setString(first + 1, spec.size().name());
    statement.setInt(first + 2, spec.minNumClusters());
    statement.setInt(first + 3, spec.maxNumClusters());
    statement.setInt(first + 4, spec.autoStopMins());
    statement.setInt(first + 5, spec.clusterConcurrency());
  }

  private static void writeTags(Connection connection, String id, Map<String, String> tags)
      throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO warehouse_tags (warehouse_id, tag_key, tag_value) VALUES (?, ?, ?)")) {
      for (Map.Entry<String, String> tag : tags.entrySet()) {
        insert.setString(1, id);
        insert.setString(2, tag.getKey());
        insert.setString(3, tag.getValue());
        insert.executeUpdate();
      }
    }
  }

  private static Optional<Warehouse> find(Connection connection, String id) throws SQLException {
    Map<String, String> tags = new LinkedHashMap<>();
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT tag_key, tag_value FROM warehouse_tags WHERE warehouse_id = ?"
                + " ORDER BY tag_key")) {
      select.setString(1, id);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          tags.put(rows.getString(1), rows.getString(2));
        }
      }
    }
    try (PreparedStatement select =
        connection.prepareStatement("SELECT " + COLUMNS + " FROM warehouses WHERE id = ?")) {
      select.setString(1, id);
      try (ResultSet rows = select.executeQuery()) {
        if (!rows.next()) {
          return Optional.empty();
        }
        WarehouseSpec spec =
            new WarehouseSpec(
                rows.getString(2),
                WarehouseSize.valueOf(rows.getString(3)),
                rows.getInt(4),
                rows.getInt(5),
                rows.getInt(6),
                rows.getInt(7),
                tags,
                WarehouseEngine.parse(rows.getString(14)),
                Optional.ofNullable(rows.getString(15)));
        return Optional.of(
            new Warehouse(
                rows.getString(1),
                spec,
                rows.getString(8),
                WarehouseState.valueOf(rows.getString(9)),
                WarehouseHealth.valueOf(rows.getString(10)),
                Optional.ofNullable(rows.getString(11)),
                fromEpochMicros(rows.getLong(12)),
                fromEpochMicros(rows.getLong(13))));
      }
    }
  }
}

package io.aquifer.catalog;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;

/**
 * What a CREATE TABLE or CREATE VIEW declares: everything about a table or view except the times
 * the store stamps on it. MANAGED and EXTERNAL tables have a location URI and no view; views have a
 * {@link ViewDefinition} and no location.
 */
public record TableDefinition(
    TableName name,
    TableKind kind,
    String owner,
    Optional<String> comment,
    Optional<String> location,
    Optional<ViewDefinition> view,
    Map<String, String> properties) {
  public TableDefinition {
    requireNonNull(name, "name");
    requireNonNull(kind, "kind");
    owner = Owners.check(owner);
    requireNonNull(comment, "comment");
    requireNonNull(location, "location");
    requireNonNull(view, "view");
    properties = Map.copyOf(requireNonNull(properties, "properties"));
    if (kind.hasLocation()) {
      if (location.isEmpty() || location.get().isBlank()) {
        throw new IllegalArgumentException(kind + " table " + name + " needs a location");
      }
      if (view.isPresent()) {
        throw new IllegalArgumentException(kind + " table " + name + " cannot have view SQL");
      }
    } else {
      if (view.isEmpty()) {
        throw new IllegalArgumentException("view " + name + " needs its SQL");
      }
      if (location.isPresent()) {
        throw new IllegalArgumentException("view " + name + " cannot have a location");
      }
    }
    for (String key : properties.keySet()) {
      if (key.isEmpty()) {
        throw new IllegalArgumentException("table property keys must not be empty (" + name + ")");
      }
    }
  }

  public static TableDefinition managed(TableName name, String owner, String location) {
    return new TableDefinition(
        name,
        TableKind.MANAGED,
        owner,
        Optional.empty(),
        Optional.of(location),
        Optional.empty(),
        Map.of());
  }

  public static TableDefinition external(TableName name, String owner, String location) {
    return new TableDefinition(
        name,
        TableKind.EXTERNAL,
        owner,
        Optional.empty(),
        Optional.of(location),
        Optional.empty(),
        Map.of());
  }

  public static TableDefinition view(TableName name, String owner, ViewDefinition view) {
    return new TableDefinition(
        name,
        TableKind.VIEW,
        owner,
        Optional.empty(),
        Optional.empty(),
        Optional.of(view),
        Map.of());
  }

  public TableDefinition withComment(String newComment) {
    return new TableDefinition(
        name, kind, owner, Optional.of(newComment), location, view, properties);
  }

  public TableDefinition withProperties(Map<String, String> newProperties) {
    return new TableDefinition(name, kind, owner, comment, location, view, newProperties);
  }
}

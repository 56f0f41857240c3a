package io.aquifer.catalog;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * A volume: a directory of files inside a schema, addressed as {@code
 * /Volumes/<catalog>/<schema>/<name>}.
 *
 * @param storageLocation the directory's URI ({@code file:/...})
 */
public record VolumeInfo(
    String catalog,
    String schema,
    String name,
    VolumeKind kind,
    String owner,
    Optional<String> comment,
    String storageLocation,
    Instant createdAt,
    Instant updatedAt) {
  public VolumeInfo {
    catalog = ObjectNames.normalize("catalog", catalog);
    schema = ObjectNames.normalize("schema", schema);
    name = VolumeStore.normalizeName(name);
    requireNonNull(kind, "kind");
    owner = Owners.check(owner);
    requireNonNull(comment, "comment");
    requireNonNull(storageLocation, "storageLocation");
    requireNonNull(createdAt, "createdAt");
    requireNonNull(updatedAt, "updatedAt");
  }

  /** {@code catalog.schema.volume}. */
  public String fullName() {
    return catalog + "." + schema + "." + name;
  }

  /** {@code /Volumes/catalog/schema/volume}. */
  public String path() {
    return "/Volumes/" + catalog + "/" + schema + "/" + name;
  }
}

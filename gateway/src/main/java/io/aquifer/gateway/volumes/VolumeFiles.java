package io.aquifer.gateway.volumes;

import static java.util.Objects.requireNonNull;

import io.aquifer.catalog.CatalogException;
import io.aquifer.catalog.CatalogStore;
import io.aquifer.catalog.Principal;
import io.aquifer.catalog.Privilege;
import io.aquifer.catalog.Securable;
import io.aquifer.catalog.VolumeInfo;
import io.aquifer.catalog.VolumeKind;
import io.aquifer.gateway.GatewayErrorCode;
import io.aquifer.gateway.GatewayException;
import io.aquifer.gateway.execution.AccessControl;
import io.aquifer.gateway.execution.GatewayErrors;
import io.aquifer.storage.StorageException;
import io.aquifer.storage.files.FileEntry;
import io.aquifer.storage.files.FileStore;
import io.aquifer.storage.files.LocalFileStore;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The files of volumes, for the Files API, {@code LIST} and COPY INTO: resolves a {@code
 * /Volumes/...} path to its volume's {@link FileStore}, checks that the principal may read (READ
 * VOLUME) or write (WRITE VOLUME) there, and translates storage failures into gateway errors. Also
 * where managed volumes' directories live: {@code <data
 * dir>/volumes/<catalog>/<schema>/<volume>-<id>}, or with a storage root in S3 {@code <storage
 * root>/volumes/<catalog>/<schema>/<volume>-<id>} there (files through the S3 file store).
 */
public final class VolumeFiles {
  /** Below the data directory: the managed volumes' directories. */
  public static final String MANAGED_DIRECTORY = "volumes";

  private final CatalogStore catalog;
  private final Path managedRoot;
  private final java.util.Optional<io.aquifer.storage.objects.S3Location> objectStoreRoot;

  public VolumeFiles(CatalogStore catalog, Path dataDirectory) {
    this(catalog, dataDirectory, java.util.Optional.empty());
  }

  /**
   * @param storageRoot an {@code s3://bucket/prefix} storage root: new managed volumes live below
   *     its {@code volumes/}; empty for the data directory
   */
  public VolumeFiles(
      CatalogStore catalog, Path dataDirectory, java.util.Optional<URI> storageRoot) {
    this.catalog = requireNonNull(catalog, "catalog");
    this.managedRoot =
        requireNonNull(dataDirectory, "dataDirectory")
            .resolve(MANAGED_DIRECTORY)
            .toAbsolutePath()
            .normalize();
    this.objectStoreRoot =
        storageRoot
            .filter(io.aquifer.storage.objects.S3Location::isS3)
            .map(r -> io.aquifer.storage.objects.S3Location.of(r).resolve(MANAGED_DIRECTORY));
  }

  /** The local directory managed volumes live below (without an S3 storage root). */
  public Path managedRoot() {
    return managedRoot;
  }

  /** A new, unused directory for a managed volume (not created yet). */
  public URI newManagedLocation(String catalogName, String schema, String volume) {
    String id = UUID.randomUUID().toString().substring(0, 8);
    if (objectStoreRoot.isPresent()) {
      return objectStoreRoot
          .get()
          .resolve(safe(catalogName) + "/" + safe(schema) + "/" + safe(volume) + "-" + id)
          .uri();
    }
    return managedRoot
        .resolve(safe(catalogName))
        .resolve(safe(schema))
        .resolve(safe(volume) + "-" + id)
        .toUri();
  }

  /** Creates a volume's directory (managed) or checks it can be opened (external). */
  public void createDirectory(VolumeInfo volume) {
    storage(() -> store(volume));
  }

  /** Deletes a managed volume's directory and everything in it; external ones are kept. */
  public void deleteManaged(VolumeInfo volume) {
    if (volume.kind() != VolumeKind.MANAGED) {
      return;
    }
    URI location = URI.create(volume.storageLocation());
    if (io.aquifer.storage.objects.S3Location.isS3(location)) {
      io.aquifer.storage.objects.S3Location at = io.aquifer.storage.objects.S3Location.of(location);
      boolean below =
          objectStoreRoot
              .filter(
                  root ->
                      root.bucket().equals(at.bucket())
                          && at.prefix().startsWith(root.prefix() + "/"))
              .isPresent();
      if (!below) {
        throw new IllegalStateException(
            "refusing to delete " + location + ": not below the managed volumes' root");
      }
      storage(
          () -> {
            io.aquifer.storage.objects.TableFiles.deleteDirectory(location);
            return null;
          });
      return;
    }
    Path dir = Path.of(URI.create(volume.storageLocation())).toAbsolutePath().normalize();
    if (!dir.startsWith(managedRoot) || dir.equals(managedRoot)) {
      throw new IllegalStateException("refusing to delete " + dir + ": not below " + managedRoot);
    }
    storage(
        () -> {
          FileStore store = store(volume);
          store.deleteDirectory("", true);
          return null;
        });
  }

  // ---------------------------------------------------------------- files

  /** Writes a file, streaming; WRITE VOLUME. */
  public VolumeFile upload(Principal principal, String path, InputStream data, boolean overwrite) {
    Opened o = open(principal, path, Privilege.WRITE_VOLUME);
    return storage(() -> o.file(o.store().write(o.path().relative(), data, overwrite)));
  }

  /** The file's metadata and a stream of its bytes (the caller closes it); READ VOLUME. */
  public Download download(Principal principal, String path) {
    Opened o = open(principal, path, Privilege.READ_VOLUME);
    return storage(
        () -> {
          VolumeFile file = requireFile(o);
          return new Download(file, o.store().open(o.path().relative()));
        });
  }

  /** A file's metadata; READ VOLUME. */
  public VolumeFile fileMetadata(Principal principal, String path) {
    Opened o = open(principal, path, Privilege.READ_VOLUME);
    return storage(() -> requireFile(o));
  }

  /** A directory's metadata; READ VOLUME. */
  public VolumeFile directoryMetadata(Principal principal, String path) {
    Opened o = open(principal, path, Privilege.READ_VOLUME);
    return storage(
        () -> {
          FileEntry e =
              o.store()
                  .stat(o.path().relative())
                  .filter(FileEntry::directory)
                  .orElseThrow(() -> notFound("directory", o.path().full()));
          return o.file(e);
        });
  }

  /** Deletes a file; WRITE VOLUME. */
  public void deleteFile(Principal principal, String path) {
    Opened o = open(principal, path, Privilege.WRITE_VOLUME);
    storage(
        () -> {
          o.store().deleteFile(o.path().relative());
          return null;
        });
  }

  /** The files and directories directly in a directory, by name; READ VOLUME. */
  public List<VolumeFile> listDirectory(Principal principal, String path) {
    Opened o = open(principal, path, Privilege.READ_VOLUME);
    return storage(() -> o.store().list(o.path().relative()).stream().map(o::file).toList());
  }

  /** Creates a directory and its parents; WRITE VOLUME. */
  public void createDirectory(Principal principal, String path) {
    Opened o = open(principal, path, Privilege.WRITE_VOLUME);
    storage(
        () -> {
          o.store().createDirectories(o.path().relative());
          return null;
        });
  }

  /** Deletes an empty directory (not the volume's root); WRITE VOLUME. */
  public void deleteDirectory(Principal principal, String path) {
    Opened o = open(principal, path, Privilege.WRITE_VOLUME);
    if (o.path().relative().isEmpty()) {
      throw GatewayErrorCode.INVALID_VOLUME_PATH.exception(
          "the root of volume " + o.volume().fullName() + " cannot be deleted; use DROP VOLUME");
    }
    storage(
        () -> {
          o.store().deleteDirectory(o.path().relative(), false);
          return null;
        });
  }

  /**
   * The files below a directory, recursively (names starting with {@code _} or {@code .} left out),
   * for COPY INTO; READ VOLUME.
   */
  public List<VolumeFile> filesBelow(Principal principal, String path) {
    Opened o = open(principal, path, Privilege.READ_VOLUME);
    return storage(
        () -> o.store().listFilesRecursively(o.path().relative()).stream().map(o::file).toList());
  }

  /** A file and its bytes. */
  public record Download(VolumeFile file, InputStream data) {}

  // ---------------------------------------------------------------- resolution

  private record Opened(VolumeInfo volume, VolumePath path, FileStore store) {
    VolumeFile file(FileEntry e) {
      String full = e.path().isEmpty() ? path.volumeRoot() : path.volumeRoot() + "/" + e.path();
      return new VolumeFile(full, e, store.uri(e.path()));
    }
  }

  private VolumeFile requireFile(Opened o) {
    FileEntry e =
        o.store()
            .stat(o.path().relative())
            .filter(f -> !f.directory())
            .orElseThrow(() -> notFound("file", o.path().full()));
    return o.file(e);
  }

  private Opened open(Principal principal, String text, Privilege needed) {
    VolumePath path = VolumePath.parse(text);
    VolumeInfo volume = volume(principal, path.catalog(), path.schema(), path.volume());
    AccessControl access = new AccessControl(catalog, principal);
    boolean owner = volume.owner().equalsIgnoreCase(principal.name());
    if (!owner && !principal.admin()) {
      Securable schema = Securable.schema(volume.catalog(), volume.schema());
      access.require(Securable.catalog(volume.catalog()), Privilege.USE_CATALOG);
      access.require(schema, Privilege.USE_SCHEMA);
      // granted on the volume itself, its schema or its catalog
      if (!access.holds(
          Securable.volume(volume.catalog(), volume.schema(), volume.name()), needed)) {
        throw GatewayErrorCode.PERMISSION_DENIED.exception(
            "User "
                + principal.name()
                + " does not have "
                + needed.sqlName()
                + " on volume "
                + volume.fullName()
                + " (grant it on the volume, on schema "
                + schema.fullName()
                + " or on its catalog)");
      }
    }
    FileStore store = storage(() -> store(volume));
    return new Opened(volume, path, store);
  }

  /**
   * The volume, which must exist; a caller with no privilege at all on its schema is told it does
   * not exist, as for tables.
   */
  public VolumeInfo volume(Principal principal, String catalogName, String schema, String name) {
    VolumeInfo volume;
    try {
      volume =
          catalog
              .volumes()
              .get(catalogName, schema, name)
              .orElseThrow(
                  () ->
                      GatewayErrorCode.VOLUME_NOT_FOUND.exception(
                          "volume " + catalogName + "." + schema + "." + name + " does not exist"));
    } catch (CatalogException e) {
      throw GatewayErrors.translate(e);
    }
    AccessControl access = new AccessControl(catalog, principal);
    if (!principal.admin()
        && !volume.owner().equalsIgnoreCase(principal.name())
        && !access.canSee(Securable.schema(volume.catalog(), volume.schema()))) {
      throw GatewayErrorCode.VOLUME_NOT_FOUND.exception(
          "volume " + volume.fullName() + " does not exist");
    }
    return volume;
  }

  private static FileStore store(VolumeInfo volume) {
    URI location = URI.create(volume.storageLocation());
    return io.aquifer.storage.objects.S3Location.isS3(location)
        ? io.aquifer.storage.objects.TableFiles.store(location)
        : LocalFileStore.of(location);
  }

  private static GatewayException notFound(String what, String path) {
    return GatewayErrors.translate(
        new StorageException(
            io.aquifer.storage.StorageErrorCode.FILE_NOT_FOUND,
            "the " + what + " '" + path + "' does not exist"));
  }

  private static <T> T storage(Supplier<T> work) {
    try {
      return work.get();
    } catch (StorageException e) {
      if (e.code() == io.aquifer.storage.StorageErrorCode.INVALID_FILE_PATH) {
        throw GatewayErrorCode.INVALID_VOLUME_PATH.exception(e.getMessage(), e);
      }
      throw GatewayErrors.translate(e);
    }
  }

  private static String safe(String name) {
    StringBuilder b = new StringBuilder();
    for (char c : name.toLowerCase(Locale.ROOT).toCharArray()) {
      b.append((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ? c : '_');
      if (b.length() >= 64) {
        break;
      }
    }
    return b.length() == 0 ? "_" : b.toString();
  }
}

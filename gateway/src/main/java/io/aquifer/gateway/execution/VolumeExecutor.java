package io.aquifer.gateway.execution;

import static io.aquifer.gateway.results.LocalResultStream.longField;
import static io.aquifer.gateway.results.LocalResultStream.stringField;

import io.aquifer.catalog.Privilege;
import io.aquifer.catalog.Securable;
import io.aquifer.catalog.VolumeInfo;
import io.aquifer.catalog.VolumeKind;
import io.aquifer.gateway.GatewayErrorCode;
import io.aquifer.gateway.StatementResult;
import io.aquifer.gateway.WildcardPattern;
import io.aquifer.gateway.results.LocalResultStream;
import io.aquifer.gateway.volumes.VolumeFile;
import io.aquifer.gateway.volumes.VolumeFiles;
import io.aquifer.gateway.volumes.VolumePath;
import io.aquifer.planner.parse.ParsedStatement;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.arrow.vector.types.pojo.Field;

/** CREATE/DROP/SHOW/DESCRIBE VOLUME and {@code LIST '/Volumes/...'}. */
final class VolumeExecutor {
  static final List<Field> SHOW_VOLUMES =
      List.of(stringField("database"), stringField("volume_name"));
  static final List<Field> DESCRIBE_VOLUME =
      List.of(
          stringField("name"),
          stringField("catalog"),
          stringField("database"),
          stringField("owner"),
          stringField("storage_location"),
          stringField("volume_type"),
          stringField("comment"));
  static final List<Field> LIST =
      List.of(
          stringField("path"),
          stringField("name"),
          longField("size"),
          longField("modification_time"));

  private VolumeExecutor() {}

  /** The columns these statements return; empty if {@code statement} is not one of them. */
  static List<Field> resultFields(ParsedStatement statement) {
    if (statement instanceof ParsedStatement.ShowVolumes) {
      return SHOW_VOLUMES;
    }
    if (statement instanceof ParsedStatement.DescribeVolume) {
      return DESCRIBE_VOLUME;
    }
    if (statement instanceof ParsedStatement.ListFiles) {
      return LIST;
    }
    return List.of();
  }

  static StatementResult create(
      StatementContext ctx,
      ParsedStatement.CreateVolume s,
      VolumeFiles files,
      ExternalLocations externalLocations) {
    List<String> name = volumeName(ctx, s.name());
    String catalog = name.get(0);
    String schema = name.get(1);
    if (ctx.catalog().getSchema(catalog, schema).isEmpty()) {
      throw GatewayErrorCode.SCHEMA_NOT_FOUND.exception(
          "schema " + catalog + "." + schema + " does not exist");
    }
    AccessControl access = ctx.access();
    access.require(Securable.catalog(catalog), Privilege.USE_CATALOG);
    access.require(Securable.schema(catalog, schema), Privilege.USE_SCHEMA);
    access.require(Securable.schema(catalog, schema), Privilege.CREATE_VOLUME);
    if (s.ifNotExists() && ctx.catalog().volumes().get(catalog, schema, name.get(2)).isPresent()) {
      return new StatementResult.UpdateCount(0);
    }
    URI location;
    VolumeKind kind;
    if (s.location().isPresent()) {
      // Only admin-defined external locations; never the managed tables' or volumes' directories.
      location = externalLocations.resolve(s.location().get(), ctx.locations().root());
      if (Path.of(location).startsWith(files.managedRoot())) {
        throw GatewayErrorCode.LOCATION_NOT_ALLOWED.exception(
            "LOCATION '"
                + s.location().get()
                + "' is not allowed: it is inside the managed volumes directory");
      }
      kind = VolumeKind.EXTERNAL;
    } else {
      location = files.newManagedLocation(catalog, schema, name.get(2));
      kind = VolumeKind.MANAGED;
    }
    Optional<VolumeInfo> created =
        ctx.catalog()
            .volumes()
            .create(
                catalog,
                schema,
                name.get(2),
                kind,
                ctx.session().principal().name().toLowerCase(Locale.ROOT),
                s.comment(),
                location.toString(),
                s.ifNotExists());
    if (created.isPresent()) {
      try {
        files.createDirectory(created.get());
      } catch (RuntimeException e) {
        ctx.catalog().volumes().drop(catalog, schema, name.get(2));
        throw e;
      }
    }
    return new StatementResult.UpdateCount(0);
  }

  static StatementResult drop(
      StatementContext ctx, ParsedStatement.DropVolume s, VolumeFiles files) {
    List<String> name = volumeName(ctx, s.name());
    Optional<VolumeInfo> volume =
        ctx.catalog().volumes().get(name.get(0), name.get(1), name.get(2));
    if (volume.isEmpty()) {
      if (s.ifExists()) {
        return new StatementResult.UpdateCount(0);
      }
      throw GatewayErrorCode.VOLUME_NOT_FOUND.exception(
          "volume " + String.join(".", name) + " does not exist");
    }
    VolumeInfo v = files.volume(ctx.session().principal(), name.get(0), name.get(1), name.get(2));
    AccessControl access = ctx.access();
    if (!ctx.session().principal().admin()
        && !v.owner().equalsIgnoreCase(ctx.session().principal().name())) {
      access.requireManage(
          Securable.volume(v.catalog(), v.schema(), v.name()), "drop volume " + v.fullName());
    }
    ctx.catalog().volumes().drop(v.catalog(), v.schema(), v.name());
    files.deleteManaged(v);
    return new StatementResult.UpdateCount(0);
  }

  static StatementResult show(StatementContext ctx, ParsedStatement.ShowVolumes s) {
    String catalog;
    String schema;
    if (s.in().isEmpty()) {
      catalog = ctx.session().currentCatalog();
      schema = ctx.session().currentSchema();
    } else if (s.in().size() == 1) {
      catalog = ctx.session().currentCatalog();
      schema = s.in().get(0);
    } else if (s.in().size() == 2) {
      catalog = s.in().get(0);
      schema = s.in().get(1);
    } else {
      throw GatewayErrorCode.INVALID_IDENTIFIER.exception(
          "schema names have at most two parts: catalog.schema");
    }
    if (ctx.catalog().getSchema(catalog, schema).isEmpty()
        || !ctx.access().canSeeSchema(catalog, schema)) {
      throw GatewayErrorCode.SCHEMA_NOT_FOUND.exception(
          "schema " + catalog + "." + schema + " does not exist");
    }
    Optional<WildcardPattern> like = s.like().map(WildcardPattern::showPattern);
    List<List<Object>> rows = new ArrayList<>();
    for (VolumeInfo v : ctx.catalog().volumes().list(catalog, schema)) {
      if (like.map(p -> p.matches(v.name())).orElse(true)) {
        rows.add(Arrays.asList(v.schema(), v.name()));
      }
    }
    return new StatementResult.Rows(LocalResultStream.of(ctx.allocator(), SHOW_VOLUMES, rows));
  }

  static StatementResult describe(
      StatementContext ctx, ParsedStatement.DescribeVolume s, VolumeFiles files) {
    List<String> name = volumeName(ctx, s.name());
    VolumeInfo v = files.volume(ctx.session().principal(), name.get(0), name.get(1), name.get(2));
    List<List<Object>> rows = new ArrayList<>();
    rows.add(
        Arrays.asList(
            v.name(),
            v.catalog(),
            v.schema(),
            v.owner(),
            v.storageLocation(),
            v.kind().name(),
            v.comment().orElse(null)));
    return new StatementResult.Rows(LocalResultStream.of(ctx.allocator(), DESCRIBE_VOLUME, rows));
  }

  /**
   * {@code LIST 'path' [LIMIT n]}: Databricks' columns path, name, size (bytes), modification_time
   * (milliseconds since the epoch); directories end in {@code /}.
   */
  static StatementResult list(
      StatementContext ctx, ParsedStatement.ListFiles s, VolumeFiles files) {
    if (!VolumePath.isVolumePath(s.path())) {
      // Checked for its message: schemes, relative paths; other absolute paths are refused below.
      VolumePath.parse(s.path());
    }
    List<List<Object>> rows = new ArrayList<>();
    long limit = s.limit().orElse(Long.MAX_VALUE);
    for (VolumeFile f : files.listDirectory(ctx.session().principal(), s.path())) {
      if (rows.size() >= limit) {
        break;
      }
      boolean dir = f.entry().directory();
      rows.add(
          Arrays.asList(
              dir ? f.path() + "/" : f.path(),
              dir ? f.name() + "/" : f.name(),
              f.entry().size(),
              f.entry().modified().toEpochMilli()));
    }
    return new StatementResult.Rows(LocalResultStream.of(ctx.allocator(), LIST, rows));
  }

  static List<String> volumeName(StatementContext ctx, List<String> parts) {
    return switch (parts.size()) {
      case 1 ->
          List.of(ctx.session().currentCatalog(), ctx.session().currentSchema(), parts.get(0));
      case 2 -> List.of(ctx.session().currentCatalog(), parts.get(0), parts.get(1));
      case 3 -> List.copyOf(parts);
      default ->
          throw GatewayErrorCode.INVALID_IDENTIFIER.exception(
              "volume names have at most three parts (catalog.schema.volume): "
                  + String.join(".", parts));
    };
  }
}

package io.aquifer.planner;

import static java.util.Objects.requireNonNull;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The catalog as one statement sees it: each question is put to the catalog once, and the answer is
 * reused for the rest of the statement. Calcite resolves every name several times over (each
 * default path, each validation scope, each view expansion), which would otherwise be a catalog
 * round trip each time; a statement also sees one consistent catalog this way. Names are compared
 * ignoring case, as {@link PlannerCatalog} does. Not for use beyond one statement: the answers are
 * never refreshed.
 */
final class StatementCatalog implements PlannerCatalog {
  private final PlannerCatalog catalog;
  private Set<String> catalogNames;
  private final Map<String, Set<String>> schemaNames = new HashMap<>();
  private final Map<List<String>, Set<String>> tableNames = new HashMap<>();
  private final Map<List<String>, Optional<ResolvedTable>> tables = new HashMap<>();

  StatementCatalog(PlannerCatalog catalog) {
    this.catalog = requireNonNull(catalog, "catalog");
  }

  @Override
  public synchronized Set<String> catalogNames() {
    if (catalogNames == null) {
      catalogNames = Set.copyOf(catalog.catalogNames());
    }
    return catalogNames;
  }

  @Override
  public synchronized Set<String> schemaNames(String catalogName) {
    String key = lower(catalogName);
    Set<String> names = schemaNames.get(key);
    if (names == null) {
      names = Set.copyOf(catalog.schemaNames(catalogName));
      schemaNames.put(key, names);
    }
    return names;
  }

  @Override
  public synchronized Set<String> tableNames(String catalogName, String schema) {
    List<String> key = List.of(lower(catalogName), lower(schema));
    Set<String> names = tableNames.get(key);
    if (names == null) {
      names = Set.copyOf(catalog.tableNames(catalogName, schema));
      tableNames.put(key, names);
    }
    return names;
  }

  @Override
  public synchronized Optional<ResolvedTable> table(
      String catalogName, String schema, String table) {
    List<String> key = List.of(lower(catalogName), lower(schema), lower(table));
    Optional<ResolvedTable> resolved = tables.get(key);
    if (resolved == null) {
      resolved = catalog.table(catalogName, schema, table);
      tables.put(key, resolved);
    }
    return resolved;
  }

  /** Asked every time: the caller decides what to remember. */
  @Override
  public void checkRead(List<String> qualifiedName, Optional<List<String>> view) {
    catalog.checkRead(qualifiedName, view);
  }

  private final Map<String, Boolean> groupMembers = new HashMap<>();

  private final Map<List<Object>, Optional<SqlFunction>> functions = new HashMap<>();

  @Override
  public synchronized Optional<SqlFunction> function(List<String> qualifiedName) {
    return function(qualifiedName, Optional.empty());
  }

  /** Remembered per name and context: who may call a function depends on where it is called. */
  @Override
  public synchronized Optional<SqlFunction> function(
      List<String> qualifiedName, Optional<List<String>> context) {
    List<String> name = qualifiedName.stream().map(StatementCatalog::lower).toList();
    List<Object> key = List.of(name, context);
    Optional<SqlFunction> known = functions.get(key);
    if (known == null) {
      known = catalog.function(name, context);
      functions.put(key, known);
    }
    return known;
  }

  @Override
  public synchronized boolean isAccountGroupMember(String group) {
    return groupMembers.computeIfAbsent(lower(group), catalog::isAccountGroupMember);
  }

  /** Asked afresh: a statement may create or replace a temporary view of the session. */
  @Override
  public Set<String> temporaryViewNames() {
    return catalog.temporaryViewNames();
  }

  @Override
  public Optional<ViewEntry> temporaryView(String name) {
    return catalog.temporaryView(name);
  }

  private static String lower(String name) {
    return name.toLowerCase(Locale.ROOT);
  }

  @Override
  public FileSourceEntry readFiles(ReadFilesCall call) {
    return catalog.readFiles(call);
  }
}

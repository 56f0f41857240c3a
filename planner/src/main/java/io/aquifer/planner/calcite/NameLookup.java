package io.aquifer.planner.calcite;

import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.calcite.schema.lookup.LikePattern;
import org.apache.calcite.schema.lookup.Lookup;
import org.apache.calcite.schema.lookup.Named;

/**
 * Calcite {@link Lookup} over catalog names, which are stored in lower case. A table name may carry
 * a time-travel suffix ({@code t@v3}); it is looked up by its base name.
 *
 * <p>A name is first resolved to its spelling in the catalog; only then is the entity loaded, under
 * that spelling. The full list of names is fetched only when Calcite asks for it ({@link
 * #getNames}), so a level with many names (a schema's tables) can resolve one name with one catalog
 * look-up.
 */
final class NameLookup<T> implements Lookup<T> {
  private final Supplier<Set<String>> names;
  private final Function<String, String> spelling;
  private final Function<String, T> loader;

  private NameLookup(
      Supplier<Set<String>> names, Function<String, String> spelling, Function<String, T> loader) {
    this.names = names;
    this.spelling = spelling;
    this.loader = loader;
  }

  /** Over a list of names: a name resolves when the list holds it, ignoring case. */
  static <T> NameLookup<T> listed(Supplier<Set<String>> names, Function<String, T> loader) {
    return new NameLookup<>(names, base -> spellingIn(names.get(), base), loader);
  }

  /**
   * Over names resolved one at a time.
   *
   * @param spelling a base name (any case) to its spelling in the catalog, or null if none
   * @param names every name, for {@link #getNames} alone
   */
  static <T> NameLookup<T> resolved(
      Supplier<Set<String>> names, Function<String, String> spelling, Function<String, T> loader) {
    return new NameLookup<>(names, spelling, loader);
  }

  @Override
  public T get(String name) {
    String base = baseName(name);
    return base.equals(spelling.apply(base)) ? loader.apply(name) : null;
  }

  @Override
  public Named<T> getIgnoreCase(String name) {
    String base = baseName(name);
    String spelled = spelling.apply(base);
    if (spelled == null) {
      return null;
    }
    String resolved = spelled + name.substring(base.length());
    T entity = loader.apply(resolved);
    return entity == null ? null : new Named<>(resolved, entity);
  }

  @Override
  public Set<String> getNames(LikePattern pattern) {
    var matcher = pattern.matcher();
    return names.get().stream().filter(matcher::apply).collect(Collectors.toSet());
  }

  private static String spellingIn(Set<String> names, String base) {
    if (names.contains(base)) {
      return base;
    }
    String lower = base.toLowerCase(Locale.ROOT);
    if (names.contains(lower)) {
      return lower;
    }
    for (String n : names) {
      if (n.toLowerCase(Locale.ROOT).equals(lower)) {
        return n;
      }
    }
    return null;
  }

  static String baseName(String name) {
    name = SecuredTable.withoutRaw(name);
    int at = name.lastIndexOf(io.aquifer.planner.parse.TimeTravelRewriter.MARKER);
    return at > 0 ? name.substring(0, at) : name;
  }

  static String timeTravel(String name) {
    name = SecuredTable.withoutRaw(name);
    int at = name.lastIndexOf(io.aquifer.planner.parse.TimeTravelRewriter.MARKER);
    return at > 0 ? name.substring(at + 1) : "";
  }
}

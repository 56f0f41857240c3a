package io.aquifer.planner.calcite;

import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.calcite.schema.lookup.LikePattern;
import org.apache.calcite.schema.lookup.Lookup;
import org.apache.calcite.schema.lookup.Named;

/**
 * Calcite {@link Lookup} over catalog names, which are stored in lower case. A table name may carry
 * a time-travel suffix ({@code t@v3}); it is looked up by its base name.
 */
final class NameLookup<T> implements Lookup<T> {
  private final Set<String> names;
  private final Function<String, T> loader;

  NameLookup(Set<String> names, Function<String, T> loader) {
    this.names = names;
    this.loader = loader;
  }

  @Override
  public T get(String name) {
    return names.contains(baseName(name)) ? loader.apply(name) : null;
  }

  @Override
  public Named<T> getIgnoreCase(String name) {
    String base = baseName(name);
    String lower = base.toLowerCase(Locale.ROOT);
    for (String n : names) {
      if (n.equals(base) || n.toLowerCase(Locale.ROOT).equals(lower)) {
        String resolved = n + name.substring(base.length());
        T entity = loader.apply(resolved);
        return entity == null ? null : new Named<>(resolved, entity);
      }
    }
    return null;
  }

  @Override
  public Set<String> getNames(LikePattern pattern) {
    var matcher = pattern.matcher();
    return names.stream().filter(matcher::apply).collect(Collectors.toSet());
  }

  static String baseName(String name) {
    int at = name.lastIndexOf(io.aquifer.planner.parse.TimeTravelRewriter.MARKER);
    return at > 0 ? name.substring(0, at) : name;
  }

  static String timeTravel(String name) {
    int at = name.lastIndexOf(io.aquifer.planner.parse.TimeTravelRewriter.MARKER);
    return at > 0 ? name.substring(at + 1) : "";
  }
}

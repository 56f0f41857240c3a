package io.aquifer.planner.functions;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;

/**
 * Every Databricks SQL built-in function Aquifer runs: those the catalog defines itself (with their
 * signature, result type, NULL behaviour and DuckDB translation) and those Calcite's standard and
 * Spark operators already compute as Databricks does. The planner resolves function names here
 * first; {@code SHOW FUNCTIONS}, {@code DESCRIBE FUNCTION} and the client metadata list these.
 */
public final class DatabricksFunctionCatalog {
  public static final DatabricksFunctionCatalog INSTANCE = new DatabricksFunctionCatalog();

  /** A function Calcite's own operators compute as Databricks does; listed, not redefined. */
  public record BuiltinFunction(
      String name, FunctionCategory category, String usage, String description)
      implements DatabricksFunction {
    @Override
    public SqlOperator operator() {
      return null;
    }
  }

  private final Map<String, DatabricksFunction> functions = new TreeMap<>();

  private DatabricksFunctionCatalog() {
    DateTimeFunctions.define(this);
    StringFunctions.define(this);
    NumericFunctions.define(this);
    CollectionFunctions.define(this);
    AggregateFunctions.define(this);
    SketchFunctions.define(this);
    VariantFunctions.define(this);
    CsvFunctions.define(this);
    BitmapFunctions.define(this);
    XPathFunctions.define(this);
    AesFunctions.define(this);
    BuiltinFunctions.define(this);
  }

  /** The catalog's own operator for a name (any case), if it defines one. */
  public Optional<SqlOperator> operator(String name) {
    DatabricksFunction f = functions.get(name.toLowerCase(Locale.ROOT));
    return f == null || f.operator() == null ? Optional.empty() : Optional.of(f.operator());
  }

  public Optional<DatabricksFunction> function(String name) {
    return Optional.ofNullable(functions.get(name.toLowerCase(Locale.ROOT)));
  }

  /** Every function, by name. */
  public Collection<DatabricksFunction> all() {
    return Collections.unmodifiableCollection(functions.values());
  }

  /** The names of the functions of some categories, upper case, sorted. */
  public List<String> names(FunctionCategory... categories) {
    List<FunctionCategory> wanted = List.of(categories);
    List<String> names = new ArrayList<>();
    for (DatabricksFunction f : functions.values()) {
      if (wanted.contains(f.category())) {
        names.add(f.name().toUpperCase(Locale.ROOT));
      }
    }
    return names;
  }

  /** The catalog's own operators (for the validator's operator list). */
  public List<SqlOperator> operators() {
    return functions.values().stream()
        .map(DatabricksFunction::operator)
        .filter(o -> o != null)
        .distinct()
        .toList();
  }

  // Definition helpers, used by the per-category classes.

  FunctionSpec scalar(String name, FunctionCategory category, String usage, String description) {
    FunctionSpec spec = new FunctionSpec(name, category, usage, description);
    functions.put(name, new CatalogScalarFunction(spec));
    return spec;
  }

  FunctionSpec aggregate(String name, String usage, String description) {
    FunctionSpec spec = new FunctionSpec(name, FunctionCategory.AGGREGATE, usage, description);
    functions.put(name, new CatalogAggregateFunction(spec));
    return spec;
  }

  /** Another name for a function defined already. */
  void alias(String alias, String of) {
    DatabricksFunction f = functions.get(of);
    if (f instanceof CatalogScalarFunction s) {
      FunctionSpec copy = s.spec().copyAs(alias);
      functions.put(alias, new CatalogScalarFunction(copy));
    } else if (f instanceof CatalogAggregateFunction a) {
      functions.put(alias, new CatalogAggregateFunction(a.spec().copyAs(alias)));
    } else {
      throw new IllegalStateException("no function " + of);
    }
  }

  void builtin(String name, FunctionCategory category, String usage, String description) {
    if (functions.containsKey(name)) {
      throw new IllegalStateException(name + " is defined twice");
    }
    functions.put(name, new BuiltinFunction(name, category, usage, description));
  }

  // Predicates over argument types, for type-dependent translations.

  static Predicate<List<RelDataType>> argIs(int i, SqlTypeName... names) {
    List<SqlTypeName> wanted = List.of(names);
    return types -> i < types.size() && wanted.contains(types.get(i).getSqlTypeName());
  }

  static Predicate<List<RelDataType>> argIsBinary(int i) {
    return types -> i < types.size() && SqlTypeUtil.isBinary(types.get(i));
  }

  static Predicate<List<RelDataType>> argIsNumber(int i) {
    return types -> i < types.size() && SqlTypeUtil.isNumeric(types.get(i));
  }
}

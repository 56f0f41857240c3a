package io.aquifer.planner.functions;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlCallBinding;
import org.apache.calcite.sql.SqlOperandCountRange;
import org.apache.calcite.sql.SqlOperatorBinding;
import org.apache.calcite.sql.type.SqlOperandCountRanges;
import org.apache.calcite.sql.type.SqlReturnTypeInference;
import org.apache.calcite.sql.type.SqlTypeUtil;

/**
 * Everything the catalog knows about one function: name, category, usage and description, the
 * arguments it accepts, its result type, and the DuckDB SQL that computes it (an {@link
 * EngineTemplate} per number of arguments).
 */
public final class FunctionSpec {
  final String name;
  final FunctionCategory category;
  final String usage;
  final String description;
  final List<ArgKind> args = new ArrayList<>();
  int required = -1;
  boolean variadic;
  SqlReturnTypeInference returns;
  boolean alwaysNullable;
  final Map<Integer, String> templates = new HashMap<>();
  final List<Variant> variants = new ArrayList<>();
  String defaultTemplate;
  java.util.function.Function<List<String>, String> code;
  java.util.function.Function<List<RelDataType>, String> typedTemplate;
  boolean dynamic;
  boolean orderedWithinGroup;
  LambdaTyping lambdaTyping;
  boolean lambdaIndexFromZero;

  /** The types of a lambda argument's parameters, from the call's other arguments. */
  @FunctionalInterface
  interface LambdaTyping {
    List<RelDataType> parameterTypes(SqlCallBinding binding, int lambdaOperand, int parameters);
  }

  /** How the lambda arguments' parameters are typed. */
  FunctionSpec lambda(LambdaTyping typing) {
    this.lambdaTyping = typing;
    return this;
  }

  /**
   * A lambda's second parameter is an element's index, from 0 in Databricks (DuckDB counts from 1).
   */
  FunctionSpec lambdaIndexFromZero() {
    this.lambdaIndexFromZero = true;
    return this;
  }

  /** Whether a two-parameter lambda's index parameter counts from 0. */
  public boolean indexFromZero() {
    return lambdaIndexFromZero;
  }

  /** A translation used when the arguments' types match. */
  record Variant(java.util.function.Predicate<List<RelDataType>> when, String template) {}

  FunctionSpec(String name, FunctionCategory category, String usage, String description) {
    this.name = requireNonNull(name, "name");
    this.category = requireNonNull(category, "category");
    this.usage = requireNonNull(usage, "usage");
    this.description = requireNonNull(description, "description");
  }

  /** The arguments; those after {@link #optionalFrom} may be left out. */
  FunctionSpec args(ArgKind... kinds) {
    args.addAll(List.of(kinds));
    return this;
  }

  /** Only the first {@code count} arguments are required. */
  FunctionSpec optionalFrom(int count) {
    this.required = count;
    return this;
  }

  /** The last argument may repeat. */
  FunctionSpec variadic() {
    this.variadic = true;
    return this;
  }

  FunctionSpec returns(SqlReturnTypeInference returns) {
    this.returns = returns;
    return this;
  }

  /** The result may be NULL for non-NULL arguments (try_ functions, lookups). */
  FunctionSpec nullable() {
    this.alwaysNullable = true;
    return this;
  }

  /** The engine SQL for any number of arguments. */
  FunctionSpec duckdb(String template) {
    this.defaultTemplate = template;
    return this;
  }

  /** The engine SQL for calls with {@code argumentCount} arguments. */
  FunctionSpec duckdb(int argumentCount, String template) {
    templates.put(argumentCount, template);
    return this;
  }

  /** The engine SQL for arguments of these types when they decide it. */
  FunctionSpec duckdbWhen(java.util.function.Predicate<List<RelDataType>> when, String template) {
    variants.add(new Variant(when, template));
    return this;
  }

  /** The engine SQL built by code from the arguments' SQL (variadic forms such as decode). */
  FunctionSpec duckdbCode(java.util.function.Function<List<String>, String> code) {
    this.code = code;
    return this;
  }

  /**
   * The engine SQL template built from the arguments' types, for functions whose translation
   * differs per argument (xxhash64 hashes each argument by its type).
   */
  FunctionSpec duckdbTyped(java.util.function.Function<List<RelDataType>, String> typed) {
    this.typedTemplate = typed;
    return this;
  }

  /** An aggregate whose values may be ordered: {@code WITHIN GROUP (ORDER BY ...)}. */
  FunctionSpec orderedWithinGroup() {
    this.orderedWithinGroup = true;
    return this;
  }

  /** The function's value changes between runs (clock, randomness): never folded or cached. */
  FunctionSpec dynamic() {
    this.dynamic = true;
    return this;
  }

  /**
   * The template for arguments of these types (null when unknown, as for aggregates), or null when
   * code builds the SQL.
   */
  String template(List<RelDataType> types, int argumentCount) {
    if (types != null && typedTemplate != null) {
      return typedTemplate.apply(types);
    }
    if (types != null) {
      for (Variant v : variants) {
        if (v.when().test(types)) {
          return numericViews(v.template(), types);
        }
      }
      String t = templates.getOrDefault(argumentCount, defaultTemplate);
      if (t != null && t.contains("$T1") && !types.isEmpty()) {
        return t.replace("$T1", EngineTemplate.quote(SparkTypeNames.of(types.get(0))));
      }
      if (t != null && t.contains("#")) {
        return numericViews(t, types);
      }
    }
    if (code != null && !templates.containsKey(argumentCount)) {
      return null;
    }
    String t = templates.getOrDefault(argumentCount, defaultTemplate);
    if (t == null) {
      throw new IllegalStateException(name + " has no engine translation for " + argumentCount);
    }
    return t;
  }

  /**
   * {@code $1#} in a template is argument 1 as a number: a year-month interval's months, a day-time
   * interval's microseconds, a number itself.
   */
  static String numericViews(String template, List<RelDataType> types) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\$(\\d)#").matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      int i = Integer.parseInt(m.group(1)) - 1;
      RelDataType type = i < types.size() ? types.get(i) : null;
      String arg = "\\$" + m.group(1);
      String view;
      if (type != null && SqlTypeUtil.isInterval(type) && isYearMonth(type)) {
        view = "(datepart('year', " + arg + ") * 12 + datepart('month', " + arg + "))";
      } else if (type != null && SqlTypeUtil.isInterval(type)) {
        view = "epoch_us(" + arg + ")";
      } else {
        view = arg;
      }
      m.appendReplacement(out, view);
    }
    m.appendTail(out);
    return out.toString();
  }

  static boolean isYearMonth(RelDataType type) {
    return type.getSqlTypeName().getFamily()
        == org.apache.calcite.sql.type.SqlTypeFamily.INTERVAL_YEAR_MONTH;
  }

  static boolean isDayTime(RelDataType type) {
    return SqlTypeUtil.isInterval(type) && !isYearMonth(type);
  }

  int requiredArgs() {
    return required < 0 ? args.size() : required;
  }

  SqlOperandCountRange countRange() {
    return variadic
        ? SqlOperandCountRanges.from(requiredArgs())
        : SqlOperandCountRanges.between(requiredArgs(), args.size());
  }

  boolean checkOperands(SqlCallBinding binding, boolean throwOnFailure) {
    for (int i = 0; i < binding.getOperandCount(); i++) {
      ArgKind kind = args.isEmpty() ? ArgKind.ANY : args.get(Math.min(i, args.size() - 1));
      if (kind == ArgKind.LAMBDA) {
        if (!typeLambda(binding, i)) {
          if (throwOnFailure) {
            throw binding.newValidationSignatureError();
          }
          return false;
        }
        continue;
      }
      RelDataType type = binding.getOperandType(i);
      boolean ok =
          kind.accepts(type)
              && (kind != ArgKind.STRING_LITERAL || binding.isOperandLiteral(i, false));
      if (!ok) {
        if (throwOnFailure) {
          throw binding.newValidationSignatureError();
        }
        return false;
      }
    }
    if (!hasTranslation(binding.collectOperandTypes(), binding.getOperandCount())) {
      // A form the argument kinds allow but no translation takes (make_timestamp of 3 numbers).
      if (throwOnFailure) {
        throw binding.newValidationSignatureError();
      }
      return false;
    }
    return true;
  }

  /** Whether some translation takes a call with arguments of these types. */
  private boolean hasTranslation(List<RelDataType> types, int argumentCount) {
    if (typedTemplate != null) {
      try {
        typedTemplate.apply(types);
        return true;
      } catch (UnsupportedOperationException e) {
        return false;
      }
    }
    if (defaultTemplate != null || code != null || templates.containsKey(argumentCount)) {
      return true;
    }
    for (Variant v : variants) {
      if (v.when().test(types)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Gives the lambda at operand {@code i} its parameters' types and validates its body again with
   * them (the validator first saw the parameters untyped).
   */
  private boolean typeLambda(SqlCallBinding binding, int i) {
    if (!(binding.operand(i) instanceof org.apache.calcite.sql.SqlLambda lambda)
        || lambdaTyping == null) {
      return false;
    }
    List<RelDataType> types =
        lambdaTyping.parameterTypes(binding, i, lambda.getParameters().size());
    if (types == null || types.size() != lambda.getParameters().size()) {
      return false;
    }
    var validator = binding.getValidator();
    var scope = (org.apache.calcite.sql.validate.SqlLambdaScope) validator.getLambdaScope(lambda);
    for (int p = 0; p < types.size(); p++) {
      scope.getParameterTypes().put(lambda.getParameters().get(p).toString(), types.get(p));
    }
    lambda.accept(
        new org.apache.calcite.sql.util.SqlBasicVisitor<Void>() {
          @Override
          public Void visit(org.apache.calcite.sql.SqlIdentifier id) {
            validator.removeValidatedNodeType(id);
            return null;
          }

          @Override
          public Void visit(org.apache.calcite.sql.SqlCall call) {
            validator.removeValidatedNodeType(call);
            return super.visit(call);
          }
        });
    validator.validateLambda(lambda);
    return true;
  }

  /** The result type of the lambda at operand {@code i}, once typed. */
  static RelDataType lambdaResult(SqlOperatorBinding binding, int i) {
    RelDataType t = binding.getOperandType(i);
    return t instanceof org.apache.calcite.sql.type.FunctionSqlType f ? f.getReturnType() : t;
  }

  String signature() {
    StringBuilder b = new StringBuilder(name).append('(');
    for (int i = 0; i < args.size(); i++) {
      if (i > 0) {
        b.append(", ");
      }
      if (i >= requiredArgs()) {
        b.append('[');
      }
      b.append(args.get(i).describe());
      if (i >= requiredArgs()) {
        b.append(']');
      }
    }
    if (variadic) {
      b.append(", ...");
    }
    return b.append(')').toString();
  }

  RelDataType inferReturnType(SqlOperatorBinding binding) {
    RelDataType type = returns.inferReturnType(binding);
    boolean nullable = alwaysNullable;
    for (int i = 0; i < binding.getOperandCount() && !nullable; i++) {
      nullable = binding.getOperandType(i).isNullable();
    }
    return nullable && !type.isNullable()
        ? binding.getTypeFactory().createTypeWithNullability(type, true)
        : type;
  }

  /** The same function under another name. */
  FunctionSpec copyAs(String alias) {
    FunctionSpec c = new FunctionSpec(alias, category, usage.replace(name, alias), description);
    c.args.addAll(args);
    c.required = required;
    c.variadic = variadic;
    c.returns = returns;
    c.alwaysNullable = alwaysNullable;
    c.templates.putAll(templates);
    c.variants.addAll(variants);
    c.defaultTemplate = defaultTemplate;
    c.code = code;
    c.dynamic = dynamic;
    c.orderedWithinGroup = orderedWithinGroup;
    c.lambdaTyping = lambdaTyping;
    c.lambdaIndexFromZero = lambdaIndexFromZero;
    return c;
  }

  static boolean isString(RelDataType type) {
    return SqlTypeUtil.inCharFamily(type);
  }
}

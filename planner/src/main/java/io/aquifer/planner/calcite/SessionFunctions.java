package io.aquifer.planner.calcite;

import static java.util.Objects.requireNonNull;

import io.aquifer.planner.PlannerErrorCode;
import io.aquifer.planner.PlannerException;
import java.util.Locale;
import java.util.Optional;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.util.SqlShuttle;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Functions that answer from the session, replaced by their value before validation: {@code
 * current_catalog()}, {@code current_schema()} and {@code current_database()} (the session's
 * current catalog and schema), {@code current_user()}, {@code user()} and {@code session_user()}
 * (the caller). Otherwise the engine would answer with its own names ({@code memory}, {@code main},
 * {@code duckdb}). The SQL-standard spellings without parentheses ({@code CURRENT_USER}, {@code
 * CURRENT_CATALOG}, {@code CURRENT_SCHEMA}, {@code SESSION_USER}) are the same functions. {@code
 * is_account_group_member('g')} and {@code is_member('g')} (whether the caller is in group {@code
 * g}, directly or through other groups) become TRUE or FALSE; their argument must be a literal.
 *
 * @param catalog the session's current catalog
 * @param schema the session's current schema
 * @param user the caller's name, if the planner was given one
 */
public record SessionFunctions(
    String catalog,
    String schema,
    Optional<String> user,
    java.util.function.Predicate<String> groupMember) {
  public SessionFunctions {
    requireNonNull(catalog, "catalog");
    requireNonNull(schema, "schema");
    requireNonNull(user, "user");
    requireNonNull(groupMember, "groupMember");
  }

  public SessionFunctions(String catalog, String schema, Optional<String> user) {
    this(catalog, schema, user, group -> false);
  }

  /** The statement with every session function replaced by a string literal. */
  public SqlNode rewrite(SqlNode node) {
    return node.accept(new Rewriter());
  }

  private Optional<String> valueOf(String name, SqlParserPos pos) {
    switch (name.toUpperCase(Locale.ROOT)) {
      case "CURRENT_CATALOG":
        return Optional.of(catalog);
      case "CURRENT_SCHEMA":
      case "CURRENT_DATABASE":
        return Optional.of(schema);
      case "CURRENT_USER":
      case "SESSION_USER":
      case "USER":
        if (user.isEmpty()) {
          throw new PlannerException(
              PlannerErrorCode.UNSUPPORTED_FEATURE,
              name + "() is not supported here: no user is known",
              pos.getLineNum(),
              pos.getColumnNum(),
              null);
        }
        return user;
      default:
        return Optional.empty();
    }
  }

  private final class Rewriter extends SqlShuttle {
    @Override
    public @Nullable SqlNode visit(SqlCall call) {
      String function = call.getOperator().getName().toUpperCase(Locale.ROOT);
      if (call.operandCount() == 1
          && (function.equals("IS_ACCOUNT_GROUP_MEMBER") || function.equals("IS_MEMBER"))) {
        if (!(call.operand(0) instanceof SqlLiteral group)
            || group.getValueAs(Object.class) == null) {
          throw new PlannerException(
              PlannerErrorCode.INVALID_STATEMENT,
              function.toLowerCase(Locale.ROOT) + "() takes a group name as a string literal",
              call.getParserPosition().getLineNum(),
              call.getParserPosition().getColumnNum(),
              null);
        }
        return SqlLiteral.createBoolean(
            groupMember.test(group.getValueAs(String.class)), call.getParserPosition());
      }
      if (call.operandCount() == 0) {
        Optional<String> value = valueOf(call.getOperator().getName(), call.getParserPosition());
        if (value.isPresent()) {
          return SqlLiteral.createCharString(value.get(), call.getParserPosition());
        }
      }
      return super.visit(call);
    }

    @Override
    public @Nullable SqlNode visit(SqlIdentifier id) {
      // Only the reserved words: a bare USER may be a column.
      if (id.isSimple()
          && !id.isComponentQuoted(0)
          && !id.getSimple().equalsIgnoreCase("USER")
          && !id.getSimple().equalsIgnoreCase("CURRENT_DATABASE")) {
        Optional<String> value = valueOf(id.getSimple(), id.getParserPosition());
        if (value.isPresent()) {
          return SqlLiteral.createCharString(value.get(), id.getParserPosition());
        }
      }
      return id;
    }
  }
}

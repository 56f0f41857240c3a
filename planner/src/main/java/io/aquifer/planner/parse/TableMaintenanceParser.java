package io.aquifer.planner.parse;

import io.aquifer.planner.PlannerErrorCode;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Delta table maintenance statements, as Databricks writes them: {@code RESTORE [TABLE] t [TO]
 * {VERSION | TIMESTAMP} AS OF ...} and {@code VACUUM t [RETAIN n HOURS] [DRY RUN]}. What they do to
 * the Delta log is the gateway's.
 */
final class TableMaintenanceParser {
  private TableMaintenanceParser() {}

  /**
   * {@code RESTORE [TABLE] t [TO] VERSION AS OF n | TIMESTAMP AS OF 'ts'}. The cursor reads the
   * statement without the time-travel rewrite (which would fold {@code TO VERSION AS OF 3} into a
   * name).
   */
  static ParsedStatement restore(TokenCursor c) {
    c.expect("RESTORE");
    c.accept("TABLE");
    List<String> table = c.qualifiedName();
    c.accept("TO");
    Token kind = c.peek();
    if (!kind.is("VERSION") && !kind.is("TIMESTAMP")) {
      throw c.error(
          "expected VERSION AS OF or TIMESTAMP AS OF but found " + TokenCursor.describe(kind));
    }
    c.next();
    c.expect("AS");
    c.expect("OF");
    Token value = c.peek();
    OptionalLong version = OptionalLong.empty();
    Optional<Long> timestamp = Optional.empty();
    if (kind.is("VERSION")) {
      if (value.kind() != Token.Kind.NUMBER || !value.text().matches("\\d{1,18}")) {
        throw ParseErrors.at(
            c.sql(),
            value.start(),
            PlannerErrorCode.INVALID_TIME_TRAVEL_SPEC,
            "VERSION AS OF needs a non-negative integer version");
      }
      version = OptionalLong.of(Long.parseLong(value.text()));
    } else {
      if (value.kind() != Token.Kind.STRING) {
        throw ParseErrors.at(
            c.sql(),
            value.start(),
            PlannerErrorCode.INVALID_TIME_TRAVEL_SPEC,
            "TIMESTAMP AS OF needs a timestamp literal such as '2024-01-31 12:00:00'");
      }
      timestamp = Optional.of(TimeTravelRewriter.epochMillis(c.sql(), value));
    }
    c.next();
    c.expectEnd();
    return new ParsedStatement.Restore(table, version, timestamp);
  }

  /** {@code OPTIMIZE t [ZORDER BY (c, ...)]}; {@code WHERE} (partitions only) is refused. */
  static ParsedStatement optimize(TokenCursor c) {
    c.expect("OPTIMIZE");
    if (c.peek().kind() == Token.Kind.STRING) {
      throw ParseErrors.at(
          c.sql(),
          c.peek().start(),
          PlannerErrorCode.UNSUPPORTED_FEATURE,
          "OPTIMIZE of a path is not supported; name the table");
    }
    List<String> table = c.qualifiedName();
    if (c.peek().is("WHERE")) {
      throw ParseErrors.at(
          c.sql(),
          c.peek().start(),
          PlannerErrorCode.UNSUPPORTED_FEATURE,
          "OPTIMIZE ... WHERE selects partitions, and writes to partitioned tables are not"
              + " supported yet; OPTIMIZE the whole table");
    }
    List<String> zorderBy = new java.util.ArrayList<>();
    if (c.accept("ZORDER")) {
      c.expect("BY");
      boolean parenthesized = c.acceptSymbol("(");
      do {
        zorderBy.add(c.identifier());
      } while (c.acceptSymbol(","));
      if (parenthesized) {
        c.expectSymbol(")");
      }
    }
    c.expectEnd();
    return new ParsedStatement.Optimize(table, zorderBy);
  }

  /** {@code VACUUM t [RETAIN n HOURS] [DRY RUN]}; {@code FULL} is the default, {@code LITE} no. */
  static ParsedStatement vacuum(TokenCursor c) {
    c.expect("VACUUM");
    if (c.peek().kind() == Token.Kind.STRING) {
      throw ParseErrors.at(
          c.sql(),
          c.peek().start(),
          PlannerErrorCode.UNSUPPORTED_FEATURE,
          "VACUUM of a path is not supported; name the table");
    }
    List<String> table = c.qualifiedName();
    if (c.peek().is("LITE")) {
      throw ParseErrors.at(
          c.sql(),
          c.peek().start(),
          PlannerErrorCode.UNSUPPORTED_FEATURE,
          "VACUUM LITE is not supported; VACUUM (FULL) lists the table's directory instead");
    }
    c.accept("FULL");
    Optional<BigDecimal> retainHours = Optional.empty();
    if (c.accept("RETAIN")) {
      Token n = c.peek();
      if (n.kind() != Token.Kind.NUMBER) {
        throw c.error("expected a number of hours but found " + TokenCursor.describe(n));
      }
      BigDecimal hours;
      try {
        hours = new BigDecimal(n.text());
      } catch (NumberFormatException e) {
        throw c.error("expected a number of hours but found " + TokenCursor.describe(n));
      }
      c.next();
      c.expect("HOURS");
      retainHours = Optional.of(hours);
    }
    boolean dryRun = false;
    if (c.accept("DRY")) {
      c.expect("RUN");
      dryRun = true;
    }
    c.expectEnd();
    return new ParsedStatement.Vacuum(table, retainHours, dryRun);
  }
}

package io.aquifer.planner.parse;

import io.aquifer.catalog.Privilege;
import io.aquifer.planner.PlannerErrorCode;
import io.aquifer.planner.parse.ParsedStatement.GrantObject;
import io.aquifer.planner.parse.ParsedStatement.GrantObjectKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Databricks' privilege statements:
 *
 * <pre>
 * GRANT privilege [, ...] ON securable TO principal
 * REVOKE privilege [, ...] ON securable FROM principal
 * SHOW GRANTS [principal] ON securable
 * SHOW GRANTS [TO] principal
 * securable: METASTORE | CATALOG name | { SCHEMA | DATABASE } name | [TABLE] name | VIEW name
 *   | FUNCTION name | VOLUME name
 * </pre>
 *
 * A principal is a name, usually in back quotes ({@code `bob@example.com`}), or a string.
 */
final class GrantParser {
  private GrantParser() {}

  static ParsedStatement grantOrRevoke(TokenCursor c) {
    boolean revoke = c.peek().is("REVOKE");
    c.next();
    List<Privilege> privileges = new ArrayList<>();
    do {
      privileges.add(privilege(c));
    } while (c.acceptSymbol(","));
    c.expect("ON");
    GrantObject object = securable(c);
    c.expect(revoke ? "FROM" : "TO");
    String principal = principal(c);
    c.expectEnd();
    return new ParsedStatement.Grant(revoke, privileges, object, principal);
  }

  static ParsedStatement showGrants(TokenCursor c) {
    // after SHOW GRANTS
    Optional<String> principal = Optional.empty();
    if (!c.peek().is("ON")) {
      c.accept("TO");
      principal = Optional.of(principal(c));
    }
    if (c.atEnd()) {
      if (principal.isPresent()) {
        return new ParsedStatement.ShowGrantsTo(principal.get());
      }
      throw c.error("expected ON object or TO principal after SHOW GRANTS");
    }
    c.expect("ON");
    GrantObject object = securable(c);
    c.expectEnd();
    return new ParsedStatement.ShowGrants(principal, object);
  }

  /**
   * After SHOW: {@code USERS [[LIKE] 'pattern']} or {@code GROUPS [WITH { USER | GROUP } principal]
   * [[LIKE] 'pattern']}, as Databricks writes them.
   */
  static ParsedStatement showPrincipals(TokenCursor c) {
    boolean groups = c.accept("GROUPS");
    if (!groups) {
      c.expect("USERS");
    }
    Optional<String> member = Optional.empty();
    if (groups && c.accept("WITH")) {
      if (!c.accept("USER")) {
        c.expect("GROUP");
      }
      member = Optional.of(principal(c));
    }
    Optional<String> like = Optional.empty();
    if (!c.atEnd()) {
      c.accept("LIKE");
      like = Optional.of(c.stringLiteral());
    }
    c.expectEnd();
    return new ParsedStatement.ShowPrincipals(groups, member, like);
  }

  /**
   * After CREATE: {@code GROUP name [WITH [USER u [, ...]] [GROUP g [, ...]]]}, as Databricks
   * writes it.
   */
  static ParsedStatement createGroup(TokenCursor c) {
    c.expect("GROUP");
    String name = principal(c);
    List<ParsedStatement.GroupMember> members = new ArrayList<>();
    if (c.accept("WITH")) {
      members.addAll(memberLists(c));
      if (members.isEmpty()) {
        throw c.error("expected USER or GROUP after WITH");
      }
    }
    c.expectEnd();
    return new ParsedStatement.CreateGroup(name, members);
  }

  /**
   * After ALTER: {@code GROUP name { ADD | DROP } { USER u [, ...] | GROUP g [, ...] } [...]}, as
   * Databricks writes it.
   */
  static ParsedStatement alterGroup(TokenCursor c) {
    c.expect("GROUP");
    String name = principal(c);
    boolean add = c.accept("ADD");
    if (!add) {
      c.expect("DROP");
    }
    List<ParsedStatement.GroupMember> members = memberLists(c);
    if (members.isEmpty()) {
      throw c.error("expected USER or GROUP after " + (add ? "ADD" : "DROP"));
    }
    c.expectEnd();
    return new ParsedStatement.AlterGroup(name, add, members);
  }

  /** After DROP: {@code GROUP name}. */
  static ParsedStatement dropGroup(TokenCursor c) {
    c.expect("GROUP");
    String name = principal(c);
    c.expectEnd();
    return new ParsedStatement.DropGroup(name);
  }

  /** {@code [USER u [, ...]] [GROUP g [, ...]]}, in any order and repeated. */
  private static List<ParsedStatement.GroupMember> memberLists(TokenCursor c) {
    List<ParsedStatement.GroupMember> members = new ArrayList<>();
    while (c.peek().is("USER") || c.peek().is("GROUP")) {
      boolean group = c.next().is("GROUP");
      do {
        members.add(new ParsedStatement.GroupMember(group, principal(c)));
      } while (c.acceptSymbol(","));
    }
    return members;
  }

  /** One privilege: its words up to the next comma or ON. */
  private static Privilege privilege(TokenCursor c) {
    Token first = c.peek();
    List<String> words = new ArrayList<>();
    while (c.peek().kind() == Token.Kind.WORD
        && !(c.peek().is("ON") && !words.isEmpty())
        && !c.peek().isSymbol(",")) {
      words.add(c.next().text());
      if (words.size() > 3) {
        break;
      }
    }
    if (words.isEmpty()) {
      throw c.error("expected a privilege but found " + TokenCursor.describe(first));
    }
    String name = String.join(" ", words);
    return Privilege.fromSql(name)
        .orElseThrow(
            () ->
                ParseErrors.at(
                    c.sql(),
                    first.start(),
                    PlannerErrorCode.UNSUPPORTED_FEATURE,
                    "privilege "
                        + name.toUpperCase(java.util.Locale.ROOT)
                        + " is not supported; Aquifer knows "
                        + String.join(
                            ", ",
                            java.util.Arrays.stream(Privilege.values())
                                .map(Privilege::sqlName)
                                .toList())));
  }

  private static GrantObject securable(TokenCursor c) {
    Token kindWord = c.peek();
    GrantObjectKind kind;
    if (c.accept("CATALOG")) {
      kind = GrantObjectKind.CATALOG;
    } else if (c.accept("SCHEMA") || c.accept("DATABASE")) {
      kind = GrantObjectKind.SCHEMA;
    } else if (c.accept("VIEW")) {
      kind = GrantObjectKind.VIEW;
    } else if (c.accept("TABLE")) {
      kind = GrantObjectKind.TABLE;
    } else if (c.accept("FUNCTION")) {
      kind = GrantObjectKind.FUNCTION;
    } else if (c.accept("VOLUME")) {
      kind = GrantObjectKind.VOLUME;
    } else if (c.accept("METASTORE")) {
      return new GrantObject(GrantObjectKind.METASTORE, List.of());
    } else if (kindWord.is("SHARE")
        || kindWord.is("CONNECTION")
        || kindWord.is("ANY")
        || (kindWord.is("EXTERNAL") && c.peek(1).is("LOCATION"))
        || (kindWord.is("STORAGE") && c.peek(1).is("CREDENTIAL"))) {
      throw ParseErrors.at(
          c.sql(),
          kindWord.start(),
          PlannerErrorCode.UNSUPPORTED_FEATURE,
          "privileges on "
              + kindWord.text().toUpperCase(java.util.Locale.ROOT)
              + " are not supported; Aquifer grants on METASTORE, CATALOG, SCHEMA, TABLE,"
              + " VIEW, FUNCTION and VOLUME");
    } else {
      kind = GrantObjectKind.TABLE;
    }
    List<String> name = c.qualifiedName();
    int max =
        switch (kind) {
          case CATALOG -> 1;
          case SCHEMA -> 2;
          case TABLE, VIEW, FUNCTION, VOLUME -> 3;
          case METASTORE -> 0;
        };
    if (name.size() > max) {
      throw ParseErrors.at(
          c.sql(),
          kindWord.start(),
          PlannerErrorCode.PARSE_SYNTAX_ERROR,
          kind + " names have at most " + max + " part(s): " + String.join(".", name));
    }
    return new GrantObject(kind, name);
  }

  static String principal(TokenCursor c) {
    Token t = c.peek();
    String name = t.kind() == Token.Kind.STRING ? c.stringLiteral() : c.identifier();
    if (name.isBlank()) {
      throw ParseErrors.at(
          c.sql(), t.start(), PlannerErrorCode.PARSE_SYNTAX_ERROR, "the principal is empty");
    }
    return name;
  }
}

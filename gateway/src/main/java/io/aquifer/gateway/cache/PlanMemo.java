package io.aquifer.gateway.cache;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.aquifer.catalog.CatalogStore;
import io.aquifer.gateway.PreparedStatementInfo;
import io.aquifer.gateway.Session;
import io.aquifer.gateway.SessionSettings;
import io.aquifer.planner.PlannedQuery;
import io.aquifer.storage.delta.DeltaTables;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * The result cache keys of queries already planned, so that a repeated query is answered from the
 * result cache without parsing, validating and planning it again.
 *
 * <p>An entry is found by the statement's exact text, the principal, the current catalog and
 * schema, every session setting and its {@linkplain Key#scope() scope}: shared by every session
 * without temporary views, or else the session's own. It is used only while nothing a new plan
 * could depend on has changed: the catalog's {@linkplain #generation() change generation} must be
 * the one read before the query was planned (any write to the catalog (DDL, GRANT, REVOKE, groups),
 * any commit to the catalog file by another process, and every statement this gateway runs that is
 * not a query change it), and every Delta table the plan read must still be at the version it read
 * (any commit, by this gateway or another writer, makes a newer one). Queries with parameters or
 * time travel are not remembered.
 *
 * <p>It also keeps the plans themselves ({@link #takePlan}, {@link #rememberPlan}), so that a
 * repeated query whose result is not taken from the result cache (the cache is off, the session set
 * {@code use_cached_result = false}, or the entry is gone) skips parsing, validation and
 * optimization too, under the same rules. Preparing a query without parameters plans it in full and
 * keeps its plan here, so that the run that follows (the Flight SQL JDBC driver prepares every
 * statement it runs) takes it instead of planning the text a second time. Only plans whose result
 * could be cached are kept (Delta tables only, no writes, no non-deterministic or time-dependent
 * function), at most {@value #MAX_PLANS} (the least likely to be used again are evicted first). A
 * plan is lent to one statement at a time: taking it removes it, and the statement gives it back
 * once it has compiled it, so that no two statements walk one plan's nodes at once; two sessions
 * running the same text at once: one takes it, the other plans afresh.
 *
 * <p><b>Sharing between sessions.</b> A client that opens a connection per query (most BI tools and
 * pools) runs its texts in ever new sessions, so entries, kept plans and prepares are shared by
 * sessions wherever a plan cannot tell them apart. What a plan, its prepared row type or its result
 * key can depend on that belongs to a session, and why the key covers it:
 *
 * <ul>
 *   <li>the principal: privileges checked while planning, row filters and column masks (applied as
 *       the caller's), {@code current_user()} and {@code user()}, and {@code is_member()} / {@code
 *       is_account_group_member()} (replaced by their values before validation) - the principal is
 *       in the key; grants, revokes, policies and group changes are catalog writes, which change
 *       the generation;
 *   <li>the current catalog and schema (unqualified names, {@code current_catalog()}, {@code
 *       current_schema()}) - in the key;
 *   <li>settings, the time zone among them (the engine's time zone, the result cache key) - every
 *       setting and the engine's time zone are in the key; the statement timeout and {@code
 *       use_cached_result} are too, though no plan depends on them;
 *   <li>temporary views: they shadow tables of the same one-part name and are the session's own, so
 *       a session with any temporary view keys by its id and its temporary views' names and
 *       definitions (all its texts are its own; the simplest safe rule - whether a plan read one is
 *       not asked); creating, replacing or dropping one changes the session's key, not the
 *       generation, so other sessions keep their plans;
 *   <li>a Query History REST API session ({@link Session#ownQueryHistory()}) sees other rows of
 *       {@code system.query.history} without grants - keyed by its id too (plans of system tables
 *       are not kept, but their result keys and prepares could be);
 *   <li>session variables ({@code DECLARE}, {@code SET VAR}) are refused, parameters are never
 *       remembered; the session's warehouse does not enter a plan (plans are compiled for the
 *       warehouse at each run) nor a result.
 * </ul>
 *
 * <p>A session can change while one of its statements plans (a concurrent {@code USE}, {@code SET}
 * or {@code CREATE TEMPORARY VIEW}): what was planned is remembered only if the session's {@link
 * #key} is still the one the statement looked up by once it is planned, and no statement of the
 * session that is not a query started or ended meanwhile ({@link #holds}), so that no plan made
 * with a temporary view lands under a shared key. Hence {@code USE}, {@code SET} and {@code CREATE}
 * or {@code DROP} of a temporary view, which change only what the key covers, do not change the
 * generation: a pool's connection setting its schema or {@code use_cached_result} keeps other
 * sessions' plans. Nor do statements that change nothing ({@code SHOW}, {@code DESCRIBE}, {@code
 * EXPLAIN}, {@code LIST}).
 */
public final class PlanMemo {
  private static final int MAX_ENTRIES = 10_000;

  /** Plans hold their bound snapshots' file lists: fewer of them than of keys. */
  private static final int MAX_PLANS = 256;

  private final CatalogStore catalog;
  private final AtomicLong statements = new AtomicLong();
  private static final Pattern TIME_TRAVEL =
      Pattern.compile("\\bAS\\s+OF\\b", Pattern.CASE_INSENSITIVE);

  private final ConcurrentMap<Key, Entry> entries = bounded(MAX_ENTRIES);
  private final ConcurrentMap<Key, Prepared> prepared = bounded(MAX_ENTRIES);
  private final ConcurrentMap<Key, Plan> plans = bounded(MAX_PLANS);
  private final AtomicLong plansReused = new AtomicLong();
  private final AtomicLong queriesPlanned = new AtomicLong();
  private final AtomicLong preparedReused = new AtomicLong();

  /** A kept plan, with the generation read before it was planned and the tables it read. */
  private record Plan(String generation, List<String> tables, PlannedQuery plan) {}

  /**
   * What preparing a query answered, with the generation read before it was validated and the
   * tables (at the versions) it read.
   */
  private record Prepared(String generation, List<String> tables, PreparedStatementInfo info) {}

  public PlanMemo(CatalogStore catalog) {
    this.catalog = catalog;
  }

  /**
   * A map that keeps at most {@code size} entries, evicting those least likely to be used again (by
   * recency and frequency), so that hot queries keep their entries when many others pass.
   */
  private static <V> ConcurrentMap<Key, V> bounded(int size) {
    return Caffeine.newBuilder().maximumSize(size).executor(Runnable::run).<Key, V>build().asMap();
  }

  /**
   * What a query's plan is remembered by.
   *
   * @param scope empty where sessions share the entry; else the session's id (it has temporary
   *     views, or it is a Query History REST API session)
   */
  public record Key(
      String scope, String principal, String catalog, String schema, String settings, String sql) {}

  /**
   * A remembered plan: its result cache key, the tables it read ({@code location@version}) and the
   * labels and field names of its result.
   */
  public record Entry(
      String generation,
      String resultKey,
      List<String> tables,
      List<String> labels,
      List<String> fieldNames) {
    public Entry {
      tables = List.copyOf(tables);
      labels = List.copyOf(labels);
      fieldNames = List.copyOf(fieldNames);
    }
  }

  /** The key of a query, or empty if it is not one to remember. */
  public static Optional<Key> key(Session session, String sql, boolean hasParameters) {
    if (hasParameters || TIME_TRAVEL.matcher(sql).find()) {
      return Optional.empty();
    }
    StringBuilder settings = new StringBuilder();
    settings.append(SessionSettings.engineTimeZone(session));
    new TreeMap<>(session.settings())
        .forEach((k, v) -> settings.append('\n').append(k).append('=').append(v));
    boolean own = !session.temporaryViews().isEmpty() || session.ownQueryHistory();
    return Optional.of(
        new Key(
            own ? session.id() + temporaryViews(session) : "",
            session.principal().name(),
            session.currentCatalog(),
            session.currentSchema(),
            settings.toString(),
            sql));
  }

  /**
   * The session's temporary views as the key holds them: each one's name, definition and the
   * catalog and schema its names resolve in, so that creating, replacing or dropping one leaves the
   * session's kept plans from before under another key (and no other session's).
   */
  private static String temporaryViews(Session session) {
    StringBuilder views = new StringBuilder();
    new TreeMap<>(session.temporaryViews())
        .forEach(
            (name, view) ->
                views
                    .append('\n')
                    .append(name)
                    .append('\u0000')
                    .append(view.currentCatalog())
                    .append('\u0000')
                    .append(view.currentSchema())
                    .append('\u0000')
                    .append(view.sql()));
    return views.toString();
  }

  /**
   * Whether {@code key}, looked up by a statement of {@code session} before it planned (when the
   * session's {@link Session#changes()} read {@code changes}), is still the session's key for that
   * text: no statement that could change what the key covers (a temporary view, the current schema,
   * a setting) ran while it planned. What was planned is remembered only then.
   */
  public static boolean holds(Key key, Session session, long changes) {
    return session.changes() == changes
        && key(session, key.sql(), false).filter(key::equals).isPresent();
  }

  /**
   * Called before and after every statement that is not a query, except those that change only the
   * session's own state covered by the {@link Key} ({@code USE}, {@code SET}, {@code SET TIME
   * ZONE}, creating or dropping a temporary view) and those that change nothing ({@code SHOW},
   * {@code DESCRIBE}, {@code EXPLAIN}, {@code LIST}): a remembered plan is then stale.
   */
  public void statementRun() {
    statements.incrementAndGet();
  }

  /** To be read before planning a query whose plan will be remembered. */
  public String generation() {
    long before = statements.get();
    return before + "/" + catalog.database().changeGeneration();
  }

  public void remember(Key key, Entry entry) {
    entries.put(key, entry);
  }

  /**
   * The remembered plan of a query if it still holds: the {@code generation} (as {@link
   * #generation()} read it for this statement) and every table at the version read.
   */
  public Optional<Entry> lookup(Key key, String generation, DeltaTables tables) {
    Entry entry = entries.get(key);
    if (entry == null) {
      return Optional.empty();
    }
    if (!entry.generation().equals(generation) || !current(entry.tables(), tables)) {
      entries.remove(key, entry);
      return Optional.empty();
    }
    return Optional.of(entry);
  }

  /**
   * What preparing the same text answered before, if nothing it depends on changed since: the same
   * generation and every table it read at the same version.
   */
  public Optional<PreparedStatementInfo> prepared(Key key, String sql, DeltaTables tables) {
    Prepared known = prepared.get(key);
    if (known == null) {
      return Optional.empty();
    }
    if (!known.info().sql().equals(sql)
        || !known.generation().equals(generation())
        || !current(known.tables(), tables)) {
      prepared.remove(key, known);
      return Optional.empty();
    }
    preparedReused.incrementAndGet();
    return Optional.of(known.info());
  }

  /**
   * The tables (at their versions) the remembered plan of a query read, if it still holds: its
   * result cache entry's, or else its kept plan's (the session set {@code use_cached_result =
   * false}, or the result cache is off); what preparing that text reads is the same.
   */
  public Optional<List<String>> tablesRead(Key key, DeltaTables tables) {
    String generation = generation();
    Optional<List<String>> cached = lookup(key, generation, tables).map(Entry::tables);
    if (cached.isPresent()) {
      return cached;
    }
    Plan plan = plans.get(key);
    if (plan == null || !plan.generation().equals(generation) || !current(plan.tables(), tables)) {
      return Optional.empty();
    }
    return Optional.of(plan.tables());
  }

  /**
   * Remembers what preparing a query answered, validated between two looks at its remembered plan
   * that both found it holding with these tables ({@code generation} read before the first).
   */
  public void rememberPrepared(
      Key key, String generation, List<String> tables, PreparedStatementInfo info) {
    prepared.put(key, new Prepared(generation, List.copyOf(tables), info));
  }

  /**
   * Keeps the plan of a query for its next run: {@code generation} as read before planning it,
   * {@code tables} the tables it read at their versions (its fingerprint's).
   */
  public void rememberPlan(Key key, String generation, List<String> tables, PlannedQuery plan) {
    plans.put(key, new Plan(generation, List.copyOf(tables), plan));
  }

  /**
   * Takes the kept plan of a query if it still holds (the {@code generation} as {@link
   * #generation()} read it for this statement, every table at the version it read); the caller
   * gives it back with {@link #rememberPlan} when done with it.
   */
  public Optional<Taken> takePlan(Key key, String generation, DeltaTables tables) {
    Plan plan = plans.remove(key);
    if (plan == null || !plan.generation().equals(generation) || !current(plan.tables(), tables)) {
      return Optional.empty();
    }
    plansReused.incrementAndGet();
    return Optional.of(new Taken(plan.generation(), plan.tables(), plan.plan()));
  }

  /**
   * Called each time a query's text is parsed and then planned or validated, by a prepare or a run:
   * what {@link #queriesPlanned()} counts.
   */
  public void queryPlanned() {
    queriesPlanned.incrementAndGet();
  }

  /**
   * How many times a query was parsed and planned or validated, by a prepare or a run, since the
   * gateway started: a prepare and a run of a new text together count one (the prepare's plan is
   * kept for the run), a repeat whose kept plan and prepare still hold counts none.
   */
  public long queriesPlanned() {
    return queriesPlanned.get();
  }

  /** How many statements ran a kept plan instead of planning (since the gateway started). */
  public long plansReused() {
    return plansReused.get();
  }

  /**
   * How many prepares of a query were answered from what preparing the same text answered before,
   * without validating it again (since the gateway started).
   */
  public long preparedReused() {
    return preparedReused.get();
  }

  /** A plan taken from the memo, with what {@link #rememberPlan} needs to give it back. */
  public record Taken(String generation, List<String> tables, PlannedQuery plan) {}

  private static boolean current(List<String> read, DeltaTables tables) {
    List<String> seen = new ArrayList<>(read.size());
    for (String table : read) {
      int at = table.lastIndexOf('@');
      if (at < 0) {
        return false;
      }
      if (seen.contains(table)) {
        continue;
      }
      seen.add(table);
      long version;
      try {
        version = Long.parseLong(table.substring(at + 1));
      } catch (NumberFormatException e) {
        return false;
      }
      try {
        if (tables.latest(URI.create(table.substring(0, at))).version() != version) {
          return false;
        }
      } catch (RuntimeException e) {
        return false; // the table is gone or unreadable: plan again, which says why
      }
    }
    return true;
  }
}

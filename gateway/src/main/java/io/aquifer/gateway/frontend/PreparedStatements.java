package io.aquifer.gateway.frontend;

import static java.util.Objects.requireNonNull;

import io.aquifer.catalog.Principal;
import io.aquifer.gateway.GatewayErrorCode;
import io.aquifer.gateway.PreparedStatementInfo;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The prepared statements of a front end's clients, whatever their protocol: each is the gateway's
 * parsed and validated statement ({@link PreparedStatementInfo}: SQL, result columns, parameters),
 * owned by the principal that prepared it and by the client connection it was prepared on, under an
 * unguessable id. A statement lives until its client closes it or its connection closes ({@link
 * #closeOwnedBy}, which front ends call when a connection closes or expires); another principal
 * never sees it.
 *
 * <p>A statement also keeps its last {@value #MAX_BINDINGS} parameter bindings by number, for
 * protocols that bind values in one call and execute in another (Flight SQL): a binding never
 * changes the statement, so one statement can run with different values at once. Front ends only
 * encode ids, bindings and parameter metadata on their wire.
 *
 * <p>A connection keeps at most {@value #DEFAULT_MAX_PER_CONNECTION} statements (or the limit
 * given): preparing one more forgets the one its client used least recently, whose handle then
 * fails as closed. Clients that never close what they prepare (the Arrow Flight SQL JDBC driver
 * prepares every execution of a plain {@code Statement} and closes none until the connection
 * closes) so cannot grow a long-lived connection's share of the gateway's memory without bound.
 */
public final class PreparedStatements {
  public static final int MAX_BINDINGS = 8;
  public static final int DEFAULT_MAX_PER_CONNECTION = 1000;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final int maxPerConnection;
  private final ConcurrentMap<String, Prepared> statements = new ConcurrentHashMap<>();

  /** Each connection's statements, least recently used first; guarded by the map itself. */
  private final ConcurrentMap<String, LinkedHashMap<String, Prepared>> byConnection =
      new ConcurrentHashMap<>();

  public PreparedStatements() {
    this(DEFAULT_MAX_PER_CONNECTION);
  }

  /**
   * @param maxPerConnection most statements one connection keeps (at least 1)
   */
  public PreparedStatements(int maxPerConnection) {
    if (maxPerConnection < 1) {
      throw new IllegalArgumentException(
          "maxPerConnection must be at least 1: " + maxPerConnection);
    }
    this.maxPerConnection = maxPerConnection;
  }

  /** One prepared statement and its recent parameter bindings. */
  public static final class Prepared {
    private final String id;
    private final String ownerKey;
    private final String principalName;
    private final PreparedStatementInfo info;
    private final AtomicLong bindingCounter = new AtomicLong();
    private final Map<Long, List<List<Object>>> bindings =
        new LinkedHashMap<>() {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Long, List<List<Object>>> eldest) {
            return size() > MAX_BINDINGS;
          }
        };
    private long latestBinding = -1;

    private Prepared(String id, String ownerKey, String principalName, PreparedStatementInfo info) {
      this.id = id;
      this.ownerKey = ownerKey;
      this.principalName = principalName;
      this.info = info;
    }

    /** The unguessable id that names it to its client. */
    public String id() {
      return id;
    }

    public PreparedStatementInfo info() {
      return info;
    }

    /** The client connection it was prepared on. */
    public String ownerKey() {
      return ownerKey;
    }

    public int parameterCount() {
      return info.parameterSchema().getFields().size();
    }

    /**
     * Checks that every row holds one value per parameter. @throws GatewayException
     * INVALID_PARAMETERS
     */
    public void checkParameterCount(List<? extends List<?>> rows) {
      for (List<?> row : rows) {
        checkParameterCount(row.size());
      }
    }

    /** Checks that {@code given} values fit the parameters. @throws INVALID_PARAMETERS */
    public void checkParameterCount(int given) {
      int expected = parameterCount();
      if (given != expected) {
        throw GatewayErrorCode.INVALID_PARAMETERS.exception(
            "The statement has " + expected + " parameters; got " + given + " values");
      }
    }

    /**
     * The parameters as clients are told them: every one nullable (SQL lets any {@code ?} be NULL),
     * and one whose type the gateway could not infer (Arrow Null) as a string, which every driver
     * can bind and the gateway casts.
     */
    public Schema clientParameterSchema() {
      List<Field> fields = new ArrayList<>();
      for (Field field : info.parameterSchema().getFields()) {
        ArrowType type =
            field.getType() instanceof ArrowType.Null ? ArrowType.Utf8.INSTANCE : field.getType();
        fields.add(
            new Field(
                field.getName(),
                new FieldType(true, type, field.getDictionary(), field.getMetadata()),
                field.getChildren()));
      }
      return new Schema(fields, info.parameterSchema().getCustomMetadata());
    }

    /** Keeps a binding of parameter rows; its number names it later. */
    public synchronized long bind(List<List<Object>> rows) {
      long number = bindingCounter.incrementAndGet();
      bindings.put(number, List.copyOf(rows));
      latestBinding = number;
      return number;
    }

    /**
     * The rows of binding {@code number}. @throws GatewayException INVALID_HANDLE when newer
     * bindings replaced it
     */
    public synchronized List<List<Object>> binding(long number) {
      List<List<Object>> rows = bindings.get(number);
      if (rows == null) {
        throw GatewayErrorCode.INVALID_HANDLE.exception(
            "The parameters bound to this prepared statement handle were replaced by newer ones;"
                + " bind them again");
      }
      return rows;
    }

    /** The rows last bound; empty when nothing was bound. */
    public synchronized List<List<Object>> latestBinding() {
      return Optional.ofNullable(bindings.get(latestBinding)).orElse(List.of());
    }
  }

  /**
   * Registers a statement the gateway prepared for {@code principal} on connection {@code owner}.
   */
  public Prepared create(String ownerKey, Principal principal, PreparedStatementInfo info) {
    requireNonNull(ownerKey, "ownerKey");
    requireNonNull(info, "info");
    byte[] bytes = new byte[18];
    RANDOM.nextBytes(bytes);
    String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    Prepared prepared = new Prepared(id, ownerKey, principal.name(), info);
    LinkedHashMap<String, Prepared> owned =
        byConnection.computeIfAbsent(ownerKey, k -> new LinkedHashMap<>(16, 0.75f, true));
    synchronized (owned) {
      owned.put(id, prepared);
      statements.put(id, prepared);
      if (owned.size() > maxPerConnection) {
        Iterator<Map.Entry<String, Prepared>> eldest = owned.entrySet().iterator();
        statements.remove(eldest.next().getKey());
        eldest.remove();
      }
    }
    return prepared;
  }

  /**
   * The statement with this id, if the caller prepared it. @throws GatewayException INVALID_HANDLE
   * for an unknown, closed or foreign id
   */
  public Prepared get(String id, Principal caller) {
    return find(id, caller)
        .orElseThrow(
            () ->
                GatewayErrorCode.INVALID_HANDLE.exception(
                    "Unknown or closed prepared statement handle; prepare the statement again"));
  }

  private Optional<Prepared> find(String id, Principal caller) {
    Prepared prepared = id == null ? null : statements.get(id);
    if (prepared == null || !prepared.principalName.equals(caller.name())) {
      return Optional.empty();
    }
    LinkedHashMap<String, Prepared> owned = byConnection.get(prepared.ownerKey);
    if (owned != null) {
      synchronized (owned) {
        owned.get(id); // marks it used
      }
    }
    return Optional.of(prepared);
  }

  /** Closes a statement; false if it is unknown, already closed or not the caller's. */
  public boolean close(String id, Principal caller) {
    Optional<Prepared> prepared = find(id, caller);
    if (prepared.isEmpty() || !statements.remove(id, prepared.get())) {
      return false;
    }
    LinkedHashMap<String, Prepared> owned = byConnection.get(prepared.get().ownerKey);
    if (owned != null) {
      synchronized (owned) {
        owned.remove(id);
      }
    }
    return true;
  }

  /** Drops the statements prepared on a connection that closed or expired. */
  public void closeOwnedBy(String ownerKey) {
    LinkedHashMap<String, Prepared> owned = byConnection.remove(ownerKey);
    if (owned != null) {
      synchronized (owned) {
        owned.keySet().forEach(statements::remove);
      }
    }
  }

  public int size() {
    return statements.size();
  }
}

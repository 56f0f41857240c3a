package io.aquifer.flightsql;

import static java.util.Objects.requireNonNull;

import io.aquifer.gateway.GatewayException;
import io.aquifer.gateway.SchemaRef;
import io.aquifer.gateway.Session;
import io.aquifer.gateway.SessionSettings;
import io.aquifer.gateway.StatementService;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.arrow.flight.GetSessionOptionsResult;
import org.apache.arrow.flight.SessionOptionValue;
import org.apache.arrow.flight.SessionOptionValueFactory;
import org.apache.arrow.flight.SessionOptionValueVisitor;
import org.apache.arrow.flight.SetSessionOptionsResult;
import org.apache.arrow.flight.SetSessionOptionsResult.ErrorValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flight SQL session options mapped onto the gateway session: {@code catalog} and {@code schema}
 * switch the session's current catalog and schema (what the Flight SQL JDBC driver sends for its
 * {@code catalog} connection property, and for {@code Connection.setCatalog} from version 19 on).
 * Switching the catalog alone resets the schema to {@code default}, as {@code USE CATALOG} does.
 * Names are checked against the catalog with the caller's privileges. Reading the options also
 * returns the session's settings.
 */
final class SessionOptions {
  static final String CATALOG = "catalog";
  static final String SCHEMA = "schema";
  static final String DEFAULT_SCHEMA = "default";

  /** Seconds a statement may run before it is canceled; 0 for none (the session setting). */
  static final String STATEMENT_TIMEOUT = "statement_timeout";

  private static final Logger log = LoggerFactory.getLogger(SessionOptions.class);

  private final StatementService service;

  SessionOptions(StatementService service) {
    this.service = requireNonNull(service, "service");
  }

  SetSessionOptionsResult set(Session session, Map<String, SessionOptionValue> options) {
    Map<String, SetSessionOptionsResult.Error> errors = new LinkedHashMap<>();
    Optional<String> catalogName = Optional.empty();
    Optional<String> schemaName = Optional.empty();
    for (Map.Entry<String, SessionOptionValue> option : options.entrySet()) {
      String name = option.getKey().toLowerCase(Locale.ROOT);
      Optional<String> value = stringValue(option.getValue());
      switch (name) {
        case CATALOG, SCHEMA -> {
          if (value.isEmpty() || value.get().isBlank()) {
            errors.put(
                option.getKey(), new SetSessionOptionsResult.Error(ErrorValue.INVALID_VALUE));
          } else if (name.equals(CATALOG)) {
            catalogName = value;
          } else {
            schemaName = value;
          }
        }
        case STATEMENT_TIMEOUT -> {
          Optional<String> seconds = numberValue(option.getValue());
          try {
            SessionSettings.set(session, SessionSettings.STATEMENT_TIMEOUT, seconds.orElse(""));
          } catch (GatewayException e) {
            log.debug("Rejected {}: {}", option.getKey(), e.clientMessage());
            errors.put(
                option.getKey(), new SetSessionOptionsResult.Error(ErrorValue.INVALID_VALUE));
          }
        }
        default ->
            errors.put(option.getKey(), new SetSessionOptionsResult.Error(ErrorValue.INVALID_NAME));
      }
    }

    String catalog = session.currentCatalog();
    boolean catalogChanged = false;
    if (catalogName.isPresent()) {
      try {
        Optional<String> found = findCatalog(session, catalogName.get());
        if (found.isPresent()) {
          catalog = found.get();
          catalogChanged = true;
        } else {
          errors.put(CATALOG, new SetSessionOptionsResult.Error(ErrorValue.INVALID_VALUE));
        }
      } catch (GatewayException e) {
        log.debug("Checking catalog {} failed: {}", catalogName.get(), e.clientMessage());
        errors.put(CATALOG, new SetSessionOptionsResult.Error(ErrorValue.ERROR));
      }
    }
    String schema = catalogChanged ? DEFAULT_SCHEMA : session.currentSchema();
    if (schemaName.isPresent()) {
      try {
        Optional<String> found = findSchema(session, catalog, schemaName.get());
        if (found.isPresent()) {
          schema = found.get();
        } else {
          errors.put(SCHEMA, new SetSessionOptionsResult.Error(ErrorValue.INVALID_VALUE));
        }
      } catch (GatewayException e) {
        log.debug("Checking schema {} failed: {}", schemaName.get(), e.clientMessage());
        errors.put(SCHEMA, new SetSessionOptionsResult.Error(ErrorValue.ERROR));
      }
    }
    if (!catalog.equals(session.currentCatalog()) || !schema.equals(session.currentSchema())) {
      session.use(catalog, schema);
    }
    return new SetSessionOptionsResult(errors);
  }

  GetSessionOptionsResult get(Session session) {
    Map<String, SessionOptionValue> options = new HashMap<>();
    session
        .settings()
        .forEach((k, v) -> options.put(k, SessionOptionValueFactory.makeSessionOptionValue(v)));
    options.put(
        CATALOG, SessionOptionValueFactory.makeSessionOptionValue(session.currentCatalog()));
    options.put(SCHEMA, SessionOptionValueFactory.makeSessionOptionValue(session.currentSchema()));
    return new GetSessionOptionsResult(options);
  }

  private Optional<String> findCatalog(Session session, String name) {
    return service.catalogs(session).stream().filter(c -> c.equalsIgnoreCase(name)).findFirst();
  }

  private Optional<String> findSchema(Session session, String catalog, String name) {
    // The name as a LIKE pattern matches at least itself; exactness comes from the filter.
    return service.schemas(session, Optional.of(catalog), Optional.of(name)).stream()
        .map(SchemaRef::schema)
        .filter(s -> s.equalsIgnoreCase(name))
        .findFirst();
  }

  /** Flight SQL asks servers to accept option values as strings; only strings name things. */
  private static Optional<String> stringValue(SessionOptionValue value) {
    return text(value, false);
  }

  /** A whole number, sent as a string or as an integer. */
  private static Optional<String> numberValue(SessionOptionValue value) {
    return text(value, true);
  }

  private static Optional<String> text(SessionOptionValue value, boolean numbers) {
    return value.acceptVisitor(
        new SessionOptionValueVisitor<Optional<String>>() {
          @Override
          public Optional<String> visit(String value) {
            return Optional.of(value);
          }

          @Override
          public Optional<String> visit(boolean value) {
            return Optional.empty();
          }

          @Override
          public Optional<String> visit(long value) {
            return numbers ? Optional.of(Long.toString(value)) : Optional.empty();
          }

          @Override
          public Optional<String> visit(double value) {
            return numbers && value == Math.rint(value)
                ? Optional.of(Long.toString((long) value))
                : Optional.empty();
          }

          @Override
          public Optional<String> visit(String[] value) {
            return Optional.empty();
          }

          @Override
          public Optional<String> visit(Void value) {
            return Optional.empty();
          }
        });
  }
}

package io.aquifer.rest;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The REST routes of the HTTP port in one table: an HTTP method and a path template ({@code
 * /api/2.0/sql/statements/{statement_id}}) to a handler. A path segment in braces matches one
 * non-empty segment; a last segment written {@code {name...}} matches the rest of the path (one or
 * more segments). A trailing slash on a request path is ignored.
 *
 * <p>Matching a request answers the route with its path parameters, "method not allowed" with the
 * methods the path has (a known path called with another method: HTTP 405 with {@code Allow}), or
 * "not found". Where several templates match, the one with a literal segment earlier wins ({@code
 * .../tokens/{id}} loses to {@code .../on-behalf-of/tokens}).
 *
 * <p>Handlers are thin adapters: they read the request and call the gateway's services; the table
 * holds no logic of its own. The Thrift mounts and the static site are not in the table (see {@link
 * DatabricksRestFrontEnd#mount} and {@link DatabricksRestFrontEnd#serveSite}).
 */
final class RestRouteTable<R> {

  /**
   * Answers one routed request, given the request {@code R}; failures are thrown for the front end
   * to send.
   */
  @FunctionalInterface
  interface RequestHandler<R> {
    void handle(R request, Map<String, String> pathParameters) throws IOException;
  }

  /**
   * One route.
   *
   * @param method an HTTP method in upper case
   * @param template a path template: literal segments and {@code {name}} segments
   */
  record Route<R>(String method, String template, RequestHandler<R> handler) {
    Route {
      requireNonNull(method, "method");
      requireNonNull(template, "template");
      requireNonNull(handler, "handler");
      if (!method.equals(method.toUpperCase(Locale.ROOT)) || method.isEmpty()) {
        throw new IllegalArgumentException("method must be upper case: " + method);
      }
      if (!template.startsWith("/") || (template.length() > 1 && template.endsWith("/"))) {
        throw new IllegalArgumentException("template must start and not end with '/': " + template);
      }
      List<String> segments = segments(template);
      for (int i = 0; i < segments.size(); i++) {
        String s = segments.get(i);
        if (s.isEmpty()) {
          throw new IllegalArgumentException("empty segment in " + template);
        }
        if (s.endsWith("...}") && i != segments.size() - 1) {
          throw new IllegalArgumentException("only the last segment may be {name...}: " + template);
        }
      }
    }

    /** The template as OpenAPI writes it: {@code {path...}} becomes {@code {path}}. */
    String openApiPath() {
      return template.replace("...}", "}");
    }
  }

  /** The result of matching a request against the table. */
  sealed interface Match<R> {}

  /** A route serves the request. */
  record Found<R>(Route<R> route, Map<String, String> pathParameters) implements Match<R> {
    Found {
      requireNonNull(route, "route");
      pathParameters = Map.copyOf(pathParameters);
    }
  }

  /** The path is served, but not with the request's method: {@code allowed} are its methods. */
  record MethodNotAllowed<R>(Set<String> allowed) implements Match<R> {
    MethodNotAllowed {
      allowed = Set.copyOf(allowed);
    }

    /** The {@code Allow} header's value: the methods in alphabetical order. */
    String allowHeader() {
      return String.join(", ", new TreeSet<>(allowed));
    }
  }

  /** No route has the path. */
  record NotFound<R>() implements Match<R> {}

  private final List<Route<R>> routes;

  private RestRouteTable(List<Route<R>> routes) {
    this.routes = List.copyOf(routes);
  }

  /** Every route, in the order declared. */
  List<Route<R>> routes() {
    return routes;
  }

  private static List<String> segments(String path) {
    List<String> out = new ArrayList<>();
    for (String s : path.substring(1).split("/", -1)) {
      out.add(s);
    }
    return out;
  }

  private static boolean isParameter(String segment) {
    return segment.startsWith("{") && segment.endsWith("}");
  }

  private static boolean isTail(String segment) {
    return segment.startsWith("{") && segment.endsWith("...}");
  }

  private static String name(String segment) {
    return segment.substring(1, segment.length() - (isTail(segment) ? 4 : 1));
  }

  /** The path parameters of {@code path} under {@code template}, or null if it does not match. */
  static Map<String, String> bind(String template, String path) {
    String p =
        path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    if (!p.startsWith("/")) {
      return null;
    }
    List<String> t = segments(template);
    List<String> s = segments(p);
    Map<String, String> parameters = new LinkedHashMap<>();
    for (int i = 0; i < t.size(); i++) {
      String segment = t.get(i);
      if (isTail(segment)) {
        if (i >= s.size()) {
          return null;
        }
        String rest = String.join("/", s.subList(i, s.size()));
        if (rest.isEmpty()) {
          return null;
        }
        parameters.put(name(segment), rest);
        return parameters;
      }
      if (i >= s.size()) {
        return null;
      }
      if (isParameter(segment)) {
        if (s.get(i).isEmpty()) {
          return null;
        }
        parameters.put(name(segment), s.get(i));
      } else if (!segment.equals(s.get(i))) {
        return null;
      }
    }
    return t.size() == s.size() ? parameters : null;
  }

  /** Negative when {@code a} is more specific than {@code b}: a literal segment earlier. */
  private static int specificity(String a, String b) {
    List<String> x = segments(a);
    List<String> y = segments(b);
    for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
      boolean px = isParameter(x.get(i));
      boolean py = isParameter(y.get(i));
      if (px != py) {
        return px ? 1 : -1;
      }
    }
    return 0;
  }

  /** The route for {@code method} (upper case) and {@code path}, or why there is none. */
  Match<R> match(String method, String path) {
    Route<R> best = null;
    Map<String, String> bestParameters = null;
    Set<String> allowed = new TreeSet<>();
    for (Route<R> route : routes) {
      Map<String, String> parameters = bind(route.template(), path);
      if (parameters == null) {
        continue;
      }
      if (!route.method().equals(method)) {
        allowed.add(route.method());
        continue;
      }
      if (best == null || specificity(route.template(), best.template()) < 0) {
        best = route;
        bestParameters = parameters;
      }
    }
    if (best != null) {
      return new Found<>(best, bestParameters);
    }
    return allowed.isEmpty() ? new NotFound<>() : new MethodNotAllowed<>(allowed);
  }

  /** Collects routes; a method and template may be declared once. */
  static final class Builder<R> {
    private final Map<String, Route<R>> routes = new LinkedHashMap<>();

    Builder<R> add(String method, String template, RequestHandler<R> handler) {
      Route<R> route = new Route<>(method, template, handler);
      String key = method + " " + route.openApiPath();
      if (routes.putIfAbsent(key, route) != null) {
        throw new IllegalArgumentException("route declared twice: " + key);
      }
      return this;
    }

    RestRouteTable<R> build() {
      return new RestRouteTable<>(new ArrayList<>(routes.values()));
    }
  }

  static <R> Builder<R> builder() {
    return new Builder<>();
  }
}

package io.aquifer.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RestRouteTableTest {
  private static RestRouteTable.RequestHandler<String> named(String name) {
    return (request, path) -> {};
  }

  private static final RestRouteTable<String> TABLE =
      RestRouteTable.<String>builder()
          .add("GET", "/api/2.0/sql/warehouses", named("list"))
          .add("POST", "/api/2.0/sql/warehouses", named("create"))
          .add("GET", "/api/2.0/sql/warehouses/{warehouse_id}", named("get"))
          .add("POST", "/api/2.0/sql/warehouses/{warehouse_id}/start", named("start"))
          .add("GET", "/api/2.0/token-management/tokens/{token_id}", named("token"))
          .add("POST", "/api/2.0/token-management/{kind}/tokens", named("anyKind"))
          .add("POST", "/api/2.0/token-management/on-behalf-of/tokens", named("onBehalfOf"))
          .add("GET", "/api/2.0/fs/files/{path...}", named("download"))
          .build();

  private static RestRouteTable.Found<String> found(String method, String path) {
    return assertInstanceOf(RestRouteTable.Found.class, TABLE.match(method, path));
  }

  @Test
  void bindsPathParametersAndIgnoresATrailingSlash() {
    RestRouteTable.Found<String> get = found("GET", "/api/2.0/sql/warehouses/abc/");
    assertEquals("/api/2.0/sql/warehouses/{warehouse_id}", get.route().template());
    assertEquals(Map.of("warehouse_id", "abc"), get.pathParameters());
    assertEquals(
        "/api/2.0/sql/warehouses", found("GET", "/api/2.0/sql/warehouses/").route().template());
  }

  @Test
  void aTailParameterTakesTheRestOfThePath() {
    assertEquals(
        Map.of("path", "Volumes/c/s/v/dir/f.csv"),
        found("GET", "/api/2.0/fs/files/Volumes/c/s/v/dir/f.csv").pathParameters());
    assertInstanceOf(RestRouteTable.NotFound.class, TABLE.match("GET", "/api/2.0/fs/files"));
  }

  @Test
  void aLiteralSegmentBeatsAParameter() {
    assertEquals(
        "/api/2.0/token-management/on-behalf-of/tokens",
        found("POST", "/api/2.0/token-management/on-behalf-of/tokens").route().template());
    assertEquals(
        "/api/2.0/token-management/{kind}/tokens",
        found("POST", "/api/2.0/token-management/other/tokens").route().template());
  }

  @Test
  void aKnownPathWithAnotherMethodIsNotAllowedAndAnUnknownPathNotFound() {
    RestRouteTable.MethodNotAllowed<String> patch =
        assertInstanceOf(
            RestRouteTable.MethodNotAllowed.class, TABLE.match("PATCH", "/api/2.0/sql/warehouses"));
    assertEquals("GET, POST", patch.allowHeader());
    RestRouteTable.MethodNotAllowed<String> start =
        assertInstanceOf(
            RestRouteTable.MethodNotAllowed.class,
            TABLE.match("GET", "/api/2.0/sql/warehouses/abc/start"));
    assertEquals("POST", start.allowHeader());
    assertInstanceOf(RestRouteTable.NotFound.class, TABLE.match("GET", "/api/2.0/sql/alerts"));
    assertInstanceOf(
        RestRouteTable.NotFound.class, TABLE.match("GET", "/api/2.0/sql/warehouses//start"));
    assertInstanceOf(
        RestRouteTable.NotFound.class, TABLE.match("GET", "/api/2.0/sql/warehouses/a/b/c"));
  }

  @Test
  void aRouteIsDeclaredOnceWithAnUpperCaseMethod() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            RestRouteTable.<String>builder()
                .add("GET", "/a/{x}", named("one"))
                .add("GET", "/a/{x}", named("two")));
    assertThrows(
        IllegalArgumentException.class,
        () -> RestRouteTable.<String>builder().add("get", "/a", named("one")));
    assertThrows(
        IllegalArgumentException.class,
        () -> RestRouteTable.<String>builder().add("GET", "/a/{rest...}/b", named("one")));
  }
}

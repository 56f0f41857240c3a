package io.aquifer.flightsql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aquifer.gateway.ErrorCategory;
import io.aquifer.gateway.GatewayException;
import io.aquifer.gateway.SqlPosition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Map;
import java.util.Optional;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.junit.jupiter.api.Test;

class FlightErrorMapperTest {
  @Test
  void mapsEachCategoryToItsStatus() {
    Map<ErrorCategory, FlightStatusCode> expected =
        Map.ofEntries(
            Map.entry(ErrorCategory.INVALID_ARGUMENT, FlightStatusCode.INVALID_ARGUMENT),
            Map.entry(ErrorCategory.NOT_FOUND, FlightStatusCode.NOT_FOUND),
            Map.entry(ErrorCategory.ALREADY_EXISTS, FlightStatusCode.ALREADY_EXISTS),
            Map.entry(ErrorCategory.UNAUTHENTICATED, FlightStatusCode.UNAUTHENTICATED),
            Map.entry(ErrorCategory.PERMISSION_DENIED, FlightStatusCode.UNAUTHORIZED),
            Map.entry(ErrorCategory.CANCELLED, FlightStatusCode.CANCELLED),
            Map.entry(ErrorCategory.RESOURCE_EXHAUSTED, FlightStatusCode.RESOURCE_EXHAUSTED),
            Map.entry(ErrorCategory.UNIMPLEMENTED, FlightStatusCode.UNIMPLEMENTED),
            Map.entry(ErrorCategory.UNAVAILABLE, FlightStatusCode.UNAVAILABLE),
            Map.entry(ErrorCategory.INTERNAL, FlightStatusCode.INTERNAL));
    expected.forEach(
        (category, code) -> {
          FlightRuntimeException e =
              assertInstanceOf(
                  FlightRuntimeException.class, FlightErrorMapper.toClient(failure(category)));
          assertEquals(code, e.status().code(), category.name());
          assertEquals(
              "[SOME_ERROR] it broke (at line 2, column 7) SQLSTATE: 42000",
              e.status().description());
          assertEquals("42000", e.status().metadata().get(FlightErrorMapper.SQLSTATE_KEY));
        });
  }

  @Test
  void conflictIsAbortedSoClientsMayRetry() {
    StatusRuntimeException e =
        assertInstanceOf(
            StatusRuntimeException.class,
            FlightErrorMapper.toClient(failure(ErrorCategory.CONFLICT)));
    assertEquals(Status.Code.ABORTED, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains("SQLSTATE: 42000"));
  }

  @Test
  void otherFailuresAreInternalWithoutDetails() {
    FlightRuntimeException e =
        FlightErrorMapper.toFlight(new IllegalStateException("secret table layout"));
    assertEquals(FlightStatusCode.INTERNAL, e.status().code());
    assertFalse(e.status().description().contains("secret"));
    assertTrue(e.status().description().contains("reference"));
  }

  private static GatewayException failure(ErrorCategory category) {
    return new GatewayException(
        "SOME_ERROR", "42000", category, "it broke", Optional.of(new SqlPosition(2, 7)), null);
  }
}

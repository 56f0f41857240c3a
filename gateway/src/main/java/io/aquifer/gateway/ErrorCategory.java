package io.aquifer.gateway;

/**
 * How a failure is classified for the wire. Each front end maps a category once to its own form
 * (gRPC status, HTTP status, Avatica error, Thrift status).
 */
public enum ErrorCategory {
  /** Bad SQL or bad arguments: syntax, unknown column, type mismatch. */
  INVALID_ARGUMENT,
  NOT_FOUND,
  ALREADY_EXISTS,
  UNAUTHENTICATED,
  PERMISSION_DENIED,
  CANCELLED,
  /** A limit was hit (memory, result size, queue). */
  RESOURCE_EXHAUSTED,
  /** A concurrent change won; retrying may succeed. */
  CONFLICT,
  UNIMPLEMENTED,
  UNAVAILABLE,
  INTERNAL
}

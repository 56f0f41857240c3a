package io.aquifer.rest;

import io.aquifer.catalog.Principal;

/**
 * A non-JSON protocol served by POST on the REST front end's port (the Databricks SQL protocol,
 * HiveServer2 Thrift over HTTP, at a warehouse's {@code httpPath}). The REST front end
 * authenticates the caller exactly as for its own calls and hands over the raw body.
 */
public interface BinaryEndpoint {

  /** The media type of every answer, e.g. {@code application/x-thrift}. */
  String contentType();

  /**
   * Answers one POSTed request.
   *
   * @param principal the authenticated caller
   * @param baseUrl scheme, host and port the client called, for links back to this server
   * @param path the request path the endpoint was mounted on (e.g. {@code
   *     /sql/1.0/warehouses/<id>})
   * @param body the request body
   * @param clientAddress the client's IP address, for the audit log
   * @return the response body, sent with HTTP 200
   */
  byte[] post(
      Principal principal,
      String baseUrl,
      String path,
      byte[] body,
      java.util.Optional<String> clientAddress);
}

package io.aquifer.avatica;

import java.io.IOException;
import java.util.Optional;
import javax.servlet.ServletException;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.HandlerWrapper;

/**
 * Tells the Avatica calls of one HTTP request the client's IP address, which Avatica's {@code Meta}
 * API does not pass on: the request's thread holds it while Avatica's handler (which answers on
 * that thread) runs, so a connection opened by the request carries it into its session and the
 * audit log.
 */
final class ClientAddressHandler extends HandlerWrapper {
  private static final ThreadLocal<String> ADDRESS = new ThreadLocal<>();

  @Override
  public void handle(
      String target, Request baseRequest, HttpServletRequest request, HttpServletResponse response)
      throws IOException, ServletException {
    ADDRESS.set(request.getRemoteAddr());
    try {
      super.handle(target, baseRequest, request, response);
    } finally {
      ADDRESS.remove();
    }
  }

  /** The address of the client whose request this thread is answering, if any. */
  static Optional<String> current() {
    return Optional.ofNullable(ADDRESS.get());
  }
}

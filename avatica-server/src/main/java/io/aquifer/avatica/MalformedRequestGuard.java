package io.aquifer.avatica;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import javax.servlet.ReadListener;
import javax.servlet.ServletException;
import javax.servlet.ServletInputStream;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletRequestWrapper;
import javax.servlet.http.HttpServletResponse;
import org.apache.calcite.avatica.remote.ProtobufTranslation;
import org.apache.calcite.avatica.remote.ProtobufTranslationImpl;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.HandlerWrapper;

/**
 * Answers a request that is not an Avatica protobuf message with HTTP 400 and a short error JSON,
 * before Avatica's handler sees it (which answers 500 with a Java stack trace). Well-formed
 * requests pass on unchanged.
 */
final class MalformedRequestGuard extends HandlerWrapper {
  /** Avatica requests are small; a larger body is refused as malformed too. */
  static final int MAX_REQUEST_BYTES = 64 << 20;

  private final ProtobufTranslation translation = new ProtobufTranslationImpl();

  @Override
  public void handle(
      String target, Request baseRequest, HttpServletRequest request, HttpServletResponse response)
      throws IOException, ServletException {
    if (!"POST".equals(request.getMethod())) {
      super.handle(target, baseRequest, request, response);
      return;
    }
    byte[] body;
    try (ServletInputStream in = request.getInputStream()) {
      body = in.readNBytes(MAX_REQUEST_BYTES + 1);
    }
    String problem = null;
    if (body.length > MAX_REQUEST_BYTES) {
      problem = "the request is larger than " + MAX_REQUEST_BYTES + " bytes";
    } else {
      try {
        translation.parseRequest(body);
      } catch (IOException | RuntimeException e) {
        problem = "the body is not an Avatica protobuf request";
      }
    }
    if (problem != null) {
      baseRequest.setHandled(true);
      response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
      response.setContentType("application/json;charset=utf-8");
      response
          .getOutputStream()
          .write(
              ("{\"error_code\":\"MALFORMED_REQUEST\",\"sql_state\":\"08P01\",\"message\":\""
                      + problem
                      + "\"}")
                  .getBytes(StandardCharsets.UTF_8));
      return;
    }
    super.handle(target, baseRequest, new ReplayedBody(request, body), response);
  }

  /** The request with its body, already read, to be read again. */
  private static final class ReplayedBody extends HttpServletRequestWrapper {
    private final byte[] body;

    ReplayedBody(HttpServletRequest request, byte[] body) {
      super(request);
      this.body = body;
    }

    @Override
    public ServletInputStream getInputStream() {
      ByteArrayInputStream in = new ByteArrayInputStream(body);
      return new ServletInputStream() {
        @Override
        public int read() {
          return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
          return in.read(b, off, len);
        }

        @Override
        public boolean isFinished() {
          return in.available() == 0;
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
          throw new UnsupportedOperationException("blocking reads only");
        }
      };
    }
  }
}

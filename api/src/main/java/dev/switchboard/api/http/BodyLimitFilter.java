package dev.switchboard.api.http;

import dev.switchboard.api.platform.SwitchboardSettings;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Refuses bodies above the configured size with 413 before the application reads them: at once when
 * the declared length is too large, and while reading when a chunked body grows past it. Admitted
 * bodies are read here once and handed on, so endpoints always see a complete, bounded body.
 */
@WebFilter(urlPatterns = "/api/*", asyncSupported = true)
public class BodyLimitFilter extends HttpFilter {

  @Inject SwitchboardSettings settings;

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (!"POST".equals(request.getMethod())
        && !"PATCH".equals(request.getMethod())
        && !"PUT".equals(request.getMethod())) {
      chain.doFilter(request, response);
      return;
    }
    long max = settings.maxBodyBytes();
    long declared = request.getContentLengthLong();
    if (declared > max) {
      tooLarge(request, response, max);
      return;
    }
    byte[] body = readAtMost(request.getInputStream(), max);
    if (body == null) {
      tooLarge(request, response, max);
      return;
    }
    chain.doFilter(new ReadBody(request, body), response);
  }

  /** The whole body, or null when it is longer than {@code max}. */
  private static byte[] readAtMost(InputStream in, long max) throws IOException {
    byte[] body = in.readNBytes((int) Math.min(max + 1, Integer.MAX_VALUE - 8));
    return body.length > max ? null : body;
  }

  private static void tooLarge(HttpServletRequest request, HttpServletResponse response, long max)
      throws IOException {
    ApiException error =
        new ApiException(413, "Request body is larger than the limit of " + max + " bytes");
    response.setStatus(413);
    response.setContentType("application/json");
    response.setHeader("Connection", "close");
    // the Anthropic Messages API answers in its own error shape
    boolean messages = request.getRequestURI().endsWith("/api/v1/messages");
    response
        .getOutputStream()
        .write(messages ? Json.bytes(ErrorBody.anthropic(error)) : ErrorBody.bytes(error));
  }

  /** A request whose body was already read, served from memory. */
  static final class ReadBody extends HttpServletRequestWrapper {
    private final byte[] body;

    ReadBody(HttpServletRequest request, byte[] body) {
      super(request);
      this.body = body;
    }

    byte[] body() {
      return body;
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
          throw new IllegalStateException("the body was already read");
        }
      };
    }

    @Override
    public int getContentLength() {
      return body.length;
    }

    @Override
    public long getContentLengthLong() {
      return body.length;
    }
  }

  /** The body of a request that passed through this filter. */
  public static byte[] bodyOf(HttpServletRequest request) throws IOException {
    HttpServletRequest current = request;
    while (current instanceof HttpServletRequestWrapper wrapper) {
      if (current instanceof ReadBody read) {
        return read.body();
      }
      current = (HttpServletRequest) wrapper.getRequest();
    }
    return request.getInputStream().readAllBytes();
  }
}

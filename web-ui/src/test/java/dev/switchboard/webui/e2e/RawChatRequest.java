package dev.switchboard.webui.e2e;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A chat completion request written by hand on a socket the test controls: for clients an HTTP
 * client cannot play, one that closes the connection mid-stream or never reads its answer.
 */
final class RawChatRequest {

  private RawChatRequest() {}

  /** Writes {@code POST /api/v1/chat/completions} with {@code body} and the bearer key. */
  static void send(Socket socket, String key, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    OutputStream out = socket.getOutputStream();
    out.write(
        ("POST /api/v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Authorization: Bearer "
                + key
                + "\r\nContent-Type: application/json\r\nContent-Length: "
                + bytes.length
                + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.write(bytes);
    out.flush();
  }
}

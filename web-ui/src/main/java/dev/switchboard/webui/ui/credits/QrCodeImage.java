package dev.switchboard.webui.ui.credits;

import com.vaadin.flow.component.html.Image;
import io.nayuki.qrcodegen.QrCode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A QR code of a short text (a deposit address) as an SVG image: one path of unit squares with the
 * standard four-module quiet zone, scaled by the browser, so it stays sharp at any size.
 */
final class QrCodeImage {

  private static final int QUIET_ZONE = 4;

  private QrCodeImage() {}

  static Image of(String text, String description, String size) {
    Image image = new Image("data:image/svg+xml;base64," + svgBase64(text), description);
    image.setWidth(size);
    image.setHeight(size);
    return image;
  }

  /** The SVG document of {@code text}'s QR code (medium error correction), base64-encoded. */
  static String svgBase64(String text) {
    return Base64.getEncoder().encodeToString(svg(text).getBytes(StandardCharsets.UTF_8));
  }

  static String svg(String text) {
    QrCode code = QrCode.encodeText(text, QrCode.Ecc.MEDIUM);
    int side = code.size + 2 * QUIET_ZONE;
    StringBuilder path = new StringBuilder();
    for (int y = 0; y < code.size; y++) {
      for (int x = 0; x < code.size; x++) {
        if (code.getModule(x, y)) {
          path.append('M')
              .append(x + QUIET_ZONE)
              .append(',')
              .append(y + QUIET_ZONE)
              .append("h1v1h-1z");
        }
      }
    }
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 "
        + side
        + " "
        + side
        + "\" shape-rendering=\"crispEdges\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>"
        + "<path d=\""
        + path
        + "\" fill=\"#000\"/></svg>";
  }
}

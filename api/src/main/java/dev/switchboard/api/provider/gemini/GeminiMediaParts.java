package dev.switchboard.api.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.http.Json;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;

/**
 * Images, audio and files as Gemini parts: data URLs travel inline ({@code inlineData}), other URLs
 * by reference ({@code fileData}), which needs a MIME type the URL alone rarely states.
 */
final class GeminiMediaParts {

  private static final String DEFAULT_MIME_TYPE = "image/jpeg";

  private static final Map<String, String> MIME_TYPES_BY_EXTENSION =
      Map.ofEntries(
          Map.entry("png", "image/png"),
          Map.entry("jpg", "image/jpeg"),
          Map.entry("jpeg", "image/jpeg"),
          Map.entry("gif", "image/gif"),
          Map.entry("webp", "image/webp"),
          Map.entry("heic", "image/heic"),
          Map.entry("heif", "image/heif"),
          Map.entry("pdf", "application/pdf"),
          Map.entry("mp3", "audio/mp3"),
          Map.entry("wav", "audio/wav"));

  ObjectNode fromUrl(String url) {
    return url.startsWith("data:") ? fromDataUrl(url) : fromRemoteUrl(url);
  }

  /** OpenAI {@code input_audio} ({@code data} base64, {@code format} wav|mp3). */
  ObjectNode fromAudio(JsonNode inputAudio) {
    return inline(
        "audio/" + inputAudio.path("format").asText("wav"), inputAudio.path("data").asText());
  }

  /** {@code data:[<mime>][;…][;base64],<payload>}. */
  private static ObjectNode fromDataUrl(String url) {
    int comma = url.indexOf(',');
    if (comma < 0) {
      throw new IllegalArgumentException("data URL without a comma");
    }
    String header = url.substring("data:".length(), comma);
    String payload = url.substring(comma + 1);
    String[] params = header.split(";");
    String mimeType = params[0].isEmpty() ? DEFAULT_MIME_TYPE : params[0];
    if (header.endsWith(";base64")) {
      return inline(mimeType, payload);
    }
    // Gemini wants base64; a plain data URL is percent-encoded text.
    byte[] decoded =
        URLDecoder.decode(payload, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
    return inline(mimeType, Base64.getEncoder().encodeToString(decoded));
  }

  private static ObjectNode fromRemoteUrl(String url) {
    ObjectNode part = Json.MAPPER.createObjectNode();
    ObjectNode fileData = part.putObject("fileData");
    fileData.put("mimeType", guessMimeType(url));
    fileData.put("fileUri", url);
    return part;
  }

  private static String guessMimeType(String url) {
    String path;
    try {
      path = URI.create(url).getPath();
    } catch (IllegalArgumentException unparsable) {
      return DEFAULT_MIME_TYPE;
    }
    if (path == null) {
      return DEFAULT_MIME_TYPE;
    }
    int dot = path.lastIndexOf('.');
    if (dot < 0 || dot < path.lastIndexOf('/')) {
      return DEFAULT_MIME_TYPE;
    }
    String extension = path.substring(dot + 1).toLowerCase(Locale.ROOT);
    return MIME_TYPES_BY_EXTENSION.getOrDefault(extension, DEFAULT_MIME_TYPE);
  }

  private static ObjectNode inline(String mimeType, String data) {
    ObjectNode part = Json.MAPPER.createObjectNode();
    ObjectNode inlineData = part.putObject("inlineData");
    inlineData.put("mimeType", mimeType);
    inlineData.put("data", data);
    return part;
  }
}

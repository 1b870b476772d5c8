package dev.switchboard.webui.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** A server-sent-events body split into its data payloads and comments, for assertions. */
public record StreamTranscript(List<String> data, List<String> comments) {

  public static StreamTranscript of(String body) {
    List<String> data = new ArrayList<>();
    List<String> comments = new ArrayList<>();
    for (String line : body.split("\n")) {
      if (line.startsWith("data: ")) {
        data.add(line.substring(6));
      } else if (line.startsWith(":")) {
        comments.add(line);
      }
    }
    return new StreamTranscript(data, comments);
  }

  public boolean endsWithDone() {
    return !data.isEmpty() && data.get(data.size() - 1).equals("[DONE]");
  }

  /** The JSON payloads (everything but [DONE]). */
  public List<JsonNode> chunks() {
    return data.stream().filter(d -> !d.equals("[DONE]")).map(Tenant::parse).toList();
  }

  public JsonNode last() {
    List<JsonNode> chunks = chunks();
    return chunks.get(chunks.size() - 1);
  }

  public String content() {
    StringBuilder text = new StringBuilder();
    for (JsonNode chunk : chunks()) {
      text.append(chunk.path("choices").path(0).path("delta").path("content").asText(""));
    }
    return text.toString();
  }
}

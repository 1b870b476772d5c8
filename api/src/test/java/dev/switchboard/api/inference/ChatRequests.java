package dev.switchboard.api.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.http.Json;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Builds chat request bodies as clients send them: a model and one user message, then changes. */
final class ChatRequests {

  private final ObjectNode body;

  private ChatRequests(ObjectNode body) {
    this.body = body;
  }

  /** {@code {"model":<model>,"messages":[{"role":"user","content":"Hello"}]}}. */
  static ChatRequests chat(String model) {
    ObjectNode body = Json.MAPPER.createObjectNode().put("model", model);
    body.putArray("messages").addObject().put("role", "user").put("content", "Hello");
    return new ChatRequests(body);
  }

  /** A body given whole as JSON. */
  static ChatRequests body(String json) {
    return new ChatRequests((ObjectNode) json(json));
  }

  /** Sets a top-level field to a JSON value, e.g. {@code with("temperature", "0.2")}. */
  ChatRequests with(String field, String json) {
    body.set(field, json(json));
    return this;
  }

  ChatRequests without(String field) {
    body.remove(field);
    return this;
  }

  /** Replaces the messages with a JSON array. */
  ChatRequests messages(String jsonArray) {
    return with("messages", jsonArray);
  }

  ObjectNode build() {
    return body.deepCopy();
  }

  ChatRequest parse() {
    return ChatRequestParser.parse(build(), ApiType.CHAT);
  }

  @Override
  public String toString() {
    return body.toString();
  }

  static JsonNode json(String json) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

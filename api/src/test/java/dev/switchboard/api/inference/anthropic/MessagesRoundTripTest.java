package dev.switchboard.api.inference.anthropic;

import static dev.switchboard.api.provider.anthropic.AnthropicFixtures.json;
import static dev.switchboard.api.provider.anthropic.AnthropicFixtures.wire;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.provider.anthropic.AnthropicRequestMapper;
import org.junit.jupiter.api.Test;

/**
 * OpenAI request → Anthropic body (egress) → OpenAI request (ingress): nothing Anthropic can carry
 * is lost.
 */
class MessagesRoundTripTest {

  private static final String MODEL = "claude-sonnet-4-20250514";

  private static ObjectNode roundTrip(ObjectNode chat, boolean stream) {
    ObjectNode anthropic = new AnthropicRequestMapper().toMessagesBody(chat, MODEL, stream);
    return new MessagesRequestMapper().toChatRequest(wire(anthropic));
  }

  @Test
  void preservesSystemTurnsToolsToolResultsImagesStopSamplingAndUser() {
    ObjectNode chat =
        json(
"""
{"model":"claude-sonnet-4-20250514","max_tokens":700,"stream":true,"user":"user-1",
 "temperature":0.3,"top_p":0.8,"top_k":20,"stop":["\\n\\nHuman:","END"],
 "messages":[
  {"role":"system","content":"You are a travel agent."},
  {"role":"user","content":[{"type":"text","text":"Plan a trip like this photo"},
    {"type":"image_url","image_url":{"url":"data:image/webp;base64,UklGRg=="}},
    {"type":"image_url","image_url":{"url":"https://example.com/beach.jpg"}}]},
  {"role":"assistant","content":"Where from?"},
  {"role":"user","content":"Berlin"},
  {"role":"assistant","content":null,"tool_calls":[
    {"id":"call_1","type":"function","function":{"name":"find_flights","arguments":"{\\"from\\":\\"BER\\",\\"max_stops\\":1}"}},
    {"id":"call_2","type":"function","function":{"name":"find_hotels","arguments":"{\\"stars\\":4}"}}]},
  {"role":"tool","tool_call_id":"call_1","content":"LH123 at 09:00"},
  {"role":"tool","tool_call_id":"call_2","content":"Hotel Mar"},
  {"role":"user","content":"Book both"}],
 "tools":[
  {"type":"function","function":{"name":"find_flights","description":"Search flights",
    "parameters":{"type":"object","properties":{"from":{"type":"string"},"max_stops":{"type":"integer"}},"required":["from"]}}},
  {"type":"function","function":{"name":"find_hotels","description":"Search hotels",
    "parameters":{"type":"object","properties":{"stars":{"type":"integer"}}}}}],
 "tool_choice":{"type":"function","function":{"name":"find_flights"}}}
""");

    assertThat(roundTrip(chat, true)).isEqualTo(chat);
  }

  @Test
  void preservesAReasoningBudgetAndMaxTokens() {
    ObjectNode chat =
        json(
            """
            {"model":"claude-sonnet-4-20250514","max_tokens":8000,"reasoning":{"max_tokens":3000},
             "messages":[{"role":"user","content":"Prove it"}]}
            """);

    assertThat(roundTrip(chat, false)).isEqualTo(chat);
  }

  @Test
  void turnsAReasoningEffortIntoItsBudget() {
    ObjectNode chat =
        json(
            """
            {"model":"claude-sonnet-4-20250514","max_tokens":8000,"reasoning":{"effort":"medium"},
             "messages":[{"role":"user","content":"Prove it"}]}
            """);

    assertThat(roundTrip(chat, false).get("reasoning")).isEqualTo(json("{\"max_tokens\":4096}"));
  }
}

package dev.switchboard.api.provider.openai;

import static dev.switchboard.api.provider.openai.OpenAiFixtures.json;
import static dev.switchboard.api.provider.openai.OpenAiFixtures.wire;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.provider.ProviderCall;
import dev.switchboard.domain.catalog.CatalogProvider;
import dev.switchboard.domain.catalog.DataPolicy;
import dev.switchboard.domain.catalog.ProviderApi;
import java.net.URI;
import org.junit.jupiter.api.Test;

class OpenAiRequestMapperTest {

  private static final String UPSTREAM_MODEL = "gpt-4o-2024-08-06";

  /**
   * Every field a caller may forward, as the route planner hands it on (model and max_tokens set).
   */
  private static final String FULL_REQUEST =
"""
{"model":"openai/gpt-4o","max_tokens":512,
 "messages":[
   {"role":"system","content":"You are a weather assistant."},
   {"role":"user","content":[
     {"type":"text","text":"What is in this picture, and what is the weather in Paris?"},
     {"type":"image_url","image_url":{"url":"https://example.com/sky.jpg","detail":"low"}}]},
   {"role":"assistant","content":null,"tool_calls":[
     {"id":"call_DdmO9pD3xa9XTPNJ32zg2hcA","type":"function",
      "function":{"name":"get_weather","arguments":"{\\"location\\":\\"Paris, France\\"}"}}]},
   {"role":"tool","tool_call_id":"call_DdmO9pD3xa9XTPNJ32zg2hcA","content":"{\\"celsius\\":18}"},
   {"role":"assistant","content":"A blue sky; it is 18 °C in Paris."},
   {"role":"user","content":"Thanks! And tomorrow?"}],
 "tools":[{"type":"function","function":{"name":"get_weather","description":"Current weather",
   "parameters":{"type":"object","properties":{"location":{"type":"string"}},
                 "required":["location"]}}}],
 "tool_choice":"auto",
 "stop":["\\n\\nUser:","END"],
 "temperature":0.7,
 "top_p":0.95,
 "seed":42,
 "response_format":{"type":"json_object"},
 "user":"user-1234"}
""";

  private static ProviderCall call(String chatRequest, boolean stream) {
    CatalogProvider provider =
        new CatalogProvider(
            "openai",
            "OpenAI",
            ProviderApi.OPENAI,
            URI.create("https://api.openai.com/v1"),
            "OPENAI_API_KEY",
            DataPolicy.PRIVATE);
    return new ProviderCall(provider, "sk-test", UPSTREAM_MODEL, json(chatRequest), stream);
  }

  @Test
  void replacesTheModelWithTheUpstreamIdAndPassesEverythingElseThroughUntouched() {
    ObjectNode expected = json(FULL_REQUEST);
    expected.put("model", UPSTREAM_MODEL);

    ObjectNode body = OpenAiRequestMapper.toRequest(call(FULL_REQUEST, false));

    assertThat(wire(body)).isEqualTo(wire(expected));
  }

  @Test
  void translatesOpenRouterReasoningEffortIntoReasoningEffort() {
    ObjectNode body =
        OpenAiRequestMapper.toRequest(
            call(
                """
                {"model":"openai/o3-mini","max_tokens":2000,
                 "messages":[{"role":"user","content":"Sum 1..100"}],"reasoning":{"effort":"high"}}
                """,
                false));

    assertThat(wire(body))
        .isEqualTo(
            json(
                """
                {"model":"gpt-4o-2024-08-06","max_tokens":2000,
                 "messages":[{"role":"user","content":"Sum 1..100"}],"reasoning_effort":"high"}
                """));
  }

  @Test
  void dropsAReasoningObjectWithoutEffortBecauseOpenAiDoesNotKnowTheField() {
    ObjectNode body =
        OpenAiRequestMapper.toRequest(
            call(
                """
                {"model":"openai/o3-mini","messages":[{"role":"user","content":"Hi"}],
                 "reasoning":{"max_tokens":1024}}
                """,
                false));

    assertThat(body.has("reasoning")).isFalse();
    assertThat(body.has("reasoning_effort")).isFalse();
  }

  @Test
  void forcesUsageIntoStreamsEvenWhenTheCallerTurnedItOff() {
    ObjectNode body =
        OpenAiRequestMapper.toRequest(
            call(
                """
                {"model":"openai/gpt-4o","messages":[{"role":"user","content":"Hi"}],
                 "stream_options":{"include_usage":false}}
                """,
                true));

    assertThat(wire(body))
        .isEqualTo(
            json(
                """
                {"model":"gpt-4o-2024-08-06","messages":[{"role":"user","content":"Hi"}],
                 "stream":true,"stream_options":{"include_usage":true}}
                """));
  }

  @Test
  void asksForUsageInAStreamWhoseRequestHadNoStreamFields() {
    ObjectNode body = OpenAiRequestMapper.toRequest(call(FULL_REQUEST, true));

    ObjectNode expected = json(FULL_REQUEST);
    expected.put("model", UPSTREAM_MODEL);
    expected.put("stream", true);
    expected.putObject("stream_options").put("include_usage", true);
    assertThat(wire(body)).isEqualTo(wire(expected));
  }

  @Test
  void removesStreamFieldsFromANonStreamedCall() {
    ObjectNode body =
        OpenAiRequestMapper.toRequest(
            call(
                """
                {"model":"openai/gpt-4o","messages":[{"role":"user","content":"Hi"}],
                 "stream":true,"stream_options":{"include_usage":true}}
                """,
                false));

    assertThat(wire(body))
        .isEqualTo(
            json(
                """
                {"model":"gpt-4o-2024-08-06","messages":[{"role":"user","content":"Hi"}]}
                """));
  }

  @Test
  void leavesTheCandidateBodyUnchangedSoARetryCanReuseIt() {
    ProviderCall call = call(FULL_REQUEST, true);
    ObjectNode before = call.chatRequest().deepCopy();

    OpenAiRequestMapper.toRequest(call);

    assertThat(call.chatRequest()).isEqualTo(before);
  }
}

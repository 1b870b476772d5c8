package dev.switchboard.webui.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tools through every wire format, end to end: the tool call comes back in the OpenAI shape,
 * streamed as fragments that add up to the same call, and the tool's result goes back for the final
 * answer.
 */
@ExtendWith(SwitchboardExtension.class)
class ToolCallsIT {

  private static final String TOOLS =
      """
      [{"type":"function","function":{"name":"get_weather","description":"Weather in a city",
        "parameters":{"type":"object","properties":{"city":{"type":"string"},"days":{"type":"integer"}},
                      "required":["city","days"]}}}]""";

  @ParameterizedTest
  @ValueSource(
      strings = {"openai/gpt-4o-mini", "anthropic/claude-3.5-haiku", "google/gemini-2.0-flash-001"})
  void aToolCallRoundTripsStreamedAndNot(String model, RunningSwitchboard switchboard) {
    Tenant tenant = Tenant.withCredits(switchboard, "1.00");
    String ask =
        """
        {"model":"%s","max_tokens":100,"stream":%s,"tools":%s,
         "messages":[{"role":"user","content":"What is the weather in Oslo for 2 days?"}]}""";

    JsonNode answer =
        Tenant.parse(chat(switchboard, tenant, ask.formatted(model, false, TOOLS)).body());
    JsonNode choice = answer.at("/choices/0");
    assertThat(choice.get("finish_reason").asText()).isEqualTo("tool_calls");
    JsonNode call = choice.at("/message/tool_calls/0");
    assertThat(call.at("/function/name").asText()).isEqualTo("get_weather");
    JsonNode arguments = Tenant.parse(call.at("/function/arguments").asText());
    assertThat(arguments.has("city")).isTrue();
    assertThat(arguments.has("days")).isTrue();

    StreamTranscript streamed =
        StreamTranscript.of(chat(switchboard, tenant, ask.formatted(model, true, TOOLS)).body());
    assertThat(streamed.endsWithDone()).isTrue();
    StringBuilder streamedArguments = new StringBuilder();
    String streamedName = null;
    String finish = null;
    for (JsonNode chunk : streamed.chunks()) {
      for (JsonNode fragment : chunk.at("/choices/0/delta/tool_calls")) {
        if (fragment.at("/function/name").isTextual()) {
          streamedName = fragment.at("/function/name").asText();
        }
        streamedArguments.append(fragment.at("/function/arguments").asText(""));
      }
      if (chunk.at("/choices/0/finish_reason").isTextual()) {
        finish = chunk.at("/choices/0/finish_reason").asText();
      }
    }
    assertThat(streamedName).isEqualTo("get_weather");
    assertThat(finish).isEqualTo("tool_calls");
    assertThat(Tenant.parse(streamedArguments.toString())).isEqualTo(arguments);

    String followUp =
        """
        {"model":"%s","max_tokens":50,"tools":%s,"messages":[
          {"role":"user","content":"What is the weather in Oslo for 2 days?"},
          {"role":"assistant","content":null,"tool_calls":[{"id":"%s","type":"function",
            "function":{"name":"get_weather","arguments":%s}}]},
          {"role":"tool","tool_call_id":"%s","content":"{\\"forecast\\":\\"rain\\"}"}]}"""
            .formatted(
                model,
                TOOLS,
                call.get("id").asText(),
                Tenant.JSON.valueToTree(call.at("/function/arguments").asText()),
                call.get("id").asText());
    JsonNode finalAnswer = Tenant.parse(chat(switchboard, tenant, followUp).body());
    assertThat(finalAnswer.at("/choices/0/finish_reason").asText()).isIn("stop", "length");
    assertThat(finalAnswer.at("/choices/0/message/content").asText()).isNotBlank();
  }

  private static HttpResponse<String> chat(
      RunningSwitchboard switchboard, Tenant tenant, String body) {
    HttpResponse<String> response =
        switchboard.post("/api/v1/chat/completions", tenant.managementKey(), body, Map.of());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return response;
  }
}

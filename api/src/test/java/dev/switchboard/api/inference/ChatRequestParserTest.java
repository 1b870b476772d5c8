package dev.switchboard.api.inference;

import static dev.switchboard.api.inference.ChatRequests.body;
import static dev.switchboard.api.inference.ChatRequests.chat;
import static dev.switchboard.api.inference.ChatRequests.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.api.http.ApiException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ChatRequestParserTest {

  private static final String MODEL = "openai/gpt-4o";

  private static ApiException refusal(ChatRequests request) {
    ApiException e = catchThrowableOfType(ApiException.class, request::parse);
    assertThat(e).as("the request should have been refused").isNotNull();
    assertThat(e.status()).isEqualTo(400);
    return e;
  }

  // ---- valid requests ---------------------------------------------------------------------------

  @Test
  void acceptsAPlainStringMessageAndForwardsOnlyTheMessages() {
    ChatRequest request = chat(MODEL).parse();

    assertThat(request.models()).containsExactly(MODEL);
    assertThat(request.stream()).isFalse();
    assertThat(request.maxTokens()).isNull();
    assertThat(request.providerBody())
        .isEqualTo(json("{\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}"));
    assertThat(request.provider()).isEqualTo(ProviderPreferences.DEFAULT);
    assertThat(request.parametersUsed()).isEmpty();
    assertThat(request.apiType()).isEqualTo(ApiType.CHAT);
  }

  @Test
  void acceptsTextAndImageParts() {
    String messages =
        """
        [{"role":"system","content":"Describe images."},
         {"role":"user","content":[
           {"type":"text","text":"What is in these pictures?"},
           {"type":"image_url","image_url":{"url":"https://example.com/a.jpg","detail":"high"}},
           {"type":"image_url","image_url":{"url":"http://example.com/b.png"}},
           {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}}]}]
        """;

    ChatRequest request = chat(MODEL).messages(messages).parse();

    assertThat(request.providerBody().get("messages")).isEqualTo(json(messages));
  }

  @Test
  void acceptsToolsAnAssistantToolCallWithNullContentAndAToolResult() {
    String messages =
        """
        [{"role":"developer","content":"Use tools."},
         {"role":"user","content":"Weather in Paris?"},
         {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",
           "function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},
         {"role":"tool","tool_call_id":"call_1","content":"{\\"celsius\\":18}"},
         {"role":"assistant","content":"It is 18 °C."},
         {"role":"user","content":"Thanks 😀"}]
        """;
    String tools =
        """
        [{"type":"function","function":{"name":"get_weather",
          "parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}]
        """;

    ChatRequest request =
        chat(MODEL).messages(messages).with("tools", tools).with("tool_choice", "\"auto\"").parse();

    assertThat(request.providerBody())
        .isEqualTo(
            json(
                "{\"messages\":"
                    + messages
                    + ",\"tools\":"
                    + tools
                    + ",\"tool_choice\":\"auto\"}"));
    assertThat(request.parametersUsed()).containsExactlyInAnyOrder("tools", "tool_choice");
  }

  @Test
  void readsStreamAndTheMaxTokens() {
    ChatRequest request = chat(MODEL).with("stream", "true").with("max_tokens", "256").parse();

    assertThat(request.stream()).isTrue();
    assertThat(request.maxTokens()).isEqualTo(256L);
    assertThat(request.providerBody().has("stream")).isFalse();
    assertThat(request.providerBody().has("max_tokens")).isFalse();
  }

  @Test
  void takesTheSmallerOfMaxTokensAndMaxCompletionTokens() {
    assertThat(
            chat(MODEL)
                .with("max_tokens", "500")
                .with("max_completion_tokens", "300")
                .parse()
                .maxTokens())
        .isEqualTo(300L);
    assertThat(
            chat(MODEL)
                .with("max_tokens", "300")
                .with("max_completion_tokens", "500")
                .parse()
                .maxTokens())
        .isEqualTo(300L);
    assertThat(chat(MODEL).with("max_completion_tokens", "700").parse().maxTokens())
        .isEqualTo(700L);
  }

  @Test
  void acceptsTheLimitsOfEveryRange() {
    ChatRequest request =
        chat(MODEL)
            .with("max_tokens", "10000000")
            .with("temperature", "2")
            .with("top_p", "0")
            .with("n", "1")
            .with("stop", "[\"a\",\"b\",\"c\",\"d\"]")
            .parse();

    assertThat(request.maxTokens()).isEqualTo(10_000_000L);
  }

  @Test
  void putsTheFallbackModelsAfterTheModelWithoutDuplicates() {
    ChatRequest request =
        chat(MODEL)
            .with(
                "models",
                "[\"anthropic/claude-sonnet-4\",\"openai/gpt-4o\",\"google/gemini-2.5-flash\","
                    + "\"anthropic/claude-sonnet-4\"]")
            .parse();

    assertThat(request.models())
        .containsExactly("openai/gpt-4o", "anthropic/claude-sonnet-4", "google/gemini-2.5-flash");
    assertThat(request.providerBody().has("models")).isFalse();
  }

  @Test
  void acceptsModelsWithoutAModel() {
    ChatRequest request =
        chat(MODEL).without("model").with("models", "[\"a/one\",\"b/two\"]").parse();

    assertThat(request.models()).containsExactly("a/one", "b/two");
  }

  @Test
  void acceptsTenFallbackModels() {
    assertThat(chat(MODEL).with("models", modelList(10)).parse().models()).hasSize(11);
  }

  @Test
  void forwardsOnlyAllowListedFields() {
    ChatRequest request =
        chat(MODEL)
            .with("temperature", "0.2")
            .with("frobnicate", "true")
            .with("transforms", "[\"middle-out\"]")
            .with("stream", "true")
            .with("stream_options", "{\"include_usage\":false}")
            .with("max_tokens", "100")
            .with("provider", "{\"sort\":\"price\"}")
            .with("models", "[\"a/b\"]")
            .with("usage", "{\"include\":true}")
            .with("n", "1")
            .parse();

    List<String> forwarded = new ArrayList<>();
    request.providerBody().fieldNames().forEachRemaining(forwarded::add);
    assertThat(forwarded).containsExactlyInAnyOrder("messages", "temperature");
  }

  @Test
  void forwardsEverySupportedSamplingFieldAndRecordsTheOptionalParametersUsed() {
    ChatRequest request =
        chat(MODEL)
            .with("temperature", "0.7")
            .with("top_p", "0.9")
            .with("top_k", "40")
            .with("frequency_penalty", "0.5")
            .with("presence_penalty", "-0.5")
            .with("repetition_penalty", "1.1")
            .with("stop", "\"END\"")
            .with("seed", "42")
            .with("response_format", "{\"type\":\"json_object\"}")
            .with("reasoning", "{\"effort\":\"low\"}")
            .with("logprobs", "true")
            .with("top_logprobs", "3")
            .with("user", "\"user-1\"")
            .parse();

    assertThat(request.parametersUsed())
        .containsExactlyInAnyOrder(
            "temperature",
            "top_p",
            "top_k",
            "frequency_penalty",
            "presence_penalty",
            "repetition_penalty",
            "stop",
            "seed",
            "response_format",
            "reasoning",
            "logprobs",
            "top_logprobs");
    assertThat(request.providerBody().get("user").asText()).isEqualTo("user-1");
    assertThat(request.providerBody().get("seed").asLong()).isEqualTo(42);
  }

  @Test
  void ignoresNullFields() {
    ChatRequest request =
        chat(MODEL)
            .with("temperature", "null")
            .with("max_tokens", "null")
            .with("tools", "null")
            .parse();

    assertThat(request.parametersUsed()).isEmpty();
    assertThat(request.maxTokens()).isNull();
    assertThat(request.providerBody().has("temperature")).isFalse();
  }

  @Test
  void treatsANullNAsAbsentLikeEveryOtherNullField() {
    ChatRequest request = chat(MODEL).with("n", "null").parse();

    assertThat(request.providerBody().has("n")).isFalse();
  }

  @Test
  void readsTheProviderPreferences() {
    ChatRequest request =
        chat(MODEL)
            .with(
                "provider",
"""
{"order":["Anthropic","openai"],"only":["openai","anthropic"],"ignore":["deepinfra"],
 "allow_fallbacks":false,"require_parameters":true,"sort":{"by":"latency"}}
""")
            .parse();

    assertThat(request.provider())
        .isEqualTo(
            new ProviderPreferences(
                List.of("anthropic", "openai"),
                List.of("openai", "anthropic"),
                List.of("deepinfra"),
                false,
                true,
                false,
                false,
                List.of(),
                new ProviderPreferences.Sort(ProviderPreferences.SortBy.LATENCY, false),
                ProviderPreferences.MaxPrice.NONE,
                null,
                null,
                false));
  }

  @Test
  void readsEveryOtherProviderPreference() {
    ChatRequest request =
        chat(MODEL)
            .with(
                "provider",
"""
{"data_collection":"deny","zdr":true,"quantizations":["FP8","unknown"],
 "sort":{"by":"throughput","partition":"none"},
 "max_price":{"prompt":1.5,"completion":"2","request":0.0001,"image":0},
 "preferred_min_throughput":{"p50":40,"p90":10},"preferred_max_latency":2.5,"resume":true}
""")
            .parse();

    ProviderPreferences prefs = request.provider();
    assertThat(prefs.denyDataCollection()).isTrue();
    assertThat(prefs.zeroDataRetention()).isTrue();
    assertThat(prefs.quantizations()).containsExactly("fp8", "unknown");
    assertThat(prefs.sort())
        .isEqualTo(new ProviderPreferences.Sort(ProviderPreferences.SortBy.THROUGHPUT, true));
    assertThat(prefs.maxPrice())
        .isEqualTo(new ProviderPreferences.MaxPrice(1_500_000_000L, 2_000_000_000L, 100_000L, 0L));
    assertThat(prefs.preferredMinThroughput()).isEqualTo(40.0);
    assertThat(prefs.preferredMaxLatency()).isEqualTo(2.5);
    assertThat(prefs.resume()).isTrue();
    assertThat(request.providerBody().has("provider")).as("never forwarded").isFalse();
  }

  @Test
  void acceptsAPairedSurrogate() {
    ChatRequest request =
        chat(MODEL).messages("[{\"role\":\"user\",\"content\":\"smile \\ud83d\\ude00\"}]").parse();

    assertThat(request.providerBody().at("/messages/0/content").asText()).isEqualTo("smile 😀");
  }

  // ---- refusals ---------------------------------------------------------------------------------

  static Stream<Arguments> refusals() {
    return Stream.of(
        Arguments.of(body("{\"model\":\"openai/gpt-4o\"}"), "'messages' must be a non-empty array"),
        Arguments.of(chat(MODEL).messages("[]"), "'messages' must be a non-empty array"),
        Arguments.of(chat(MODEL).messages("\"Hello\""), "'messages' must be a non-empty array"),
        Arguments.of(chat(MODEL).without("model"), "'model' is required"),
        Arguments.of(
            chat(MODEL).messages("[{\"role\":\"user\"}]"), "messages[0].content is required"),
        Arguments.of(
            chat(MODEL).messages("[{\"role\":\"assistant\",\"content\":null}]"),
            "messages[0].content is required"),
        Arguments.of(
            chat(MODEL)
                .messages(
                    "[{\"role\":\"user\",\"content\":\"Weather?\"},"
                        + "{\"role\":\"tool\",\"content\":\"18\"}]"),
            "messages[1].tool_call_id is required for a tool message"),
        Arguments.of(
            chat(MODEL)
                .messages(
                    """
                    [{"role":"user","content":[{"type":"input_audio",
                      "input_audio":{"data":"AAAA","format":"wav"}}]}]
                    """),
            "messages[0].content[0].type must be 'text' or 'image_url', got 'input_audio'"),
        Arguments.of(
            chat(MODEL)
                .messages(
                    """
                    [{"role":"user","content":[{"type":"text","text":"Look"},
                      {"type":"image_url","image_url":{"url":"file:///etc/passwd"}}]}]
                    """),
            "messages[0].content[1].image_url.url must be an http(s) URL or a data:image/ URL"),
        Arguments.of(
            chat(MODEL)
                .messages(
                    """
                    [{"role":"user","content":[
                      {"type":"image_url","image_url":{"url":"data:text/html;base64,PGgxPg=="}}]}]
                    """),
            "messages[0].content[0].image_url.url must be an http(s) URL or a data:image/ URL"),
        Arguments.of(
            chat(MODEL).with("max_tokens", "0"),
            "'max_tokens' must be between 1 and 10000000, got 0"),
        Arguments.of(
            chat(MODEL).with("max_tokens", "-5"),
            "'max_tokens' must be between 1 and 10000000, got -5"),
        Arguments.of(
            chat(MODEL).with("max_tokens", "\"100\""), "'max_tokens' must be a whole number"),
        Arguments.of(chat(MODEL).with("max_tokens", "12.5"), "'max_tokens' must be a whole number"),
        Arguments.of(
            chat(MODEL).with("max_tokens", "10000001"),
            "'max_tokens' must be between 1 and 10000000, got 10000001"),
        Arguments.of(
            chat(MODEL).with("max_completion_tokens", "0"),
            "'max_completion_tokens' must be between 1 and 10000000, got 0"),
        Arguments.of(
            chat(MODEL).with("temperature", "2.5"), "'temperature' must be between 0 and 2"),
        Arguments.of(chat(MODEL).with("temperature", "\"hot\""), "'temperature' must be a number"),
        Arguments.of(chat(MODEL).with("top_p", "-0.1"), "'top_p' must be between 0 and 1"),
        Arguments.of(
            chat(MODEL).with("n", "2"), "'n' must be 1: one choice per request is supported"),
        Arguments.of(
            chat(MODEL).with("stop", "[\"a\",\"b\",\"c\",\"d\",\"e\"]"),
            "'stop' must be a string or an array of at most 4 strings"),
        Arguments.of(chat(MODEL).with("stream", "\"yes\""), "'stream' must be true or false"),
        Arguments.of(
            chat(MODEL).with("provider", "{\"sort\":\"random\"}"),
            "'provider.sort' must be price, throughput or latency, or {\"by\": one of them,"
                + " \"partition\": \"model\" or \"none\"}"),
        Arguments.of(
            chat(MODEL).with("provider", "{\"sort\":{\"by\":\"price\",\"partition\":\"all\"}}"),
            "'provider.sort' must be price, throughput or latency, or {\"by\": one of them,"
                + " \"partition\": \"model\" or \"none\"}"),
        Arguments.of(
            chat(MODEL).with("provider", "{\"oder\":[\"openai\"]}"),
            "'provider.oder' is not a provider preference; known: allow_fallbacks,"
                + " data_collection, ignore, max_price, only, order, preferred_max_latency,"
                + " preferred_min_throughput, quantizations, require_parameters, resume, sort, zdr"),
        Arguments.of(
            chat(MODEL).with("provider", "{\"allow_fallbacks\":\"no\"}"),
            "'provider.allow_fallbacks' must be true or false"),
        Arguments.of(
            chat(MODEL).with("provider", "{\"data_collection\":\"maybe\"}"),
            "'provider.data_collection' must be \"allow\" or \"deny\""),
        Arguments.of(
            chat(MODEL).with("provider", "{\"quantizations\":[\"fp7\"]}"),
            "'provider.quantizations' must be an array of bf16, fp16, fp32, fp4, fp6, fp8, int4,"
                + " int8, unknown"),
        Arguments.of(
            chat(MODEL).with("provider", "{\"max_price\":{\"prompt\":-1}}"),
            "'provider.max_price.prompt' must be a non-negative amount in USD, such as 1.5"),
        Arguments.of(
            chat(MODEL).with("provider", "{\"max_price\":{\"tokens\":1}}"),
            "'provider.max_price.tokens' is not a price; known: completion, image, prompt, request"),
        Arguments.of(
            chat(MODEL).with("provider", "{\"max_price\":3}"),
            "'provider.max_price' must be an object of prompt, completion (USD per million tokens),"
                + " request and image (USD each)"),
        Arguments.of(
            chat(MODEL).with("provider", "{\"preferred_max_latency\":{\"p42\":1}}"),
            "'provider.preferred_max_latency' must be a non-negative number, or {\"p50\": a number, …}"),
        Arguments.of(
            chat(MODEL).with("provider", "{\"resume\":1}"),
            "'provider.resume' must be true or false"),
        Arguments.of(
            chat(MODEL).with("api_base", "\"http://169.254.169.254/\""),
            "The field 'api_base' is not accepted"),
        Arguments.of(
            chat(MODEL).with("tenant_id", "\"t-1\""), "The field 'tenant_id' is not accepted"),
        Arguments.of(
            chat(MODEL).messages("[{\"role\":\"user\",\"content\":\"bad \\ud83d here\"}]"),
            "Invalid text in 'messages[0].content': an unpaired UTF-16 surrogate"),
        Arguments.of(
            chat(MODEL).messages("[{\"role\":\"user\",\"content\":\"bad \\ude00 here\"}]"),
            "Invalid text in 'messages[0].content': an unpaired UTF-16 surrogate"),
        Arguments.of(
            chat(MODEL).with("models", modelList(11)),
            "'models' must be an array of at most 10 model ids"));
  }

  @ParameterizedTest
  @MethodSource("refusals")
  void refusesAnInvalidRequestWithAMessageNamingTheField(ChatRequests request, String message) {
    assertThat(refusal(request).getMessage()).isEqualTo(message);
  }

  @Test
  void refusesAnUnknownRoleNamingTheAllowedOnes() {
    ApiException e = refusal(chat(MODEL).messages("[{\"role\":\"wizard\",\"content\":\"Hi\"}]"));

    Matcher matcher =
        Pattern.compile("messages\\[0\\]\\.role must be one of \\[(.*)\\], got 'wizard'")
            .matcher(e.getMessage());
    assertThat(matcher.matches()).as(e.getMessage()).isTrue();
    assertThat(Set.of(matcher.group(1).split(", ")))
        .containsExactlyInAnyOrder("system", "developer", "user", "assistant", "tool");
  }

  // ---- prompt size ------------------------------------------------------------------------------

  @Test
  void boundsThePromptAtOrAboveItsEstimate() {
    for (ChatRequests request :
        List.of(
            chat(MODEL),
            chat(MODEL)
                .messages("[{\"role\":\"user\",\"content\":\"" + "word ".repeat(2000) + "\"}]"),
            chat(MODEL).messages("[{\"role\":\"user\",\"content\":\"世界世界世界世界\"}]"),
            chat(MODEL)
                .messages(
                    "[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\","
                        + "\"image_url\":{\"url\":\"https://example.com/a.png\"}}]}]"))) {
      ChatRequest parsed = request.parse();
      assertThat(parsed.promptTokenBound()).isGreaterThanOrEqualTo(parsed.promptTokenEstimate());
    }
  }

  @Test
  void boundsThePromptAtLeastByItsUtf8Bytes() {
    String text = "Grüße aus 東京 😀 ".repeat(50);
    ChatRequest request =
        chat(MODEL).messages("[{\"role\":\"user\",\"content\":\"" + text + "\"}]").parse();

    assertThat(request.promptTokenBound())
        .isGreaterThanOrEqualTo(text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
  }

  @Test
  void growsThePromptBoundAndEstimateWithEachImage() {
    String text = "{\"type\":\"text\",\"text\":\"Compare these.\"}";
    String image = "{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://example.com/a.png\"}}";
    ChatRequest none =
        chat(MODEL).messages("[{\"role\":\"user\",\"content\":[" + text + "]}]").parse();
    ChatRequest two =
        chat(MODEL)
            .messages(
                "[{\"role\":\"user\",\"content\":[" + text + "," + image + "," + image + "]}]")
            .parse();

    assertThat(two.promptTokenBound() - none.promptTokenBound())
        .isEqualTo(2 * ChatRequestParser.PromptSize.IMAGE_TOKEN_BOUND);
    assertThat(two.promptTokenEstimate() - none.promptTokenEstimate())
        .isEqualTo(2 * ChatRequestParser.PromptSize.IMAGE_TOKEN_ESTIMATE);
  }

  @Test
  void countsToolDefinitionsAndToolCallsInThePrompt() {
    ChatRequest plain = chat(MODEL).parse();
    ChatRequest withTools =
        chat(MODEL)
            .with(
                "tools",
                "[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
                    + "\"description\":\"Current weather for a city, in degrees Celsius\"}}]")
            .parse();

    assertThat(withTools.promptTokenBound()).isGreaterThan(plain.promptTokenBound() + 50);
    assertThat(withTools.promptTokenEstimate()).isGreaterThan(plain.promptTokenEstimate());
  }

  private static String modelList(int count) {
    return IntStream.range(0, count)
        .mapToObj(i -> "\"vendor/model-" + i + "\"")
        .collect(java.util.stream.Collectors.joining(",", "[", "]"));
  }
}

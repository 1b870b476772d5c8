package dev.switchboard.api.inference;

import static dev.switchboard.api.inference.ChatRequests.chat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.catalog.LoadedCatalog;
import dev.switchboard.api.provider.WireFormats;
import dev.switchboard.domain.money.CostCalculator;
import org.junit.jupiter.api.Test;

class CandidateTest {

  private final LoadedCatalog loaded = LoadedCatalogs.of(LoadedCatalogs.CHEAP_AND_DEAR);
  private final RoutePlanner planner = new RoutePlanner(new WireFormats());

  private Candidate first(ChatRequests request) {
    return planner.plan(request.parse(), loaded).get(0);
  }

  @Test
  void aContinuationSendsTheAnswerSoFarAsTheAssistantsPrefillUnderWhatIsLeftOfTheCap() {
    Candidate candidate = first(chat("acme/chat").with("max_tokens", "100"));

    Candidate continuation = candidate.continuing("Once upon a", 30);

    JsonNode messages = continuation.call(true).chatRequest().get("messages");
    assertThat(messages).hasSize(2);
    assertThat(messages.get(0).get("role").asText()).isEqualTo("user");
    assertThat(messages.get(1).get("role").asText()).isEqualTo("assistant");
    assertThat(messages.get(1).get("content").asText()).isEqualTo("Once upon a");
    assertThat(continuation.call(true).chatRequest().get("max_tokens").asLong()).isEqualTo(70);
    assertThat(continuation.maxCompletionTokens()).isEqualTo(70);
    // the candidate itself is unchanged: a later attempt at it starts afresh
    assertThat(candidate.call(true).chatRequest().get("messages")).hasSize(1);
    assertThat(candidate.call(true).chatRequest().get("max_tokens").asLong()).isEqualTo(100);
  }

  @Test
  void aContinuationAlwaysMayProduceAToken() {
    Candidate candidate = first(chat("acme/chat").with("max_tokens", "10"));

    assertThat(candidate.continuing("…", 12).maxCompletionTokens()).isEqualTo(1);
  }

  @Test
  void theWorstContinuationCountsThePrefillAsPromptUpToTheCap() {
    Candidate candidate = first(chat("acme/chat").with("max_tokens", "100"));

    assertThat(candidate.worstContinuationCharge(false))
        .isEqualTo(
            CostCalculator.worstCase(
                candidate.endpoint().pricing(), candidate.maxPromptTokens() + 100, 100));
    assertThat(candidate.worstContinuationCharge(false).compareTo(candidate.worstCharge(false)))
        .isPositive();
  }
}

package dev.switchboard.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CompletionPlanTest {

  static ChatRequest request(Integer cap, List<String> stops, int reasoning) {
    return continuing("", cap, stops, reasoning);
  }

  static ChatRequest continuing(String prefill, Integer cap, List<String> stops, int reasoning) {
    return new ChatRequest(
        "m",
        "seed material",
        10,
        cap,
        stops,
        reasoning,
        false,
        null,
        false,
        false,
        new ChatRequest.Prefix("m", null, JsonCodec.array(), 0, false),
        prefill);
  }

  @Test
  void anAnswerContinuedFromAPrefixOfItselfGoesOnAsTheWholeAnswer() {
    CompletionPlan whole = CompletionPlan.of(request(null, List.of(), 0), 30);
    String prefix = String.join("", whole.textPieces().subList(0, 12));

    CompletionPlan rest = CompletionPlan.of(continuing(prefix, null, List.of(), 0), 30);

    assertThat(prefix + rest.text()).isEqualTo(whole.text());
    assertThat(rest.textPieces()).hasSize(18);
    assertThat(rest.finish()).isEqualTo(CompletionPlan.Finish.STOP);
  }

  @Test
  void aContinuationIsCappedByItsOwnMaxTokens() {
    CompletionPlan whole = CompletionPlan.of(request(null, List.of(), 0), 30);
    String prefix = String.join("", whole.textPieces().subList(0, 12));

    CompletionPlan rest = CompletionPlan.of(continuing(prefix, 10, List.of(), 0), 30);

    assertThat(rest.text()).isEqualTo(String.join("", whole.textPieces().subList(12, 22)));
    assertThat(rest.finish()).isEqualTo(CompletionPlan.Finish.LENGTH);
  }

  @Test
  void aPrefillThatIsNotThePrefixOfTheAnswerGetsTheWholeAnswer() {
    CompletionPlan whole = CompletionPlan.of(request(null, List.of(), 0), 30);

    CompletionPlan answer = CompletionPlan.of(continuing("Something else", null, List.of(), 0), 30);

    assertThat(answer.text()).isEqualTo(whole.text());
  }

  @Test
  void capYieldsAPrefixOfTheUncappedText() {
    CompletionPlan full = CompletionPlan.of(request(null, List.of(), 0), null);
    CompletionPlan capped = CompletionPlan.of(request(5, List.of(), 0), null);

    assertThat(full.text()).startsWith(capped.text());
    assertThat(capped.textTokens()).isEqualTo(5);
    assertThat(capped.finish()).isEqualTo(CompletionPlan.Finish.LENGTH);
    assertThat(full.finish()).isEqualTo(CompletionPlan.Finish.STOP);
  }

  @Test
  void capCoversReasoningBeforeVisibleText() {
    CompletionPlan plan = CompletionPlan.of(request(20, List.of(), 16), 30);

    assertThat(plan.reasoningTokens()).isEqualTo(16);
    assertThat(plan.textTokens()).isEqualTo(4);
    assertThat(plan.completionTokens()).isEqualTo(20);
    assertThat(plan.finish()).isEqualTo(CompletionPlan.Finish.LENGTH);
  }

  @Test
  void stopInsideAWordCutsMidWordAndStillCountsExactly() {
    String full = CompletionPlan.of(request(null, List.of(), 0), null).text();
    String stop = full.substring(3, 5);

    CompletionPlan plan = CompletionPlan.of(request(null, List.of(stop), 0), null);

    assertThat(plan.text()).isEqualTo(full.substring(0, full.indexOf(stop)));
    assertThat(plan.textTokens()).isEqualTo(Tokenizer.count(plan.text()));
    assertThat(plan.matchedStopSequence()).isEqualTo(stop);
  }

  @Test
  void lengthOverrideOfZeroGivesAnEmptyReply() {
    CompletionPlan plan = CompletionPlan.of(request(null, List.of(), 0), 0);

    assertThat(plan.text()).isEmpty();
    assertThat(plan.completionTokens()).isZero();
    assertThat(plan.finish()).isEqualTo(CompletionPlan.Finish.STOP);
  }
}

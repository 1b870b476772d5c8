package dev.switchboard.webui.ui.models;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.webui.ui.TestCatalogs;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ModelFilterTest {

  private final List<ModelRow> rows = ModelRow.of(TestCatalogs.loaded());

  private List<String> ids(ModelFilter filter) {
    return filter.apply(rows).stream().map(ModelRow::id).toList();
  }

  @Test
  void anEmptyFilterKeepsEveryModel() {
    assertThat(ids(ModelFilter.NONE)).containsExactly("acme/fast-1", "acme/big-2", "globex/tiny");
    assertThat(ids(ModelFilter.NONE.withText("   "))).hasSize(3);
  }

  @Test
  void searchesNameAndIdIgnoringCase() {
    assertThat(ids(ModelFilter.NONE.withText("BIG"))).containsExactly("acme/big-2");
    assertThat(ids(ModelFilter.NONE.withText("globex/"))).containsExactly("globex/tiny");
    assertThat(ids(ModelFilter.NONE.withText(" Fast 1 "))).containsExactly("acme/fast-1");
    assertThat(ids(ModelFilter.NONE.withText("nothing like it"))).isEmpty();
  }

  @Test
  void keepsModelsServedByAnyOfTheChosenProviders() {
    assertThat(ids(ModelFilter.NONE.withProviders(Set.of("globex"))))
        .containsExactly("acme/big-2", "globex/tiny");
    assertThat(ids(ModelFilter.NONE.withProviders(Set.of("acme", "globex")))).hasSize(3);
  }

  @Test
  void keepsModelsAtOrBelowTheMaximumPromptPrice() {
    assertThat(ids(ModelFilter.NONE.withMaxPromptPerMillion(150_000_000L)))
        .containsExactly("acme/fast-1", "globex/tiny");
    assertThat(ids(ModelFilter.NONE.withMaxPromptPerMillion(149_999_999L)))
        .containsExactly("globex/tiny");
  }

  @Test
  void keepsModelsWithAtLeastTheMinimumContext() {
    assertThat(ids(ModelFilter.NONE.withMinContextLength(32_768)))
        .containsExactly("acme/fast-1", "acme/big-2");
    assertThat(ids(ModelFilter.NONE.withMinContextLength(100_000))).containsExactly("acme/big-2");
  }

  @Test
  void combinesEveryCriterion() {
    ModelFilter filter =
        ModelFilter.NONE
            .withText("acme")
            .withProviders(Set.of("acme"))
            .withMaxPromptPerMillion(1_000_000_000L)
            .withMinContextLength(1_000);
    assertThat(ids(filter)).containsExactly("acme/fast-1");
    assertThat(ids(filter.withMaxPromptPerMillion(null)))
        .containsExactly("acme/fast-1", "acme/big-2");
  }
}

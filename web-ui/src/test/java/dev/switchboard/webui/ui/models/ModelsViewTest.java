package dev.switchboard.webui.ui.models;

import static com.github.mvysny.kaributesting.v10.GridKt._clickItem;
import static com.github.mvysny.kaributesting.v10.GridKt._getFormattedRow;
import static com.github.mvysny.kaributesting.v10.GridKt._size;
import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static com.github.mvysny.kaributesting.v10.LocatorJ._setValue;
import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.combobox.MultiSelectComboBox;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.sidenav.SideNavItem;
import com.vaadin.flow.component.textfield.BigDecimalField;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextField;
import dev.switchboard.webui.ui.MockDashboard;
import dev.switchboard.webui.ui.TestCatalogs;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ModelsViewTest {

  @BeforeEach
  void openTheDashboard() {
    MockDashboard.start(TestCatalogs.serving(TestCatalogs.loaded()));
    UI.getCurrent().navigate("");
  }

  @AfterEach
  void closeTheDashboard() {
    MockDashboard.stop();
  }

  @SuppressWarnings("unchecked")
  private static Grid<ModelRow> grid() {
    return _get(Grid.class, spec -> spec.withId("models-grid"));
  }

  private static List<String> shownNames() {
    Grid<ModelRow> grid = grid();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < _size(grid); i++) {
      names.add(_getFormattedRow(grid, i).get(0));
    }
    return names;
  }

  @Test
  void theRootShowsTheModelsListInsideTheLayout() {
    assertThat(_get(ModelsView.class)).isNotNull();
    SideNavItem models = _get(SideNavItem.class);
    assertThat(models.getLabel()).isEqualTo("Models");
    assertThat(models.getPath()).isEqualTo("models");
    assertThat(UI.getCurrent().getInternals().getActiveViewLocation().getPath()).isEmpty();
  }

  @Test
  void listsEveryModelOfTheCatalogWithItsCheapestPrices() {
    assertThat(shownNames()).containsExactly("Acme Fast 1", "Acme Big 2", "Globex Tiny");
    assertThat(_getFormattedRow(grid(), 1))
        .containsExactly(
            "Acme Big 2",
            "acme/big-2",
            "200,000",
            "Acme AI, Globex",
            "$3.00 / M",
            "$15.00 / M",
            "Acme AI");
    assertThat(_getFormattedRow(grid(), 0)).contains("$0.15 / M", "$0.60 / M", "32,768");
  }

  @Test
  void theSearchNarrowsByNameOrId() {
    _setValue(_get(TextField.class, spec -> spec.withId("model-search")), "tiny");
    assertThat(shownNames()).containsExactly("Globex Tiny");

    _setValue(_get(TextField.class, spec -> spec.withId("model-search")), "ACME/");
    assertThat(shownNames()).containsExactly("Acme Fast 1", "Acme Big 2");
  }

  @Test
  @SuppressWarnings("unchecked")
  void theProviderFilterKeepsModelsServedByTheChosenProviders() {
    MultiSelectComboBox<ProviderChoice> providers =
        _get(MultiSelectComboBox.class, spec -> spec.withId("model-provider-filter"));
    assertThat(
            providers
                .getListDataView()
                .getItems()
                .map(ProviderChoice::name)
                .collect(Collectors.toList()))
        .containsExactly("Acme AI", "Globex");

    _setValue(providers, Set.of(new ProviderChoice("globex", "Globex")));

    assertThat(shownNames()).containsExactly("Acme Big 2", "Globex Tiny");
  }

  @Test
  void theMaximumPromptPriceKeepsCheaperModels() {
    _setValue(
        _get(BigDecimalField.class, spec -> spec.withId("model-max-prompt-price")),
        new BigDecimal("0.15"));

    assertThat(shownNames()).containsExactly("Acme Fast 1", "Globex Tiny");
  }

  @Test
  void theMinimumContextKeepsModelsWithEnoughContext() {
    _setValue(_get(IntegerField.class, spec -> spec.withId("model-min-context")), 100_000);

    assertThat(shownNames()).containsExactly("Acme Big 2");
  }

  @Test
  void filtersCombineAndClearingOneWidensTheListAgain() {
    IntegerField minContext = _get(IntegerField.class, spec -> spec.withId("model-min-context"));
    _setValue(_get(TextField.class, spec -> spec.withId("model-search")), "acme");
    _setValue(minContext, 100_000);
    assertThat(shownNames()).containsExactly("Acme Big 2");

    _setValue(minContext, null);
    assertThat(shownNames()).containsExactly("Acme Fast 1", "Acme Big 2");
  }

  @Test
  void clickingAModelOpensItsPage() {
    _setValue(_get(TextField.class, spec -> spec.withId("model-search")), "big");

    _clickItem(grid(), 0);

    assertThat(UI.getCurrent().getInternals().getActiveViewLocation().getPath())
        .isEqualTo("models/acme/big-2");
    assertThat(_get(ModelView.class)).isNotNull();
  }
}

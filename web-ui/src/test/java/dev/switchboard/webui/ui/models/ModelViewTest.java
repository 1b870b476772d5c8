package dev.switchboard.webui.ui.models;

import static com.github.mvysny.kaributesting.v10.GridKt._getFormattedRow;
import static com.github.mvysny.kaributesting.v10.GridKt._getItemDetailsComponent;
import static com.github.mvysny.kaributesting.v10.GridKt._size;
import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Code;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import dev.switchboard.webui.ui.MockDashboard;
import dev.switchboard.webui.ui.TestCatalogs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ModelViewTest {

  @BeforeEach
  void openTheDashboard() {
    MockDashboard.start(TestCatalogs.serving(TestCatalogs.loaded()));
  }

  @AfterEach
  void closeTheDashboard() {
    MockDashboard.stop();
  }

  @SuppressWarnings("unchecked")
  private static Grid<EndpointRow> endpoints() {
    return _get(Grid.class, spec -> spec.withId("endpoints-grid"));
  }

  @Test
  void describesTheModel() {
    UI.getCurrent().navigate("models/acme/fast-1");

    assertThat(_get(H2.class, spec -> spec.withId("model-name")).getText())
        .isEqualTo("Acme Fast 1");
    assertThat(_get(Code.class, spec -> spec.withId("model-id")).getText())
        .isEqualTo("acme/fast-1");
    assertThat(_get(Paragraph.class, spec -> spec.withId("model-description")).getText())
        .isEqualTo("Small and quick.");
    assertThat(_get(Span.class, spec -> spec.withId("model-context-length")).getText())
        .isEqualTo("Context length: 32,768 tokens");
    assertThat(UI.getCurrent().getInternals().getTitle()).isEqualTo("Acme Fast 1 · Switchboard");
  }

  @Test
  void listsEveryEndpointWithItsFormattedPricesAndAvailability() {
    UI.getCurrent().navigate("models/acme/big-2");

    Grid<EndpointRow> grid = endpoints();
    assertThat(_size(grid)).isEqualTo(2);
    assertThat(_getFormattedRow(grid, 0))
        .containsExactly(
            "Acme AI", "available", "big-2", "$3.00 / M", "$15.00 / M", "—", "—", "8,192", "—");
    assertThat(_getFormattedRow(grid, 1))
        .containsExactly(
            "Globex",
            TestCatalogs.GLOBEX_UNAVAILABLE,
            "acme-big-2",
            "$2.50 / M",
            "$10.00 / M",
            "—",
            "$0.001 / request",
            "—",
            "fp8");
  }

  @Test
  void showsTheCacheReadPriceAndParametersWhereTheCatalogHasThem() {
    UI.getCurrent().navigate("models/acme/fast-1");

    assertThat(_getFormattedRow(endpoints(), 0))
        .contains("$0.15 / M", "$0.60 / M", "$0.075 / M", "4,096");
    assertThat(((Span) _getItemDetailsComponent(endpoints(), 0)).getText())
        .isEqualTo("Supported parameters: temperature, tools");
  }

  @Test
  void anUnknownModelIsAnswered404WithTheNotFoundPage() {
    UI.getCurrent().navigate("models/acme/ghost");

    assertThat(_get(H2.class, spec -> spec.withId("not-found")).getText())
        .isEqualTo("Page not found");
    assertThat(UI.getCurrent().getInternals().getActiveRouterTargetsChain())
        .noneMatch(ModelView.class::isInstance);
  }
}

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
import dev.switchboard.domain.routing.health.BreakerPolicy;
import dev.switchboard.domain.routing.health.EndpointHealth;
import dev.switchboard.domain.routing.health.EndpointId;
import dev.switchboard.webui.ui.MockDashboard;
import dev.switchboard.webui.ui.TestCatalogs;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ModelViewTest {

  private final EndpointHealth health =
      new EndpointHealth(
          Clock.fixed(Instant.parse("2026-12-07T10:00:00Z"), ZoneOffset.UTC),
          BreakerPolicy.DEFAULT);

  @BeforeEach
  void openTheDashboard() {
    MockDashboard.start(TestCatalogs.serving(TestCatalogs.loaded()), health);
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
  void showsEachEndpointsUptimeLatencyThroughputAndCircuitFromLiveTraffic() {
    EndpointId acme = new EndpointId("acme/big-2", "acme");
    for (int i = 0; i < 3; i++) {
      // 240 ms to the first token, then 100 tokens in 2 s: 50 tokens/s
      health.succeeded(acme, 2240, 240, 2000, 100);
    }
    health.failed(acme);

    UI.getCurrent().navigate("models/acme/big-2");

    @SuppressWarnings("unchecked")
    Grid<EndpointHealthRow> grid = _get(Grid.class, spec -> spec.withId("endpoint-health-grid"));
    assertThat(_size(grid)).isEqualTo(2);
    assertThat(_getFormattedRow(grid, 0)).element(0).isEqualTo("Acme AI");
    assertThat(_getFormattedRow(grid, 0)).element(1).isEqualTo("75.0%");
    assertThat(_getFormattedRow(grid, 0).get(2)).matches("2\\d\\d ms");
    assertThat(_getFormattedRow(grid, 0).get(3)).matches("(4\\d|5\\d)\\.\\d tokens/s");
    assertThat(_getFormattedRow(grid, 0)).element(4).isEqualTo("closed");
    assertThat(_getFormattedRow(grid, 1))
        .as("no traffic to Globex: nothing measured")
        .containsExactly("Globex", "—", "—", "—", "closed");
  }

  @Test
  void anOpenCircuitIsShown() {
    EndpointId globex = new EndpointId("acme/big-2", "globex");
    for (int i = 0; i < BreakerPolicy.DEFAULT.consecutiveFailures(); i++) {
      health.failed(globex);
    }

    UI.getCurrent().navigate("models/acme/big-2");

    @SuppressWarnings("unchecked")
    Grid<EndpointHealthRow> grid = _get(Grid.class, spec -> spec.withId("endpoint-health-grid"));
    assertThat(_getFormattedRow(grid, 1)).containsExactly("Globex", "0.0%", "—", "—", "open");
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

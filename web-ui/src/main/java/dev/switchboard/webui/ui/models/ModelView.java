package dev.switchboard.webui.ui.models;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Code;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.data.renderer.ComponentRenderer;
import com.vaadin.flow.function.ValueProvider;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.NotFoundException;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteParameters;
import com.vaadin.flow.router.RouterLink;
import dev.switchboard.api.catalog.CatalogService;
import dev.switchboard.api.catalog.LoadedCatalog;
import dev.switchboard.domain.catalog.CatalogModel;
import dev.switchboard.domain.routing.health.EndpointHealth;
import dev.switchboard.webui.ui.MainLayout;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One model: what it is, every endpoint serving it with its prices and limits, and how each has
 * answered lately on this instance.
 */
@Route(value = "models/:author/:slug", layout = MainLayout.class)
public class ModelView extends VerticalLayout implements BeforeEnterObserver, HasDynamicTitle {

  private static final String AUTHOR = "author";
  private static final String SLUG = "slug";

  private final CatalogService catalogService;
  private final EndpointHealth health;
  private final H2 name = new H2();
  private final Code id = new Code();
  private final Paragraph description = new Paragraph();
  private final Span contextLength = new Span();
  private final Grid<EndpointRow> endpoints = new Grid<>();
  private final Grid<EndpointHealthRow> healthGrid = new Grid<>();
  private String title = MainLayout.APP_NAME;

  @Inject
  public ModelView(CatalogService catalogService, EndpointHealth health) {
    this.catalogService = catalogService;
    this.health = health;
    setSizeFull();
    name.setId("model-name");
    id.setId("model-id");
    description.setId("model-description");
    contextLength.setId("model-context-length");
    RouterLink back = new RouterLink("← All models", ModelsView.class);
    name.getStyle().set("margin", "0");
    description.getStyle().set("margin", "0");
    HorizontalLayout facts = new HorizontalLayout(id, contextLength);
    facts.setDefaultVerticalComponentAlignment(Alignment.BASELINE);
    add(
        back,
        name,
        facts,
        description,
        new H3("Endpoints"),
        endpointsGrid(),
        new H3("Health, last 30 minutes"),
        healthGrid());
  }

  /** Opens the page of the model a list row shows. */
  public static void navigateTo(ModelRow row) {
    UI.getCurrent()
        .navigate(
            ModelView.class, new RouteParameters(Map.of(AUTHOR, row.author(), SLUG, row.slug())));
  }

  @Override
  public void beforeEnter(BeforeEnterEvent event) {
    String modelId =
        event.getRouteParameters().get(AUTHOR).orElse("")
            + "/"
            + event.getRouteParameters().get(SLUG).orElse("");
    Optional<LoadedCatalog> loaded =
        catalogService.isLoaded() ? Optional.of(catalogService.current()) : Optional.empty();
    Optional<CatalogModel> model = loaded.flatMap(l -> l.catalog().model(modelId));
    if (model.isEmpty()) {
      event.rerouteToError(NotFoundException.class, "No model " + modelId);
      return;
    }
    show(model.get(), loaded.get());
  }

  @Override
  public String getPageTitle() {
    return title;
  }

  private void show(CatalogModel model, LoadedCatalog loaded) {
    title = model.name() + " · " + MainLayout.APP_NAME;
    name.setText(model.name());
    id.setText(model.id());
    description.setText(model.description() == null ? "" : model.description());
    description.setVisible(model.description() != null && !model.description().isBlank());
    contextLength.setText(
        "Context length: " + TokenFormat.tokens(model.contextLength()) + " tokens");
    List<EndpointRow> rows =
        model.endpoints().stream().map(e -> EndpointRow.of(e, loaded)).toList();
    endpoints.setItems(rows);
    rows.forEach(row -> endpoints.setDetailsVisible(row, true));
    healthGrid.setItems(
        model.endpoints().stream().map(e -> EndpointHealthRow.of(e, loaded, health)).toList());
  }

  private Grid<EndpointHealthRow> healthGrid() {
    healthGrid.setId("endpoint-health-grid");
    healthGrid.addThemeVariants(GridVariant.LUMO_COMPACT);
    healthGrid.setAllRowsVisible(true);
    healthGrid.addColumn(EndpointHealthRow::provider).setHeader("Provider").setKey("provider");
    healthGrid.addColumn(EndpointHealthRow::uptime).setHeader("Uptime").setKey("uptime");
    healthGrid
        .addColumn(EndpointHealthRow::latency)
        .setHeader("Latency p50 (first token)")
        .setKey("latency");
    healthGrid
        .addColumn(EndpointHealthRow::throughput)
        .setHeader("Throughput p50")
        .setKey("throughput");
    healthGrid.addColumn(EndpointHealthRow::circuit).setHeader("Circuit").setKey("circuit");
    return healthGrid;
  }

  private Grid<EndpointRow> endpointsGrid() {
    endpoints.setId("endpoints-grid");
    endpoints.addThemeVariants(GridVariant.LUMO_ROW_STRIPES, GridVariant.LUMO_WRAP_CELL_CONTENT);
    endpoints.setAllRowsVisible(true);
    column(EndpointRow::provider, "Provider", "provider");
    // rem, not em: header cells use a smaller font, and em widths would misalign them with the body
    wrapping(column(EndpointRow::availability, "Availability", "availability"), "9rem");
    wrapping(column(EndpointRow::upstreamModel, "Upstream model", "upstream"), "12rem");
    column(EndpointRow::promptPrice, "Prompt", "prompt");
    column(EndpointRow::completionPrice, "Completion", "completion");
    column(EndpointRow::cacheReadPrice, "Cache read", "cacheRead");
    column(EndpointRow::requestPrice, "Per request", "request");
    column(EndpointRow::maxCompletionTokens, "Max output", "maxCompletionTokens");
    column(EndpointRow::quantization, "Quantization", "quantization");
    // the parameter list is long: a line under each endpoint rather than a narrow column
    endpoints.setItemDetailsRenderer(
        new ComponentRenderer<>(
            row -> {
              Span parameters = new Span("Supported parameters: " + row.supportedParameters());
              parameters.addClassName("endpoint-parameters");
              parameters.getStyle().set("font-size", "var(--lumo-font-size-s)");
              return parameters;
            }));
    endpoints.setDetailsVisibleOnClick(false);
    return endpoints;
  }

  /** A column whose long values wrap, sharing the width the fixed columns leave. */
  private static void wrapping(Grid.Column<EndpointRow> column, String width) {
    column.setAutoWidth(false).setWidth(width).setFlexGrow(1);
  }

  private Grid.Column<EndpointRow> column(
      ValueProvider<EndpointRow, String> value, String header, String key) {
    return endpoints
        .addColumn(value)
        .setHeader(header)
        .setKey(key)
        .setAutoWidth(true)
        .setFlexGrow(0);
  }
}

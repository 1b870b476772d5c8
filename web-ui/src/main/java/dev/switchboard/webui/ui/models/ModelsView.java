package dev.switchboard.webui.ui.models;

import com.vaadin.flow.component.combobox.MultiSelectComboBox;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.BigDecimalField;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.provider.ListDataProvider;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteAlias;
import dev.switchboard.api.catalog.CatalogService;
import dev.switchboard.webui.ui.MainLayout;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The public list of models, narrowed in memory by the filters above it. */
@Route(value = "models", layout = MainLayout.class)
@RouteAlias(value = "", layout = MainLayout.class)
@PageTitle("Models · Switchboard")
public class ModelsView extends VerticalLayout {

  private final ListDataProvider<ModelRow> rows;
  private final Grid<ModelRow> grid = new Grid<>();
  private final TextField search = new TextField();
  private final MultiSelectComboBox<ProviderChoice> providers =
      new MultiSelectComboBox<>("Providers");
  private final BigDecimalField maxPromptPrice = new BigDecimalField("Max prompt price");
  private final IntegerField minContext = new IntegerField("Min context");
  private ModelFilter filter = ModelFilter.NONE;

  @Inject
  public ModelsView(CatalogService catalogService) {
    List<ModelRow> models =
        catalogService.isLoaded() ? ModelRow.of(catalogService.current()) : List.of();
    rows = new ListDataProvider<>(new ArrayList<>(models));
    setSizeFull();
    add(new H2("Models"), filters(models), grid());
    setFlexGrow(1, grid);
  }

  private FlexLayout filters(List<ModelRow> models) {
    search.setId("model-search");
    search.setLabel("Search");
    search.setPlaceholder("Name or id");
    search.setPrefixComponent(VaadinIcon.SEARCH.create());
    search.setClearButtonVisible(true);
    search.setValueChangeMode(ValueChangeMode.LAZY);
    search.addValueChangeListener(e -> refilter(filter.withText(e.getValue())));

    providers.setId("model-provider-filter");
    providers.setItems(providerChoices(models));
    providers.setItemLabelGenerator(ProviderChoice::name);
    providers.addValueChangeListener(
        e ->
            refilter(
                filter.withProviders(
                    e.getValue().stream().map(ProviderChoice::slug).collect(Collectors.toSet()))));

    maxPromptPrice.setId("model-max-prompt-price");
    maxPromptPrice.setClearButtonVisible(true);
    maxPromptPrice.setPrefixComponent(new Span("$"));
    maxPromptPrice.setSuffixComponent(new Span("/ M"));
    maxPromptPrice.setTooltipText("USD per million prompt tokens");
    maxPromptPrice.addValueChangeListener(
        e -> refilter(filter.withMaxPromptPerMillion(nanosOrNull(e.getValue()))));

    minContext.setId("model-min-context");
    minContext.setMin(0);
    minContext.setStep(1000);
    minContext.setClearButtonVisible(true);
    minContext.setSuffixComponent(new Span("tokens"));
    minContext.addValueChangeListener(e -> refilter(filter.withMinContextLength(e.getValue())));

    FlexLayout bar = new FlexLayout(search, providers, maxPromptPrice, minContext);
    bar.setFlexWrap(FlexLayout.FlexWrap.WRAP);
    bar.setAlignItems(FlexComponent.Alignment.BASELINE);
    bar.getStyle().set("gap", "var(--lumo-space-m)");
    return bar;
  }

  private Grid<ModelRow> grid() {
    grid.setId("models-grid");
    grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES);
    grid.setItems(rows);
    // Names and numbers keep their full width; the long free-text columns share the rest and show
    // their whole text as a tooltip when cut.
    grid.addColumn(ModelRow::name)
        .setHeader("Model")
        .setKey("name")
        .setComparator(ModelRow::name)
        .setAutoWidth(true)
        .setFlexGrow(0);
    grid.addColumn(ModelRow::id)
        .setHeader("Id")
        .setKey("id")
        .setComparator(ModelRow::id)
        .setWidth("10rem")
        .setTooltipGenerator(ModelRow::id);
    grid.addColumn(row -> TokenFormat.tokens(row.contextLength()))
        .setHeader("Context")
        .setKey("context")
        .setComparator(ModelRow::contextLength)
        .setAutoWidth(true)
        .setFlexGrow(0);
    grid.addColumn(ModelRow::providerNames)
        .setHeader("Providers")
        .setKey("providers")
        .setWidth("10rem")
        .setTooltipGenerator(ModelRow::providerNames);
    grid.addColumn(row -> PriceFormat.perMillion(row.promptPerMillion()))
        .setHeader("Prompt")
        .setKey("prompt")
        .setComparator(Comparator.comparingLong(ModelRow::promptPerMillion))
        .setAutoWidth(true)
        .setFlexGrow(0);
    grid.addColumn(row -> PriceFormat.perMillion(row.completionPerMillion()))
        .setHeader("Completion")
        .setKey("completion")
        .setComparator(Comparator.comparingLong(ModelRow::completionPerMillion))
        .setAutoWidth(true)
        .setFlexGrow(0);
    grid.addColumn(ModelRow::cheapestProvider)
        .setHeader("Cheapest endpoint")
        .setKey("cheapest")
        .setWidth("10rem")
        .setTooltipGenerator(ModelRow::cheapestProvider);
    grid.addItemClickListener(e -> ModelView.navigateTo(e.getItem()));
    return grid;
  }

  private void refilter(ModelFilter newFilter) {
    filter = newFilter;
    rows.setFilter(filter::matches);
  }

  private static List<ProviderChoice> providerChoices(List<ModelRow> models) {
    Map<String, ProviderChoice> bySlug = new LinkedHashMap<>();
    models.forEach(row -> row.providers().forEach(p -> bySlug.putIfAbsent(p.slug(), p)));
    return List.copyOf(bySlug.values());
  }

  private static Long nanosOrNull(BigDecimal usdPerMillion) {
    return usdPerMillion == null ? null : PriceFormat.nanosPerMillion(usdPerMillion);
  }
}

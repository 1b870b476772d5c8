package dev.switchboard.webui.ui.operator;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.NotFoundException;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.switchboard.api.http.KeyAuthenticator;
import dev.switchboard.api.platform.PaymentServices;
import dev.switchboard.api.platform.SwitchboardSettings;
import dev.switchboard.domain.ledger.Ledger;
import dev.switchboard.domain.payments.TrackedTransfer;
import dev.switchboard.domain.payments.UsdcQuote;
import dev.switchboard.domain.tenancy.OrganizationDirectory;
import dev.switchboard.domain.tenancy.OrganizationSummary;
import dev.switchboard.webui.ui.MainLayout;
import dev.switchboard.webui.ui.Notice;
import dev.switchboard.webui.ui.account.SignedInMember;
import dev.switchboard.webui.ui.account.SignedInOnly;
import jakarta.inject.Inject;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The platform operator's page ({@code SWITCHBOARD_ADMIN_EMAIL}): every organization with its
 * members and balance; grant credits with a reason; disable or enable an organization; and the USDC
 * transfers a chain reorganisation took back after they were credited. Anyone else is told the page
 * does not exist.
 */
@Route(value = "operator", layout = MainLayout.class)
@PageTitle("Operator · Switchboard")
@SignedInOnly
public class OperatorView extends VerticalLayout implements BeforeEnterObserver {

  private static final int PAGE = 50;
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

  private final OrganizationDirectory directory;
  private final Ledger ledger;
  private final KeyAuthenticator authenticator;
  private final boolean operator;
  private final Grid<OrganizationSummary> grid = new Grid<>();
  private final TextField search = new TextField();
  private final Notice message = new Notice("operator-message");

  @Inject
  public OperatorView(
      OrganizationDirectory directory,
      Ledger ledger,
      KeyAuthenticator authenticator,
      SwitchboardSettings settings,
      PaymentServices payments) {
    this.directory = directory;
    this.ledger = ledger;
    this.authenticator = authenticator;
    this.operator =
        SignedInMember.current()
            .map(m -> settings.isOperator(m.user().email(), m.user().emailVerified()))
            .orElse(false);
    if (!operator) {
      return; // nothing of any organization is built for anyone else
    }
    search.setId("operator-search");
    search.setPlaceholder("Search organizations by name");
    search.setClearButtonVisible(true);
    search.setMaxLength(100);
    search.setValueChangeMode(ValueChangeMode.LAZY);
    search.addValueChangeListener(change -> grid.getDataProvider().refreshAll());
    search.setWidth("min(100%, 24em)");
    grid.setId("operator-grid");
    grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES);
    grid.setPageSize(PAGE);
    grid.addColumn(OrganizationSummary::name).setHeader("Organization").setFlexGrow(1);
    grid.addColumn(o -> o.personal() ? "personal" : "team").setHeader("Kind").setAutoWidth(true);
    grid.addColumn(OrganizationSummary::members).setHeader("Members").setAutoWidth(true);
    grid.addColumn(o -> o.balance().toString()).setHeader("Balance").setAutoWidth(true);
    grid.addColumn(o -> DAY.format(o.createdAt())).setHeader("Created").setAutoWidth(true);
    grid.addColumn(o -> o.disabled() ? "disabled" : "active")
        .setHeader("Status")
        .setAutoWidth(true);
    grid.addComponentColumn(this::actions).setHeader("").setAutoWidth(true);
    grid.setEmptyStateText(
        "No organization's name contains this. Clear the search to see every organization.");
    grid.setItems(
        query -> directory.list(search.getValue(), query.getOffset(), query.getLimit()).stream());
    add(
        new H2("Operator"),
        new Paragraph(
            "Every organization of this platform. Credits granted here are recorded in the"
                + " organization's statement with your reason; a disabled organization's keys"
                + " are refused until it is enabled again."),
        search,
        message,
        grid);
    setFlexGrow(1, grid);
    setSizeFull();
    payments
        .cryptoPurchases()
        .map(purchases -> purchases.reversedTransfers())
        .filter(reversed -> !reversed.isEmpty())
        .ifPresent(this::showReversed);
  }

  /**
   * Credited USDC transfers whose block left the chain: their credits were taken back, and the
   * operator decides what is owed (the payer may have sent the money again, or not).
   */
  private void showReversed(List<TrackedTransfer> reversed) {
    Grid<TrackedTransfer> transfers = new Grid<>();
    transfers.setId("operator-usdc-reversed");
    transfers.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_ROW_STRIPES);
    transfers.addColumn(t -> t.org().toString()).setHeader("Organization").setAutoWidth(true);
    transfers
        .addColumn(t -> t.txHash() + " #" + t.logIndex())
        .setHeader("Transaction and log")
        .setFlexGrow(1);
    transfers.addColumn(t -> t.block().number()).setHeader("Block").setAutoWidth(true);
    transfers
        .addColumn(t -> UsdcQuote.usdc(t.amountMicros()) + " USDC")
        .setHeader("Amount")
        .setAutoWidth(true);
    transfers.setItems(reversed);
    transfers.setAllRowsVisible(true);
    add(
        new H2("Reversed USDC transfers"),
        new Paragraph(
            "Credited transfers that a chain reorganisation removed: their credits and fees were"
                + " taken back in the ledger. Check on the chain whether the payment was sent"
                + " again before granting anything."),
        transfers);
  }

  @Override
  public void beforeEnter(BeforeEnterEvent event) {
    if (!operator && SignedInMember.current().isPresent()) {
      event.rerouteToError(NotFoundException.class);
    }
  }

  private HorizontalLayout actions(OrganizationSummary org) {
    Button grant =
        new Button(
            "Grant credits",
            click ->
                new GrantDialog(
                        org,
                        ledger,
                        receipt -> {
                          message.success(receipt + " granted to " + org.name() + ".");
                          grid.getDataProvider().refreshAll();
                        })
                    .open());
    grant.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_TERTIARY);
    grant.setAriaLabel("Grant credits to " + org.name());
    Button toggle =
        new Button(
            org.disabled() ? "Enable" : "Disable",
            click -> {
              directory.setDisabled(org.id(), !org.disabled()).forEach(authenticator::invalidate);
              message.success(org.name() + (org.disabled() ? " is enabled." : " is disabled."));
              grid.getDataProvider().refreshAll();
            });
    toggle.addThemeVariants(
        ButtonVariant.LUMO_SMALL,
        ButtonVariant.LUMO_TERTIARY,
        org.disabled() ? ButtonVariant.LUMO_SUCCESS : ButtonVariant.LUMO_ERROR);
    toggle.setAriaLabel((org.disabled() ? "Enable " : "Disable ") + org.name());
    return new HorizontalLayout(grant, toggle);
  }
}

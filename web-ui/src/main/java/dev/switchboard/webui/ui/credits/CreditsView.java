package dev.switchboard.webui.ui.credits;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.switchboard.api.platform.PaymentServices;
import dev.switchboard.api.platform.SwitchboardSettings;
import dev.switchboard.domain.accounts.AccountRefusedException;
import dev.switchboard.domain.accounts.Actor;
import dev.switchboard.domain.accounts.Membership;
import dev.switchboard.domain.accounts.Permission;
import dev.switchboard.domain.ledger.AccountBalance;
import dev.switchboard.domain.ledger.Ledger;
import dev.switchboard.domain.ledger.StatementLine;
import dev.switchboard.domain.money.Credits;
import dev.switchboard.domain.payments.CardRefund;
import dev.switchboard.domain.payments.CardRefunds;
import dev.switchboard.domain.payments.CheckoutState;
import dev.switchboard.domain.payments.Invoices;
import dev.switchboard.domain.payments.PurchaseRecord;
import dev.switchboard.domain.tenancy.OrganizationId;
import dev.switchboard.webui.ui.MainLayout;
import dev.switchboard.webui.ui.account.SignedInMember;
import dev.switchboard.webui.ui.account.SignedInOnly;
import jakarta.inject.Inject;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The selected organization's credits: the balance, the statement, buying them by card or with USDC
 * (owners and billing members, when Stripe or the chain is configured), the purchases with their
 * invoices, and how the platform's operator grants them.
 */
@Route(value = "credits", layout = MainLayout.class)
@PageTitle("Credits · Switchboard")
@SignedInOnly(requires = Permission.VIEW_CREDITS)
public class CreditsView extends VerticalLayout {

  private static final int STATEMENT_PAGE = 50;
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter MINUTE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

  @Inject
  public CreditsView(Ledger ledger, SwitchboardSettings settings, PaymentServices payments) {
    SignedInMember member = SignedInMember.current().orElseThrow();
    Membership org = member.organization();
    AccountBalance balance = ledger.balance(org.orgId());
    Span amount = new Span(balance.balance().toString());
    amount.setId("credits-balance");
    amount.getStyle().set("font-size", "var(--lumo-font-size-xxxl)").set("font-weight", "600");
    Paragraph totals =
        new Paragraph(
            "Credits received "
                + balance.totalCredits()
                + " · used "
                + balance.totalUsage()
                + " · held by requests in flight "
                + balance.reserved());
    Span orgId = new Span(org.orgId().toString());
    orgId.setId("credits-org-id");
    Paragraph how =
        new Paragraph(
            "The platform's operator can also grant credits to this organization, whose id is ");
    how.add(orgId, new Span(":"));
    Pre grant =
        new Pre(
            "curl -X POST "
                + settings.publicUrl()
                + "/api/v1/operator/organizations/"
                + org.orgId()
                + "/credits \\\n  -H \"Authorization: Bearer $SWITCHBOARD_OPERATOR_TOKEN\""
                + " -H 'Idempotency-Key: <unique>' \\\n  -H 'Content-Type: application/json'"
                + " -d '{\"amount\":\"10.00\",\"reason\":\"top-up\"}'");
    grant.getStyle().set("white-space", "pre-wrap").set("word-break", "break-all");
    add(
        new H2("Credits"),
        amount,
        totals,
        new H3("Buy credits"),
        buy(payments, member, settings),
        new H3("Auto top-up"),
        autoTopUp(payments, member),
        new H3("Pay with USDC"),
        payWithUsdc(payments, member),
        new H3("Purchases"),
        purchases(payments, member),
        new H3("Statement"),
        statement(ledger, org),
        new H3("Granted credits"),
        how,
        grant);
  }

  private static Component buy(
      PaymentServices payments, SignedInMember member, SwitchboardSettings settings) {
    if (!payments.cardPurchasesEnabled()) {
      Paragraph off = new Paragraph("Card purchases are not configured on this platform.");
      off.setId("buy-not-configured");
      return off;
    }
    if (!member.organization().role().can(Permission.BUY_CREDITS)) {
      Paragraph refused =
          new Paragraph("Owners and billing members of this organization can buy credits.");
      refused.setId("buy-not-allowed");
      return refused;
    }
    return new BuyCreditsForm(
        payments.purchases(), member.actor(), member.organization().orgId(), settings.publicUrl());
  }

  private static Component autoTopUp(PaymentServices payments, SignedInMember member) {
    if (!payments.cardPurchasesEnabled()
        || !member.organization().role().can(Permission.BUY_CREDITS)) {
      Paragraph off =
          new Paragraph("Owners and billing members can top up automatically by card, if enabled.");
      off.setId("auto-top-up-not-available");
      return off;
    }
    return new AutoTopUpForm(payments.autoTopUps(), member.actor(), member.organization().orgId());
  }

  private static Component payWithUsdc(PaymentServices payments, SignedInMember member) {
    if (payments.cryptoPurchases().isEmpty()) {
      Paragraph off = new Paragraph("USDC purchases are not configured on this platform.");
      off.setId("usdc-not-configured");
      return off;
    }
    if (!member.organization().role().can(Permission.BUY_CREDITS)) {
      Paragraph refused =
          new Paragraph("Owners and billing members of this organization can buy credits.");
      refused.setId("usdc-not-allowed");
      return refused;
    }
    return new PayWithUsdcForm(
        payments.cryptoPurchases().get(), member.actor(), member.organization().orgId());
  }

  /**
   * The organization's card purchases, newest first: what each credits, its fee and total, where it
   * is, and the invoice of a credited one with a link to its PDF.
   */
  private static Component purchases(PaymentServices payments, SignedInMember member) {
    Invoices invoices = payments.invoices();
    Actor actor = member.actor();
    OrganizationId org = member.organization().orgId();
    if (invoices.history(actor, org, 0, 1).isEmpty()) {
      Paragraph empty =
          new Paragraph("No purchases yet: each one, with its invoice, will be listed here.");
      empty.setId("purchases-empty");
      return empty;
    }
    Grid<PurchaseRecord> lines = new Grid<>();
    lines.setId("purchases-grid");
    lines.addThemeVariants(GridVariant.LUMO_ROW_STRIPES, GridVariant.LUMO_COMPACT);
    lines.setPageSize(STATEMENT_PAGE);
    lines
        .addColumn(line -> MINUTE.format(line.createdAt()))
        .setHeader("Date (UTC)")
        .setAutoWidth(true);
    lines.addColumn(line -> line.quote().credits().toString()).setHeader("Credits");
    lines.addColumn(line -> line.quote().fee().toString()).setHeader("Fee");
    lines.addColumn(line -> line.quote().total().toString()).setHeader("Total");
    lines.addColumn(CreditsView::stateOf).setHeader("State").setAutoWidth(true);
    lines
        .addColumn(line -> line.invoiceNumber().orElse(""))
        .setHeader("Invoice")
        .setAutoWidth(true);
    lines
        .addComponentColumn(
            line ->
                line.invoice()
                    .<Component>map(
                        id -> {
                          Anchor pdf = new Anchor(InvoiceDownloads.path(id), "PDF");
                          pdf.getElement().setAttribute("download", true);
                          pdf.getElement().setAttribute("router-ignore", true);
                          return pdf;
                        })
                    .orElseGet(Span::new))
        .setHeader("")
        .setAutoWidth(true);
    if (member.organization().role().can(Permission.BUY_CREDITS)) {
      CardRefunds refunds = payments.refunds();
      lines
          .addComponentColumn(line -> refundButton(refunds, actor, org, line, lines))
          .setHeader("")
          .setAutoWidth(true);
    }
    lines.setItems(
        query -> invoices.history(actor, org, query.getOffset(), query.getLimit()).stream());
    lines.setHeight("16em");
    return lines;
  }

  private static String stateOf(PurchaseRecord line) {
    return switch (line.state()) {
      case CREDITED -> "Credited";
      case EXPIRED -> "Expired";
      default -> "Awaiting payment";
    };
  }

  /**
   * A refund button on a credited purchase still inside the refund window; what was refunded of it,
   * once it was.
   */
  private static Component refundButton(
      CardRefunds refunds,
      Actor actor,
      OrganizationId org,
      PurchaseRecord line,
      Grid<PurchaseRecord> grid) {
    if (line.state() != CheckoutState.CREDITED) {
      return new Span();
    }
    List<CardRefund> made = refunds.refundsOf(actor, org, line.checkout());
    Credits refunded =
        made.stream()
            .filter(r -> r.state() != CardRefund.State.FAILED)
            .map(CardRefund::amount)
            .reduce(Credits.ZERO, Credits::plus);
    if (refunded.isPositive()) {
      Span done = new Span("Refunded " + refunded);
      done.setId("refunded-" + line.checkout());
      return done;
    }
    Button refund = new Button("Refund");
    refund.setId("refund-" + line.checkout());
    refund.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_TERTIARY);
    refund.addClickListener(
        click -> {
          ConfirmDialog confirm = new ConfirmDialog();
          confirm.setHeader("Refund this purchase?");
          confirm.setText(
              "The unused part of its "
                  + line.quote().credits()
                  + " of credits goes back to the card (not the "
                  + line.quote().fee()
                  + " fee). Refunds are possible within "
                  + refunds.window().toHours()
                  + " hours of a purchase.");
          confirm.setCancelable(true);
          Button yes = new Button("Refund");
          yes.setId("refund-confirm");
          yes.addThemeVariants(ButtonVariant.LUMO_PRIMARY, ButtonVariant.LUMO_ERROR);
          confirm.setConfirmButton(yes);
          yes.addClickListener(
              sure -> {
                confirm.close();
                try {
                  CardRefund done = refunds.refund(actor, org, line.checkout());
                  Notification.show(
                      done.state() == CardRefund.State.FAILED
                          ? "Stripe refused the refund: " + done.failure().orElse("")
                          : done.amount() + " is being refunded to the card.");
                } catch (AccountRefusedException e) {
                  Notification.show(e.getMessage());
                }
                grid.getDataProvider().refreshAll();
              });
          confirm.open();
        });
    return refund;
  }

  /**
   * Credits in and usage per day, newest first, read page by page as the grid scrolls; the empty
   * state says what comes next.
   */
  private static Component statement(Ledger ledger, Membership org) {
    if (ledger.statement(org.orgId(), 0, 1).isEmpty()) {
      Paragraph empty =
          new Paragraph(
              "Nothing yet: credits that arrive and each day's usage will be listed here.");
      empty.setId("statement-empty");
      return empty;
    }
    Grid<StatementLine> lines = new Grid<>();
    lines.setId("statement-grid");
    lines.addThemeVariants(GridVariant.LUMO_ROW_STRIPES, GridVariant.LUMO_COMPACT);
    lines.setPageSize(STATEMENT_PAGE);
    lines
        .addColumn(
            line ->
                line.kind() == StatementLine.Kind.USAGE_DAY
                    ? DAY.format(line.at())
                    : MINUTE.format(line.at()))
        .setHeader("Date (UTC)")
        .setAutoWidth(true);
    lines.addColumn(CreditsView::describe).setHeader("").setFlexGrow(1);
    lines.addColumn(line -> line.amount().toString()).setHeader("Amount").setAutoWidth(true);
    lines.setItems(
        query -> ledger.statement(org.orgId(), query.getOffset(), query.getLimit()).stream());
    lines.setHeight("24em");
    return lines;
  }

  private static String describe(StatementLine line) {
    if (line.kind() == StatementLine.Kind.USAGE_DAY) {
      return "Usage: " + line.requests() + (line.requests() == 1 ? " request" : " requests");
    }
    String what = line.amount().isNegative() ? "Credits taken back" : "Credits added";
    return line.description() == null || line.description().isBlank()
        ? what
        : what + ": " + line.description();
  }
}

package dev.switchboard.webui.ui.credits;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.NotFoundException;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouterLink;
import com.vaadin.flow.shared.Registration;
import dev.switchboard.api.platform.PaymentServices;
import dev.switchboard.domain.accounts.Permission;
import dev.switchboard.domain.payments.UsdcChain;
import dev.switchboard.domain.payments.UsdcPurchase;
import dev.switchboard.domain.payments.UsdcPurchaseId;
import dev.switchboard.domain.payments.UsdcPurchaseState;
import dev.switchboard.domain.payments.UsdcQuote;
import dev.switchboard.webui.ui.MainLayout;
import dev.switchboard.webui.ui.account.SignedInMember;
import dev.switchboard.webui.ui.account.SignedInOnly;
import jakarta.inject.Inject;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;

/**
 * One USDC purchase: the deposit address (text and QR code), the exact amount, the expiry, and
 * where the payment is, checked again every two seconds until it is credited in full.
 */
@Route(value = "credits/usdc/:id", layout = MainLayout.class)
@PageTitle("Pay with USDC · Switchboard")
@SignedInOnly(requires = Permission.VIEW_CREDITS)
public class UsdcPurchaseView extends VerticalLayout implements BeforeEnterObserver {

  private static final int POLL_MILLIS = 2000;
  private static final DateTimeFormatter MINUTE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

  private final PaymentServices payments;
  private final Span address = new Span();
  private final Span amountDue = new Span();
  private final Span expiry = new Span();
  private final Paragraph status = new Paragraph();
  private final VerticalLayout code = new VerticalLayout();
  private UsdcPurchaseId purchaseId;
  private boolean finished;
  private Registration polling;

  @Inject
  public UsdcPurchaseView(PaymentServices payments) {
    this.payments = payments;
    address.setId("usdc-address");
    address.getStyle().set("font-family", "monospace").set("word-break", "break-all");
    amountDue.setId("usdc-amount");
    amountDue.getStyle().set("font-weight", "600");
    expiry.setId("usdc-expiry");
    status.setId("usdc-status");
    code.setPadding(false);
    add(
        new H2("Pay with USDC"),
        new Paragraph(new Span("Send exactly "), amountDue, new Span(" USDC to")),
        address,
        code,
        new Paragraph(new Span("Offered until "), expiry),
        status,
        new RouterLink("Back to Credits", CreditsView.class));
  }

  @Override
  public void beforeEnter(BeforeEnterEvent event) {
    Optional<UsdcPurchase> purchase =
        event.getRouteParameters().get("id").flatMap(UsdcPurchaseId::parse).flatMap(this::find);
    if (purchase.isEmpty()) {
      event.rerouteToError(NotFoundException.class, "No such USDC purchase");
      return;
    }
    purchaseId = purchase.get().id();
    String shown = UsdcChain.checksumAddress(purchase.get().depositAddress());
    address.setText(shown);
    code.removeAll();
    Span qr = new Span(QrCodeImage.of(shown, "QR code of the deposit address " + shown, "12em"));
    qr.setId("usdc-qr");
    code.add(qr);
    amountDue.setText(purchase.get().quote().amountDueUsdc());
    expiry.setText(MINUTE.format(purchase.get().expiresAt()));
    show(purchase.get());
  }

  @Override
  protected void onAttach(AttachEvent attach) {
    if (purchaseId != null && !finished) {
      attach.getUI().setPollInterval(POLL_MILLIS);
      polling = attach.getUI().addPollListener(poll -> find(purchaseId).ifPresent(this::show));
    }
  }

  @Override
  protected void onDetach(DetachEvent detach) {
    stopPolling(detach.getUI());
  }

  private Optional<UsdcPurchase> find(UsdcPurchaseId id) {
    SignedInMember member = SignedInMember.current().orElseThrow();
    return payments
        .cryptoPurchases()
        .flatMap(p -> p.find(member.actor(), member.organization().orgId(), id));
  }

  /** Says where the payment is; stops checking once the amount due has been credited. */
  void show(UsdcPurchase purchase) {
    String text =
        switch (purchase.state()) {
          case AWAITING_PAYMENT -> "Waiting for the transfer. This page updates by itself.";
          case CONFIRMING ->
              UsdcQuote.usdc(purchase.confirmingMicros())
                  + " USDC seen on the chain; it is credited once it has its confirmations.";
          case CREDITED ->
              purchase.credited()
                  + " of credits arrived"
                  + (purchase.underpaid()
                      ? " for the "
                          + UsdcQuote.usdc(purchase.creditedMicros())
                          + " USDC received (less than the amount due; what arrived is"
                          + " credited, less the fee)."
                      : ". Thank you!");
          case EXPIRED ->
              "This offer has expired. A transfer sent anyway is still credited (less the fee)"
                  + " once it is confirmed.";
        };
    if (purchase.reversedTransfers() > 0) {
      text +=
          " "
              + purchase.reversedTransfers()
              + (purchase.reversedTransfers() == 1 ? " transfer was" : " transfers were")
              + " undone by a chain reorganisation and its credits taken back.";
    }
    status.setText(text);
    status
        .getElement()
        .setAttribute("data-state", purchase.state().name().toLowerCase(Locale.ROOT));
    finished = purchase.state() == UsdcPurchaseState.CREDITED && !purchase.underpaid();
    if (finished) {
      getUI().ifPresent(this::stopPolling);
    }
  }

  private void stopPolling(UI ui) {
    if (polling != null) {
      polling.remove();
      polling = null;
      ui.setPollInterval(-1);
    }
  }
}

package dev.switchboard.webui.ui.credits;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
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
import dev.switchboard.domain.payments.Checkout;
import dev.switchboard.domain.payments.CheckoutId;
import dev.switchboard.webui.ui.MainLayout;
import dev.switchboard.webui.ui.account.SignedInMember;
import dev.switchboard.webui.ui.account.SignedInOnly;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * Where Stripe sends the buyer back. Coming back proves nothing: the page shows the credits only
 * once Stripe's webhook has credited the checkout, and until then checks again every second.
 */
@Route(value = "credits/checkout/:id", layout = MainLayout.class)
@PageTitle("Checkout · Switchboard")
@SignedInOnly(requires = Permission.VIEW_CREDITS)
public class CheckoutReturnView extends VerticalLayout implements BeforeEnterObserver {

  private static final int POLL_MILLIS = 1000;

  private final PaymentServices payments;
  private final Paragraph status = new Paragraph();
  private CheckoutId checkoutId;
  private Registration polling;

  @Inject
  public CheckoutReturnView(PaymentServices payments) {
    this.payments = payments;
    add(new H2("Buying credits"), status, new RouterLink("Back to Credits", CreditsView.class));
  }

  @Override
  public void beforeEnter(BeforeEnterEvent event) {
    Optional<Checkout> checkout =
        event.getRouteParameters().get("id").flatMap(CheckoutId::parse).flatMap(this::find);
    if (checkout.isEmpty()) {
      event.rerouteToError(NotFoundException.class, "No such checkout");
      return;
    }
    checkoutId = checkout.get().id();
    show(checkout.get());
  }

  @Override
  protected void onAttach(AttachEvent attach) {
    if (checkoutId != null && !status.getId().orElse("").equals("checkout-credited")) {
      attach.getUI().setPollInterval(POLL_MILLIS);
      polling = attach.getUI().addPollListener(poll -> find(checkoutId).ifPresent(this::show));
    }
  }

  @Override
  protected void onDetach(DetachEvent detach) {
    stopPolling(detach.getUI());
  }

  private Optional<Checkout> find(CheckoutId id) {
    SignedInMember member = SignedInMember.current().orElseThrow();
    return payments.purchases().find(member.actor(), member.organization().orgId(), id);
  }

  private void show(Checkout checkout) {
    if (checkout.isCredited()) {
      status.setId("checkout-credited");
      status.setText(checkout.quote().credits() + " of credits arrived. Thank you!");
      getUI().ifPresent(this::stopPolling);
    } else {
      status.setId("checkout-waiting");
      status.setText(
          "Waiting for Stripe to confirm the payment of "
              + checkout.quote().total()
              + " for "
              + checkout.quote().credits()
              + " of credits. This page updates by itself.");
    }
  }

  private void stopPolling(com.vaadin.flow.component.UI ui) {
    if (polling != null) {
      polling.remove();
      polling = null;
      ui.setPollInterval(-1);
    }
  }
}

package dev.switchboard.webui.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.payments.stripe.FakeStripe;
import java.net.http.HttpResponse;

/**
 * A card purchase as a buyer makes it against the built jar, whose Stripe SDK talks to the fake
 * Stripe: the checkout opened on the Credits page, paid at Stripe, and credited when Stripe's
 * signed {@code checkout.session.completed} webhook arrives.
 */
record CardCheckouts(RunningSwitchboard switchboard, FakeStripe stripe) {

  /**
   * Opens a checkout of {@code usd} credits on the Credits page of the signed-in owner or billing
   * member, once the page quotes {@code total}; the Stripe session the buyer was sent to pay.
   */
  String openInBrowser(HeadlessChromium chromium, String usd, String total) {
    return open(chromium, usd, total, false);
  }

  /** As {@link #openInBrowser}, asking Stripe to save the card (for auto top-up). */
  String openInBrowserSavingTheCard(HeadlessChromium chromium, String usd, String total) {
    return open(chromium, usd, total, true);
  }

  private String open(HeadlessChromium chromium, String usd, String total, boolean saveCard) {
    chromium.driver.get(switchboard.uri("/credits").toString());
    chromium.type("buy-amount", usd);
    chromium.waitForText("buy-quote", text -> text.contains(total));
    if (saveCard) {
      chromium.visible("buy-save-card").click();
    }
    chromium.visible("buy-submit").click();
    String pay = stripe.apiBase() + "/pay/";
    chromium.wait.until(d -> d.getCurrentUrl().startsWith(pay));
    return chromium.driver.getCurrentUrl().substring(pay.length());
  }

  /** The buyer pays the session, and Stripe's signed webhook saying so is accepted. */
  void payAndNotify(String sessionId) {
    stripe.pay(sessionId);
    HttpResponse<String> delivered =
        stripe.deliver(
            switchboard.uri("/api/v1/webhooks/stripe"),
            stripe.event("checkout.session.completed", sessionId));
    assertThat(delivered.statusCode()).as(delivered.body()).isEqualTo(200);
  }
}

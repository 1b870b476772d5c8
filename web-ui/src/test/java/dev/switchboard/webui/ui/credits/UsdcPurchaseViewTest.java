package dev.switchboard.webui.ui.credits;

import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.mvysny.kaributesting.v10.MockVaadin;
import com.github.mvysny.kaributesting.v10.Routes;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.html.Paragraph;
import dev.switchboard.domain.accounts.UserId;
import dev.switchboard.domain.money.Credits;
import dev.switchboard.domain.payments.UsdcPurchase;
import dev.switchboard.domain.payments.UsdcPurchaseId;
import dev.switchboard.domain.payments.UsdcPurchaseState;
import dev.switchboard.domain.payments.UsdcTerms;
import dev.switchboard.domain.tenancy.OrganizationId;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/** What the purchase page says at each step, and its QR code. */
class UsdcPurchaseViewTest {

  private UsdcPurchaseView view;

  @BeforeEach
  void open() {
    MockVaadin.setup(new Routes().autoDiscoverViews("dev.switchboard.webui.ui.credits"));
    view = new UsdcPurchaseView(null);
    UI.getCurrent().add(view);
  }

  @AfterEach
  void close() {
    MockVaadin.tearDown();
  }

  @Test
  void saysWhereThePaymentIs() {
    view.show(purchase(UsdcPurchaseState.AWAITING_PAYMENT, 0, 0, "0", 0));
    assertThat(status()).startsWith("Waiting for the transfer");

    view.show(purchase(UsdcPurchaseState.CONFIRMING, 21_000_000, 0, "0", 0));
    assertThat(status()).startsWith("21.000000 USDC seen on the chain");

    view.show(purchase(UsdcPurchaseState.CREDITED, 0, 10_500_000, "10.00", 0));
    assertThat(status()).contains("$10.00 of credits arrived").contains("10.500000 USDC received");

    view.show(purchase(UsdcPurchaseState.CREDITED, 0, 21_000_000, "20.00", 1));
    assertThat(status())
        .startsWith("$20.00 of credits arrived. Thank you!")
        .contains("1 transfer was undone by a chain reorganisation");

    view.show(purchase(UsdcPurchaseState.EXPIRED, 0, 0, "0", 0));
    assertThat(status()).contains("still credited");
  }

  @Test
  void theQrCodeIsAnSvgImageWithAQuietZone() throws Exception {
    String svg = QrCodeImage.svg("0x9858EfFD232B4033E47d90003D41EC34EcaEda94");
    Document parsed =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    // a 42-character address fits version 3 at medium correction: 29 modules, plus 4 on each side
    assertThat(parsed.getDocumentElement().getAttribute("viewBox")).isEqualTo("0 0 37 37");
    assertThat(parsed.getElementsByTagName("path").getLength()).isEqualTo(1);
  }

  private static String status() {
    return _get(Paragraph.class, spec -> spec.withId("usdc-status")).getText();
  }

  private static UsdcPurchase purchase(
      UsdcPurchaseState state, long confirming, long credited, String creditedUsd, int reversed) {
    return new UsdcPurchase(
        UsdcPurchaseId.newId(),
        OrganizationId.newId(),
        UserId.newId(),
        UsdcTerms.STANDARD.quote(Credits.ofUsd("20.00")),
        0,
        "0x9858effd232b4033e47d90003d41ec34ecaeda94",
        Instant.parse("2026-12-03T13:00:00Z"),
        Instant.parse("2026-12-03T12:00:00Z"),
        confirming,
        credited,
        Credits.ofUsd(creditedUsd),
        reversed,
        state);
  }
}

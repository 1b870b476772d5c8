package dev.switchboard.webui.ui.credits;

import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.switchboard.api.platform.SwitchboardSettings;
import dev.switchboard.domain.accounts.Membership;
import dev.switchboard.domain.accounts.Permission;
import dev.switchboard.domain.ledger.AccountBalance;
import dev.switchboard.domain.ledger.Ledger;
import dev.switchboard.webui.ui.MainLayout;
import dev.switchboard.webui.ui.account.SignedInMember;
import dev.switchboard.webui.ui.account.SignedInOnly;
import jakarta.inject.Inject;

/**
 * The selected organization's credits. Buying them in the browser comes with its own issue; until
 * then the page says how the platform's operator grants them.
 */
@Route(value = "credits", layout = MainLayout.class)
@PageTitle("Credits · Switchboard")
@SignedInOnly(requires = Permission.VIEW_CREDITS)
public class CreditsView extends VerticalLayout {

  @Inject
  public CreditsView(Ledger ledger, SwitchboardSettings settings) {
    Membership org = SignedInMember.current().orElseThrow().organization();
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
            "Buying credits in the browser is coming. Until then, the platform's operator grants"
                + " them to this organization, whose id is ");
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
    add(new H2("Credits"), amount, totals, new H3("Getting credits"), how, grant);
  }
}

package dev.switchboard.payments.invoices;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.domain.billing.BillingDetails;
import dev.switchboard.domain.money.Credits;
import dev.switchboard.domain.payments.CheckoutId;
import dev.switchboard.domain.payments.Invoice;
import dev.switchboard.domain.payments.InvoiceId;
import dev.switchboard.domain.payments.PurchaseQuote;
import dev.switchboard.domain.tenancy.OrganizationId;
import java.io.IOException;
import java.time.Instant;
import java.util.UUID;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

/** The invoice PDF says what the invoice holds, as PDFBox reads its text back. */
class InvoicePdfTest {

  private static final OrganizationId ORG =
      new OrganizationId(UUID.fromString("3f2a9c1b-0000-4000-8000-000000000001"));
  private static final PurchaseQuote TWENTY =
      new PurchaseQuote(Credits.ofUsd("20.00"), Credits.ofUsd("1.10"), Credits.ofUsd("21.10"));
  private final InvoicePdf pdf = new InvoicePdf("Switchboard", "https://sb.example");

  @Test
  void showsTheNumberDateBillingDetailsLineItemsTotalCurrencyAndPaymentMethod() throws IOException {
    Invoice invoice =
        invoice(
            BillingDetails.of(
                "Acme Gesellschaft für Routing mbH",
                "Hauptstraße 1",
                "10115 Berlin",
                "DE",
                "DE123456789",
                "books@acme.test"));

    String text = textOf(pdf.render(invoice));

    assertThat(text)
        .contains("Switchboard")
        .contains("https://sb.example")
        .contains("Invoice SB-3F2A9C1B-00007")
        .contains("Date: 2026-12-03")
        .contains("Currency: USD")
        .contains("Payment method: Card (Stripe)")
        .contains("Billed to")
        .contains("Acme Gesellschaft für Routing mbH")
        .contains("Hauptstraße 1")
        .contains("10115 Berlin")
        .contains("DE\n")
        .contains("Tax id: DE123456789")
        .contains("books@acme.test")
        .contains("Switchboard credits $20.00")
        .contains("Processing fee (card payment) $1.10")
        .contains("Total (USD) $21.10");
    assertThat(text).doesNotContain("Acme Team");
  }

  @Test
  void withoutBillingDetailsItIsAddressedToTheOrganizationsName() throws IOException {
    String text = textOf(pdf.render(invoice(BillingDetails.NONE)));

    assertThat(text).contains("Billed to\nAcme Team").doesNotContain("Tax id");
    assertThat(InvoicePdf.fileName(invoice(BillingDetails.NONE)))
        .isEqualTo("invoice-SB-3F2A9C1B-00007.pdf");
  }

  @Test
  void theDocumentIsTitledWithTheInvoiceNumber() throws IOException {
    try (PDDocument document = Loader.loadPDF(pdf.render(invoice(BillingDetails.NONE)))) {
      assertThat(document.getNumberOfPages()).isEqualTo(1);
      assertThat(document.getDocumentInformation().getTitle())
          .isEqualTo("Invoice SB-3F2A9C1B-00007");
    }
  }

  private static Invoice invoice(BillingDetails billedTo) {
    return new Invoice(
        InvoiceId.newId(),
        ORG,
        7,
        CheckoutId.newId(),
        Instant.parse("2026-12-03T14:30:00Z"),
        TWENTY,
        "usd",
        Invoice.CARD,
        "Acme Team",
        billedTo);
  }

  private static String textOf(byte[] pdf) throws IOException {
    try (PDDocument document = Loader.loadPDF(pdf)) {
      return new PDFTextStripper().getText(document).replace("\r\n", "\n");
    }
  }
}

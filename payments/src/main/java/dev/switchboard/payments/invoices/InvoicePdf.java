package dev.switchboard.payments.invoices;

import com.lowagie.text.Chunk;
import com.lowagie.text.Document;
import com.lowagie.text.DocumentException;
import com.lowagie.text.Element;
import com.lowagie.text.Font;
import com.lowagie.text.PageSize;
import com.lowagie.text.Paragraph;
import com.lowagie.text.Phrase;
import com.lowagie.text.Rectangle;
import com.lowagie.text.pdf.PdfPCell;
import com.lowagie.text.pdf.PdfPTable;
import com.lowagie.text.pdf.PdfWriter;
import dev.switchboard.domain.billing.BillingDetails;
import dev.switchboard.domain.money.Credits;
import dev.switchboard.domain.payments.Invoice;
import java.io.ByteArrayOutputStream;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The PDF of an issued invoice: the issuing platform, the number and date, whom it is addressed to
 * (the billing details it was issued with), the credits and the processing fee as line items, the
 * total, the currency and how it was paid. Written with OpenPDF's built-in Helvetica, which covers
 * Western European text (WinAnsi); other characters are not drawn.
 */
public final class InvoicePdf {

  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final Font TITLE = new Font(Font.HELVETICA, 20, Font.BOLD);
  private static final Font HEADING = new Font(Font.HELVETICA, 10, Font.BOLD);
  private static final Font TEXT = new Font(Font.HELVETICA, 10, Font.NORMAL);
  private static final Font SMALL = new Font(Font.HELVETICA, 8, Font.NORMAL);

  private final String platformName;
  private final String platformUrl;

  /**
   * @param platformName who issues the invoices, e.g. {@code Switchboard}
   * @param platformUrl the platform's public address, printed under its name
   */
  public InvoicePdf(String platformName, String platformUrl) {
    this.platformName = platformName;
    this.platformUrl = platformUrl;
  }

  /** The invoice's file name for a download: {@code invoice-SB-3F2A9C1B-00001.pdf}. */
  public static String fileName(Invoice invoice) {
    return "invoice-" + invoice.number() + ".pdf";
  }

  public byte[] render(Invoice invoice) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Document document = new Document(PageSize.A4, 56, 56, 56, 56);
    try {
      PdfWriter.getInstance(document, out);
      document.addTitle("Invoice " + invoice.number());
      document.addCreator(platformName);
      document.open();
      document.add(header(invoice));
      document.add(addresses(invoice));
      document.add(lineItems(invoice));
      Paragraph paid =
          new Paragraph(
              "Paid in full on "
                  + DATE.format(invoice.issuedAt())
                  + " by "
                  + invoice.paymentMethod()
                  + ". Credits are prepaid usage of "
                  + platformName
                  + ".",
              SMALL);
      paid.setSpacingBefore(24);
      document.add(paid);
    } catch (DocumentException e) {
      throw new IllegalStateException("could not write invoice " + invoice.number(), e);
    } finally {
      document.close();
    }
    return out.toByteArray();
  }

  private PdfPTable header(Invoice invoice) {
    PdfPTable header = table(2, new float[] {1, 1});
    PdfPCell issuer = cell("", Element.ALIGN_LEFT);
    issuer.addElement(new Paragraph(platformName, TITLE));
    issuer.addElement(new Paragraph(platformUrl, SMALL));
    header.addCell(issuer);
    PdfPCell facts = cell("", Element.ALIGN_RIGHT);
    Paragraph title = new Paragraph("Invoice " + invoice.number(), HEADING);
    title.setAlignment(Element.ALIGN_RIGHT);
    facts.addElement(title);
    for (String line :
        List.of(
            "Date: " + DATE.format(invoice.issuedAt()),
            "Currency: " + invoice.currency().toUpperCase(Locale.ROOT),
            "Payment method: " + invoice.paymentMethod())) {
      Paragraph fact = new Paragraph(line, TEXT);
      fact.setAlignment(Element.ALIGN_RIGHT);
      facts.addElement(fact);
    }
    header.addCell(facts);
    header.setSpacingAfter(28);
    return header;
  }

  private static Paragraph addresses(Invoice invoice) {
    Paragraph billedTo = new Paragraph();
    billedTo.add(new Chunk("Billed to\n", HEADING));
    BillingDetails details = invoice.billedTo();
    List<String> lines = new ArrayList<>();
    lines.add(invoice.billedName());
    details.addressLine1().ifPresent(lines::add);
    details.addressLine2().ifPresent(lines::add);
    details.country().ifPresent(lines::add);
    details.taxId().ifPresent(tax -> lines.add("Tax id: " + tax));
    details.billingEmail().ifPresent(lines::add);
    billedTo.add(new Phrase(String.join("\n", lines), TEXT));
    billedTo.setSpacingAfter(24);
    return billedTo;
  }

  private PdfPTable lineItems(Invoice invoice) {
    PdfPTable items = table(2, new float[] {3, 1});
    String currency = invoice.currency().toUpperCase(Locale.ROOT);
    items.addCell(headingCell("Description", Element.ALIGN_LEFT));
    items.addCell(headingCell("Amount (" + currency + ")", Element.ALIGN_RIGHT));
    item(items, platformName + " credits", invoice.quote().credits(), TEXT);
    item(items, "Processing fee (card payment)", invoice.quote().fee(), TEXT);
    item(items, "Total (" + currency + ")", invoice.quote().total(), HEADING);
    return items;
  }

  private static void item(PdfPTable items, String description, Credits amount, Font font) {
    PdfPCell what = new PdfPCell(new Phrase(description, font));
    what.setBorder(Rectangle.BOTTOM);
    what.setPadding(6);
    items.addCell(what);
    PdfPCell how = new PdfPCell(new Phrase(amount.toString(), font));
    how.setBorder(Rectangle.BOTTOM);
    how.setPadding(6);
    how.setHorizontalAlignment(Element.ALIGN_RIGHT);
    items.addCell(how);
  }

  private static PdfPTable table(int columns, float[] widths) {
    PdfPTable table = new PdfPTable(columns);
    table.setWidthPercentage(100);
    try {
      table.setWidths(widths);
    } catch (DocumentException e) {
      throw new IllegalArgumentException(e);
    }
    return table;
  }

  private static PdfPCell headingCell(String text, int alignment) {
    PdfPCell cell = new PdfPCell(new Phrase(text, HEADING));
    cell.setBorder(Rectangle.BOTTOM);
    cell.setPadding(6);
    cell.setHorizontalAlignment(alignment);
    return cell;
  }

  private static PdfPCell cell(String text, int alignment) {
    PdfPCell cell = new PdfPCell(new Phrase(text, TEXT));
    cell.setBorder(Rectangle.NO_BORDER);
    cell.setHorizontalAlignment(alignment);
    return cell;
  }
}

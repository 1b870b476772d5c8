package dev.switchboard.webui.ui.credits;

import com.vaadin.flow.server.ServiceInitEvent;
import com.vaadin.flow.server.SynchronizedRequestHandler;
import com.vaadin.flow.server.VaadinRequest;
import com.vaadin.flow.server.VaadinResponse;
import com.vaadin.flow.server.VaadinSession;
import dev.switchboard.api.platform.PaymentServices;
import dev.switchboard.domain.accounts.AccountRefusedException;
import dev.switchboard.domain.accounts.AccountService;
import dev.switchboard.domain.payments.Invoice;
import dev.switchboard.domain.payments.InvoiceId;
import dev.switchboard.payments.invoices.InvoicePdf;
import dev.switchboard.webui.ui.account.SignedInMember;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.CDI;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /credits/invoices/<id>.pdf}: an invoice of the signed-in member's selected
 * organization, as a PDF download. Another organization's invoice, an unknown id and a request
 * without a live sign-in are 404; a member whose role does not show credits gets 403. Served by a
 * request handler of the dashboard's Vaadin servlet, which holds the browser session the member
 * signed in with.
 */
@ApplicationScoped
public class InvoiceDownloads {

  /** The path of an invoice's PDF, as the Credits page links it. */
  public static String path(InvoiceId id) {
    return "credits/invoices/" + id + ".pdf";
  }

  void register(@Observes ServiceInitEvent event) {
    event.addRequestHandler(new Handler());
  }

  private static final class Handler extends SynchronizedRequestHandler {

    private static final long serialVersionUID = 1L;
    private static final Pattern PATH = Pattern.compile("/credits/invoices/([^/]+)\\.pdf");

    @Override
    protected boolean canHandleRequest(VaadinRequest request) {
      return request.getPathInfo() != null && PATH.matcher(request.getPathInfo()).matches();
    }

    @Override
    public boolean synchronizedHandleRequest(
        VaadinSession session, VaadinRequest request, VaadinResponse response) throws IOException {
      if (!"GET".equals(request.getMethod())) {
        answer(response, 405, "Invoices are downloaded with GET");
        return true;
      }
      Matcher path = PATH.matcher(request.getPathInfo());
      path.matches();
      Optional<InvoiceId> id = InvoiceId.parse(path.group(1));
      SignedInMember member = session.getAttribute(SignedInMember.class);
      if (id.isEmpty() || member == null || !stillSignedIn(member)) {
        answer(response, 404, "No such invoice");
        return true;
      }
      PaymentServices payments = CDI.current().select(PaymentServices.class).get();
      Optional<Invoice> invoice;
      try {
        invoice = payments.invoices().find(member.actor(), member.organization().orgId(), id.get());
      } catch (AccountRefusedException e) {
        answer(response, 403, e.getMessage());
        return true;
      }
      if (invoice.isEmpty()) {
        answer(response, 404, "No such invoice");
        return true;
      }
      byte[] pdf = payments.invoicePdf().render(invoice.get());
      response.setStatus(200);
      response.setContentType("application/pdf");
      response.setHeader(
          "Content-Disposition",
          "attachment; filename=\"" + InvoicePdf.fileName(invoice.get()) + "\"");
      response.setHeader("Cache-Control", "private, no-store");
      response.setHeader("X-Content-Type-Options", "nosniff");
      response.setContentLength(pdf.length);
      try (OutputStream out = response.getOutputStream()) {
        out.write(pdf);
      }
      return true;
    }

    /** A session ends on sign-out elsewhere or a password reset, whatever this browser holds. */
    private static boolean stillSignedIn(SignedInMember member) {
      return CDI.current()
          .select(AccountService.class)
          .get()
          .currentUser(member.sessionToken())
          .isPresent();
    }

    private static void answer(VaadinResponse response, int status, String message)
        throws IOException {
      byte[] body = message.getBytes(StandardCharsets.UTF_8);
      response.setStatus(status);
      response.setContentType("text/plain; charset=UTF-8");
      response.setHeader("Cache-Control", "no-store");
      response.setContentLength(body.length);
      try (OutputStream out = response.getOutputStream()) {
        out.write(body);
      }
    }
  }
}

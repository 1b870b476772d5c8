package dev.switchboard.webui.ui.operator;

import static com.github.mvysny.kaributesting.v10.LocatorJ._click;
import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static com.github.mvysny.kaributesting.v10.LocatorJ._setValue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.github.mvysny.kaributesting.v10.MockVaadin;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.textfield.BigDecimalField;
import com.vaadin.flow.component.textfield.TextField;
import dev.switchboard.domain.TransactionRunner;
import dev.switchboard.domain.ledger.Ledger;
import dev.switchboard.domain.money.Credits;
import dev.switchboard.domain.tenancy.OrganizationId;
import dev.switchboard.domain.tenancy.OrganizationSummary;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The operator's grant dialog refuses what the ledger must never be asked for, and says why: its
 * ledger here has no database, so a refusal that reached it would fail the test.
 */
class GrantDialogTest {

  private final List<Credits> granted = new ArrayList<>();

  @BeforeEach
  void openTheDialog() {
    MockVaadin.setup();
    OrganizationSummary org =
        new OrganizationSummary(
            new OrganizationId(UUID.randomUUID()),
            "Acme",
            false,
            1,
            Credits.ZERO,
            Instant.parse("2026-12-01T00:00:00Z"),
            null);
    new GrantDialog(
            org, new Ledger(new TransactionRunner(noDatabase()), Clock.systemUTC()), granted::add)
        .open();
  }

  @AfterEach
  void closeTheDialog() {
    MockVaadin.tearDown();
  }

  @ParameterizedTest(name = "{0} for ''{1}''")
  @CsvSource(
      delimiter = '|',
      nullValues = "none",
      value = {
        "none         | pilot | Give an amount in USD above 0",
        "0            | pilot | Give an amount in USD above 0",
        "-5           | pilot | Give an amount in USD above 0",
        "100000.01    | pilot | A single grant is at most $100000",
        "0.0000000001 | pilot | An amount has at most 9 decimals",
        "1.5          | '  '  | Say why: the organization sees the reason"
      })
  void refusesABadGrantWithAMessageAndAsksTheLedgerNothing(
      String amount, String reason, String message) {
    _setValue(
        _get(BigDecimalField.class, spec -> spec.withId("grant-amount")),
        amount == null ? null : new BigDecimal(amount));
    _setValue(_get(TextField.class, spec -> spec.withId("grant-reason")), reason);

    _click(_get(Button.class, spec -> spec.withId("grant-submit")));

    Paragraph error = _get(Paragraph.class, spec -> spec.withId("grant-error"));
    assertThat(error.isVisible()).isTrue();
    assertThat(error.getText()).isEqualTo(message);
    assertThat(granted).isEmpty();
    assertThat(_get(Button.class, spec -> spec.withId("grant-submit")).isEnabled())
        .as("the operator can correct it and submit again")
        .isTrue();
  }

  @Test
  void nineDecimalsAreWholeNanoDollarsAndPassTheChecksUpToTheLedger() {
    _setValue(
        _get(BigDecimalField.class, spec -> spec.withId("grant-amount")),
        new BigDecimal("0.000000001"));
    _setValue(_get(TextField.class, spec -> spec.withId("grant-reason")), "pilot");

    assertThat(
            catchThrowable(() -> _click(_get(Button.class, spec -> spec.withId("grant-submit")))))
        .as("the grant went on to the ledger, which has no database here")
        .isInstanceOf(NoDatabase.class);
    assertThat(granted).isEmpty();
  }

  /** Thrown by the dialog's ledger: the test has no database. */
  private static final class NoDatabase extends RuntimeException {
    NoDatabase() {
      super("this test has no database");
    }
  }

  private static DataSource noDatabase() {
    return (DataSource)
        Proxy.newProxyInstance(
            DataSource.class.getClassLoader(),
            new Class<?>[] {DataSource.class},
            (proxy, method, args) -> {
              throw new NoDatabase();
            });
  }
}

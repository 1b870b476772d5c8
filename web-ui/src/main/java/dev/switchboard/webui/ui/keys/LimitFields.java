package dev.switchboard.webui.ui.keys;

import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.BigDecimalField;
import dev.switchboard.domain.keys.LimitReset;
import dev.switchboard.domain.money.Credits;
import java.math.BigDecimal;
import java.util.Optional;
import java.util.function.Consumer;

/** A key's spending limit as two fields, the amount in USD and its reset period, read together. */
final class LimitFields {

  /** What the fields say: no limit (null amount), or an amount that resets or not. */
  record Choice(Credits limit, LimitReset reset) {}

  private static final String NO_RESET = "never";

  final BigDecimalField amount = new BigDecimalField("Spending limit (USD)");
  final Select<String> reset = new Select<>();

  LimitFields(String idPrefix, Credits limit, LimitReset limitReset) {
    amount.setId(idPrefix + "-limit");
    amount.setHelperText("Empty: no limit beyond the organization's credits");
    if (limit != null) {
      amount.setValue(limit.toUsd());
    }
    reset.setId(idPrefix + "-reset");
    reset.setLabel("Limit resets");
    reset.setItems(
        NO_RESET,
        LimitReset.DAILY.wireName(),
        LimitReset.WEEKLY.wireName(),
        LimitReset.MONTHLY.wireName());
    reset.setValue(limitReset == null ? NO_RESET : limitReset.wireName());
  }

  /** The choice, or empty after telling {@code refuse} what is wrong with it. */
  Optional<Choice> read(Consumer<String> refuse) {
    BigDecimal usd = amount.getValue();
    if (amount.isInvalid() || (usd != null && usd.signum() < 0)) {
      refuse.accept("The limit must be an amount in USD, 0 or more");
      return Optional.empty();
    }
    try {
      return Optional.of(
          new Choice(
              usd == null ? null : Credits.ofUsd(usd),
              LimitReset.parse(reset.getValue()).orElse(null)));
    } catch (IllegalArgumentException e) {
      refuse.accept("The limit " + e.getMessage());
      return Optional.empty();
    }
  }
}

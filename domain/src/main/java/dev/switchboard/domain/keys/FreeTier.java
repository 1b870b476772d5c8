package dev.switchboard.domain.keys;

import dev.switchboard.domain.keys.RequestRates.Limit;
import dev.switchboard.domain.money.Credits;
import java.util.List;

/**
 * The quotas on an organization's requests to {@code :free} models: {@code perMinute} in each UTC
 * minute, and in each UTC day {@code perDay} while it is on the free tier (it never bought {@code
 * paidThreshold} of credits in all) and {@code perDayPaid} once it has.
 */
public record FreeTier(int perMinute, int perDay, int perDayPaid, Credits paidThreshold) {

  /** OpenRouter's numbers: 20 a minute; 50 a day, 1,000 a day after $10 of credits bought. */
  public static final FreeTier STANDARD = new FreeTier(20, 50, 1000, Credits.ofUsd("10"));

  public FreeTier {
    if (perMinute < 1 || perDay < 1 || perDayPaid < 1) {
      throw new IllegalArgumentException("free-tier quotas are 1 or more");
    }
    if (paidThreshold.isNegative()) {
      throw new IllegalArgumentException("the free tier's paid threshold cannot be negative");
    }
  }

  /**
   * Whether an organization that bought {@code purchased} credits in all is on the free tier: it
   * never bought the threshold's worth ({@code is_free_tier} of {@code GET /key}).
   */
  public boolean isFreeTier(Credits purchased) {
    return purchased == null || purchased.compareTo(paidThreshold) < 0;
  }

  /** The limits a {@code :free} request made with {@code key} counts against. */
  public List<Limit> limits(ApiKey key) {
    int day = isFreeTier(key.organizationPurchased()) ? perDay : perDayPaid;
    return List.of(Limit.ofFreeMinute(key.orgId(), perMinute), Limit.ofFreeDay(key.orgId(), day));
  }
}

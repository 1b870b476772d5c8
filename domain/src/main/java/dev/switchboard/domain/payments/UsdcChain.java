package dev.switchboard.domain.payments;

import java.util.Locale;

/** The chain (by its EIP-155 id) and the token contract USDC purchases are paid with. */
public record UsdcChain(long chainId, String tokenAddress) {

  public UsdcChain {
    if (chainId <= 0) {
      throw new IllegalArgumentException("a chain id is positive");
    }
    tokenAddress = Addresses.normalize(tokenAddress);
  }

  /** Lower-case hex addresses, as the database keeps them. */
  static final class Addresses {
    private Addresses() {}

    static String normalize(String address) {
      String lower = address.strip().toLowerCase(Locale.ROOT);
      if (!lower.matches("0x[0-9a-f]{40}")) {
        throw new IllegalArgumentException("not an address (0x and 40 hex digits): " + address);
      }
      return lower;
    }

    static String normalizeHash(String hash) {
      String lower = hash.strip().toLowerCase(Locale.ROOT);
      if (!lower.matches("0x[0-9a-f]{64}")) {
        throw new IllegalArgumentException("not a hash (0x and 64 hex digits): " + hash);
      }
      return lower;
    }
  }
}

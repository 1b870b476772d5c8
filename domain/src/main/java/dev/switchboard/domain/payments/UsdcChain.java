package dev.switchboard.domain.payments;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.bouncycastle.crypto.digests.KeccakDigest;

/** The chain (by its EIP-155 id) and the token contract USDC purchases are paid with. */
public record UsdcChain(long chainId, String tokenAddress) {

  public UsdcChain {
    if (chainId <= 0) {
      throw new IllegalArgumentException("a chain id is positive");
    }
    tokenAddress = Addresses.normalize(tokenAddress);
  }

  /**
   * An address as Switchboard keeps it: lower-case hex with {@code 0x}.
   *
   * @throws IllegalArgumentException for anything that is not {@code 0x} and 40 hex digits
   */
  public static String normalizeAddress(String address) {
    return Addresses.normalize(address);
  }

  /**
   * The address in EIP-55's mixed case, as wallets show and check it: each letter upper-case where
   * the Keccak-256 of the lower-case hex has a nibble of 8 or more.
   */
  public static String checksumAddress(String address) {
    String hex = Addresses.normalize(address).substring(2);
    byte[] ascii = hex.getBytes(StandardCharsets.US_ASCII);
    KeccakDigest keccak = new KeccakDigest(256);
    keccak.update(ascii, 0, ascii.length);
    byte[] hash = new byte[32];
    keccak.doFinal(hash, 0);
    StringBuilder mixed = new StringBuilder("0x");
    for (int i = 0; i < hex.length(); i++) {
      int nibble = (hash[i / 2] >> (i % 2 == 0 ? 4 : 0)) & 0xf;
      char digit = hex.charAt(i);
      mixed.append(nibble >= 8 ? Character.toUpperCase(digit) : digit);
    }
    return mixed.toString();
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

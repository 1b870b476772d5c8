package dev.switchboard.domain.payments;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * Bitcoin's Base58Check text encoding, in which extended keys are written: the bytes and the first
 * four bytes of their double SHA-256, in base 58 with leading zero bytes as {@code 1}s.
 */
final class Base58Check {

  private static final String ALPHABET =
      "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  private static final BigInteger BASE = BigInteger.valueOf(58);

  private Base58Check() {}

  static String encode(byte[] payload) {
    byte[] data = Arrays.copyOf(payload, payload.length + 4);
    System.arraycopy(checksum(payload), 0, data, payload.length, 4);
    StringBuilder text = new StringBuilder();
    BigInteger value = new BigInteger(1, data);
    while (value.signum() > 0) {
      BigInteger[] division = value.divideAndRemainder(BASE);
      text.append(ALPHABET.charAt(division[1].intValue()));
      value = division[0];
    }
    for (int i = 0; i < data.length && data[i] == 0; i++) {
      text.append(ALPHABET.charAt(0));
    }
    return text.reverse().toString();
  }

  /**
   * The payload of {@code text}.
   *
   * @throws IllegalArgumentException for a character outside the alphabet or a wrong checksum
   */
  static byte[] decode(String text) {
    BigInteger value = BigInteger.ZERO;
    int leadingZeros = 0;
    boolean leading = true;
    for (int i = 0; i < text.length(); i++) {
      int digit = ALPHABET.indexOf(text.charAt(i));
      if (digit < 0) {
        throw new IllegalArgumentException("not Base58: '" + text.charAt(i) + "'");
      }
      if (leading && digit == 0) {
        leadingZeros++;
      } else {
        leading = false;
      }
      value = value.multiply(BASE).add(BigInteger.valueOf(digit));
    }
    byte[] magnitude = value.signum() == 0 ? new byte[0] : value.toByteArray();
    if (magnitude.length > 0 && magnitude[0] == 0) {
      magnitude = Arrays.copyOfRange(magnitude, 1, magnitude.length);
    }
    byte[] data = new byte[leadingZeros + magnitude.length];
    System.arraycopy(magnitude, 0, data, leadingZeros, magnitude.length);
    if (data.length < 4) {
      throw new IllegalArgumentException("too short for Base58Check");
    }
    byte[] payload = Arrays.copyOf(data, data.length - 4);
    byte[] expected = checksum(payload);
    if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(data, data.length - 4, data.length))) {
      throw new IllegalArgumentException("the Base58Check checksum does not match");
    }
    return payload;
  }

  private static byte[] checksum(byte[] payload) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      byte[] once = sha256.digest(payload);
      return Arrays.copyOf(sha256.digest(once), 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}

package dev.switchboard.domain.payments;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.KeccakDigest;
import org.bouncycastle.crypto.digests.RIPEMD160Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECPoint;

/**
 * A BIP32 extended public key ({@code xpub…}) and its non-hardened children: from the public key
 * and chain code alone, child {@code i} is {@code parent + G·IL} where {@code IL} is the left half
 * of HMAC-SHA512(chain code, compressed parent key ‖ i). Whoever holds the matching extended
 * private key can spend what is sent to every child's address; this side never needs it. web3j's
 * {@code Bip32ECKeyPair} derives only from private keys, hence this small class over Bouncy
 * Castle's secp256k1, checked against BIP32's published test vectors and against web3j's private
 * derivation.
 */
public final class ExtendedPublicKey {

  /** The largest non-hardened index: 2^31 − 1. */
  public static final int MAX_INDEX = Integer.MAX_VALUE;

  private static final X9ECParameters SECP256K1 = CustomNamedCurves.getByName("secp256k1");
  private static final int MAINNET_PUBLIC = 0x0488B21E;
  private static final int SERIALIZED_LENGTH = 78;

  private final int depth;
  private final int parentFingerprint;
  private final int childNumber;
  private final byte[] chainCode;
  private final ECPoint point;

  private ExtendedPublicKey(
      int depth, int parentFingerprint, int childNumber, byte[] chainCode, ECPoint point) {
    this.depth = depth;
    this.parentFingerprint = parentFingerprint;
    this.childNumber = childNumber;
    this.chainCode = chainCode;
    this.point = point.normalize();
  }

  /**
   * Reads an {@code xpub…} string.
   *
   * @throws IllegalArgumentException when it is not a valid mainnet extended public key (a private
   *     {@code xprv…} key is refused: the server must not hold one)
   */
  public static ExtendedPublicKey parse(String text) {
    Objects.requireNonNull(text, "text");
    byte[] data = Base58Check.decode(text.strip());
    if (data.length != SERIALIZED_LENGTH) {
      throw new IllegalArgumentException("an extended key is 78 bytes, this is " + data.length);
    }
    ByteBuffer bytes = ByteBuffer.wrap(data);
    int version = bytes.getInt();
    if (version != MAINNET_PUBLIC) {
      throw new IllegalArgumentException(
          "not an extended public key (xpub…); a private key (xprv…) is never accepted");
    }
    int depth = bytes.get() & 0xff;
    int fingerprint = bytes.getInt();
    int child = bytes.getInt();
    byte[] chainCode = new byte[32];
    bytes.get(chainCode);
    byte[] key = new byte[33];
    bytes.get(key);
    if (key[0] != 2 && key[0] != 3) {
      throw new IllegalArgumentException("the key is not a compressed public key");
    }
    ECPoint point;
    try {
      point = SECP256K1.getCurve().decodePoint(key);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the key is not a point of secp256k1", e);
    }
    return new ExtendedPublicKey(depth, fingerprint, child, chainCode, point);
  }

  /**
   * The non-hardened child at {@code index}.
   *
   * @throws IllegalArgumentException for an index outside 0 … 2^31 − 1 (hardened children need the
   *     private key)
   * @throws InvalidChildException in the case BIP32 declares invalid (probability below 2^-127):
   *     the caller takes the next index
   */
  public ExtendedPublicKey child(long index) {
    if (index < 0 || index > MAX_INDEX) {
      throw new IllegalArgumentException("a non-hardened index is from 0 to 2^31 - 1: " + index);
    }
    if (depth == 255) {
      throw new IllegalArgumentException("BIP32 keys are at most 255 levels deep");
    }
    byte[] i = hmacSha512(chainCode, compressed(), (int) index);
    BigInteger left = new BigInteger(1, Arrays.copyOfRange(i, 0, 32));
    if (left.compareTo(SECP256K1.getN()) >= 0) {
      throw new InvalidChildException(index);
    }
    ECPoint child = SECP256K1.getG().multiply(left).add(point).normalize();
    if (child.isInfinity()) {
      throw new InvalidChildException(index);
    }
    return new ExtendedPublicKey(
        depth + 1, fingerprint(), (int) index, Arrays.copyOfRange(i, 32, 64), child);
  }

  /** The {@code xpub…} text of this key. */
  public String serialize() {
    ByteBuffer bytes = ByteBuffer.allocate(SERIALIZED_LENGTH);
    bytes.putInt(MAINNET_PUBLIC);
    bytes.put((byte) depth);
    bytes.putInt(parentFingerprint);
    bytes.putInt(childNumber);
    bytes.put(chainCode);
    bytes.put(compressed());
    return Base58Check.encode(bytes.array());
  }

  /**
   * The Ethereum address of this key, lower-case hex with {@code 0x}: the last 20 bytes of the
   * Keccak-256 of the uncompressed point's coordinates.
   */
  public String ethereumAddress() {
    byte[] uncompressed = point.getEncoded(false);
    KeccakDigest keccak = new KeccakDigest(256);
    keccak.update(uncompressed, 1, uncompressed.length - 1);
    byte[] hash = new byte[32];
    keccak.doFinal(hash, 0);
    return "0x" + HexFormat.of().formatHex(hash, 12, 32);
  }

  public int depth() {
    return depth;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ExtendedPublicKey key && key.serialize().equals(serialize());
  }

  @Override
  public int hashCode() {
    return serialize().hashCode();
  }

  @Override
  public String toString() {
    return serialize();
  }

  private byte[] compressed() {
    return point.getEncoded(true);
  }

  /** The first four bytes of HASH160 of the compressed key: its children's parent fingerprint. */
  private int fingerprint() {
    try {
      byte[] sha = MessageDigest.getInstance("SHA-256").digest(compressed());
      RIPEMD160Digest ripemd = new RIPEMD160Digest();
      ripemd.update(sha, 0, sha.length);
      byte[] hash = new byte[20];
      ripemd.doFinal(hash, 0);
      return ByteBuffer.wrap(hash).getInt();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  private static byte[] hmacSha512(byte[] key, byte[] publicKey, int index) {
    try {
      Mac mac = Mac.getInstance("HmacSHA512");
      mac.init(new SecretKeySpec(key, "HmacSHA512"));
      mac.update(publicKey);
      mac.update(ByteBuffer.allocate(4).putInt(index).array());
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java runtime has HmacSHA512", e);
    }
  }

  /** BIP32's invalid child: the derivation at this index yields no key; use the next index. */
  public static final class InvalidChildException extends RuntimeException {
    InvalidChildException(long index) {
      super("BIP32 derives no valid key at index " + index + "; use the next one");
    }
  }
}

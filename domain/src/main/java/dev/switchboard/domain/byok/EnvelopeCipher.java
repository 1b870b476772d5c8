package dev.switchboard.domain.byok;

import dev.switchboard.domain.tenancy.OrganizationId;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Envelope encryption of provider secrets with the JDK's AES-256-GCM: each secret is encrypted
 * under a fresh random 256-bit data key, and the data key is encrypted ("wrapped") by the current
 * master key. Both layers take the organization and the provider as associated data (the wrap also
 * its master key's id), so a ciphertext or a wrapped key copied into another organization's or
 * provider's row fails to decrypt instead of handing one tenant's key to another. Re-wrapping after
 * a rotation changes only the wrapped data key; the secret's ciphertext stays as it is.
 */
public final class EnvelopeCipher {

  private static final String AES_GCM = "AES/GCM/NoPadding";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final int DATA_KEY_BYTES = 32;

  private final SecureRandom random = new SecureRandom();
  private final MasterKeyRing keys;

  public EnvelopeCipher(MasterKeyRing keys) {
    this.keys = keys;
  }

  public MasterKeyRing keys() {
    return keys;
  }

  /** Seals {@code secret} for {@code org}'s row of {@code provider}. */
  public SealedSecret seal(OrganizationId org, String provider, ProviderSecret secret) {
    byte[] dataKey = new byte[DATA_KEY_BYTES];
    random.nextBytes(dataKey);
    try {
      byte[] nonce = nonce();
      byte[] ciphertext =
          gcm(
              Cipher.ENCRYPT_MODE,
              new SecretKeySpec(dataKey, "AES"),
              nonce,
              secretContext(org, provider),
              secret.reveal().getBytes(StandardCharsets.UTF_8));
      MasterKey master = keys.current();
      byte[] wrapNonce = nonce();
      byte[] wrapped =
          gcm(
              Cipher.ENCRYPT_MODE,
              master.secretKey(),
              wrapNonce,
              dataKeyContext(org, provider, master.id()),
              dataKey);
      return new SealedSecret(ciphertext, nonce, wrapped, wrapNonce, master.id());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-256-GCM is part of every JDK", e);
    } finally {
      Arrays.fill(dataKey, (byte) 0);
    }
  }

  /**
   * The secret {@code sealed} holds, when it was sealed for {@code org}'s row of {@code provider}.
   *
   * @throws SecretUnreadableException when its master key is not configured or it was sealed for
   *     another row, or altered
   */
  public ProviderSecret open(OrganizationId org, String provider, SealedSecret sealed) {
    byte[] dataKey = unwrap(org, provider, sealed);
    try {
      byte[] plain =
          gcm(
              Cipher.DECRYPT_MODE,
              new SecretKeySpec(dataKey, "AES"),
              sealed.nonce(),
              secretContext(org, provider),
              sealed.ciphertext());
      try {
        return ProviderSecret.of(new String(plain, StandardCharsets.UTF_8));
      } finally {
        Arrays.fill(plain, (byte) 0);
      }
    } catch (AEADBadTagException e) {
      throw new SecretUnreadableException(
          "the provider key of " + provider + " does not decrypt for this organization");
    } catch (GeneralSecurityException e) {
      throw new SecretUnreadableException(
          "the provider key of " + provider + " does not decrypt", e);
    } finally {
      Arrays.fill(dataKey, (byte) 0);
    }
  }

  /**
   * The same secret with its data key wrapped by the current master key: the ciphertext and its
   * nonce are kept as they are.
   *
   * @throws SecretUnreadableException as {@link #open} does
   */
  public SealedSecret rewrap(OrganizationId org, String provider, SealedSecret sealed) {
    byte[] dataKey = unwrap(org, provider, sealed);
    try {
      MasterKey master = keys.current();
      byte[] wrapNonce = nonce();
      byte[] wrapped =
          gcm(
              Cipher.ENCRYPT_MODE,
              master.secretKey(),
              wrapNonce,
              dataKeyContext(org, provider, master.id()),
              dataKey);
      return new SealedSecret(sealed.ciphertext(), sealed.nonce(), wrapped, wrapNonce, master.id());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-256-GCM is part of every JDK", e);
    } finally {
      Arrays.fill(dataKey, (byte) 0);
    }
  }

  private byte[] unwrap(OrganizationId org, String provider, SealedSecret sealed) {
    MasterKey master =
        keys.find(sealed.masterKeyId())
            .orElseThrow(
                () ->
                    new SecretUnreadableException(
                        "the provider key of "
                            + provider
                            + " is wrapped by master key "
                            + sealed.masterKeyId()
                            + ", which is not configured (SWITCHBOARD_MASTER_KEY or"
                            + " SWITCHBOARD_MASTER_KEY_PREVIOUS)"));
    try {
      return gcm(
          Cipher.DECRYPT_MODE,
          master.secretKey(),
          sealed.dataKeyNonce(),
          dataKeyContext(org, provider, master.id()),
          sealed.wrappedDataKey());
    } catch (AEADBadTagException e) {
      throw new SecretUnreadableException(
          "the data key of " + provider + "'s provider key does not unwrap for this organization");
    } catch (GeneralSecurityException e) {
      throw new SecretUnreadableException("the data key of " + provider + " does not unwrap", e);
    }
  }

  private byte[] nonce() {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    return nonce;
  }

  private static byte[] gcm(int mode, SecretKey key, byte[] nonce, byte[] aad, byte[] input)
      throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance(AES_GCM);
    cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
    cipher.updateAAD(aad);
    return cipher.doFinal(input);
  }

  /** What the secret's layer is bound to; NUL separates parts no slug or uuid can contain. */
  private static byte[] secretContext(OrganizationId org, String provider) {
    return ("switchboard/byok/secret/v1\0" + org.value() + "\0" + provider)
        .getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] dataKeyContext(OrganizationId org, String provider, String masterKeyId) {
    return ("switchboard/byok/data-key/v1\0" + org.value() + "\0" + provider + "\0" + masterKeyId)
        .getBytes(StandardCharsets.UTF_8);
  }
}

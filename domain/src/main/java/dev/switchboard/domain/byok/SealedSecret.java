package dev.switchboard.domain.byok;

/**
 * A provider secret as it is stored: its AES-256-GCM ciphertext (tag included) under a data key of
 * its own, and that data key wrapped by the master key named {@code masterKeyId}. Nothing in it is
 * readable without the master key.
 */
public record SealedSecret(
    byte[] ciphertext,
    byte[] nonce,
    byte[] wrappedDataKey,
    byte[] dataKeyNonce,
    String masterKeyId) {

  @Override
  public String toString() {
    return "SealedSecret[" + ciphertext.length + " bytes, master key " + masterKeyId + "]";
  }
}

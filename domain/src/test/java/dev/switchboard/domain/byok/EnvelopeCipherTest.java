package dev.switchboard.domain.byok;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.domain.tenancy.OrganizationId;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EnvelopeCipherTest {

  private static final String SECRET = "sk-canary-" + "7f3a9c1e5b2d4f6a8c0e";

  private final MasterKey oldKey = MasterKey.generate();
  private final MasterKey newKey = MasterKey.generate();
  private final EnvelopeCipher cipher =
      new EnvelopeCipher(new MasterKeyRing(oldKey, Optional.empty()));
  private final OrganizationId acme = OrganizationId.newId();
  private final OrganizationId globex = OrganizationId.newId();

  @Test
  void sealedSecretOpensForItsOwnRowAndHoldsNoPlaintext() {
    SealedSecret sealed = cipher.seal(acme, "openai", ProviderSecret.of(SECRET));

    assertThat(cipher.open(acme, "openai", sealed).reveal()).isEqualTo(SECRET);
    assertThat(new String(sealed.ciphertext(), StandardCharsets.ISO_8859_1)).doesNotContain(SECRET);
    assertThat(sealed.ciphertext()).hasSize(SECRET.length() + 16);
    assertThat(sealed.nonce()).hasSize(12);
    assertThat(sealed.wrappedDataKey()).hasSize(48);
    assertThat(sealed.masterKeyId()).isEqualTo(oldKey.id()).matches("[0-9a-f]{16}");
    assertThat(sealed.toString()).doesNotContain(SECRET);
  }

  @Test
  void everySealingUsesAFreshDataKeyAndNonce() {
    SealedSecret first = cipher.seal(acme, "openai", ProviderSecret.of(SECRET));
    SealedSecret second = cipher.seal(acme, "openai", ProviderSecret.of(SECRET));

    assertThat(second.ciphertext()).isNotEqualTo(first.ciphertext());
    assertThat(second.nonce()).isNotEqualTo(first.nonce());
    assertThat(second.wrappedDataKey()).isNotEqualTo(first.wrappedDataKey());
  }

  @Test
  void ciphertextMovedToAnotherOrganizationDoesNotDecrypt() {
    SealedSecret sealed = cipher.seal(acme, "openai", ProviderSecret.of(SECRET));

    assertThatThrownBy(() -> cipher.open(globex, "openai", sealed))
        .isInstanceOf(SecretUnreadableException.class)
        .hasMessageNotContaining(SECRET);
  }

  @Test
  void ciphertextMovedToAnotherProviderDoesNotDecrypt() {
    SealedSecret sealed = cipher.seal(acme, "openai", ProviderSecret.of(SECRET));

    assertThatThrownBy(() -> cipher.open(acme, "anthropic", sealed))
        .isInstanceOf(SecretUnreadableException.class);
  }

  @Test
  void secretCiphertextSwappedUnderAnotherRowsDataKeyDoesNotDecrypt() {
    SealedSecret mine = cipher.seal(acme, "openai", ProviderSecret.of(SECRET));
    SealedSecret theirs = cipher.seal(globex, "openai", ProviderSecret.of("sk-globex-secret"));
    // globex's ciphertext put under acme's (valid) data key: the secret layer's tag refuses it
    SealedSecret spliced =
        new SealedSecret(
            theirs.ciphertext(),
            theirs.nonce(),
            mine.wrappedDataKey(),
            mine.dataKeyNonce(),
            mine.masterKeyId());

    assertThatThrownBy(() -> cipher.open(acme, "openai", spliced))
        .isInstanceOf(SecretUnreadableException.class);
  }

  @Test
  void alteredCiphertextDoesNotDecrypt() {
    SealedSecret sealed = cipher.seal(acme, "openai", ProviderSecret.of(SECRET));
    sealed.ciphertext()[0] ^= 1;

    assertThatThrownBy(() -> cipher.open(acme, "openai", sealed))
        .isInstanceOf(SecretUnreadableException.class);
  }

  @Test
  void wrongMasterKeyIsRefused() {
    SealedSecret sealed = cipher.seal(acme, "openai", ProviderSecret.of(SECRET));
    EnvelopeCipher other = new EnvelopeCipher(new MasterKeyRing(newKey, Optional.empty()));

    assertThatThrownBy(() -> other.open(acme, "openai", sealed))
        .isInstanceOf(SecretUnreadableException.class)
        .hasMessageContaining(oldKey.id())
        .hasMessageContaining("not configured");
    // the same id with another key's bytes (a forged id) fails the wrap's tag
    SealedSecret relabelled =
        new SealedSecret(
            sealed.ciphertext(),
            sealed.nonce(),
            sealed.wrappedDataKey(),
            sealed.dataKeyNonce(),
            newKey.id());
    assertThatThrownBy(() -> other.open(acme, "openai", relabelled))
        .isInstanceOf(SecretUnreadableException.class);
  }

  @Test
  void rewrapUnderTheNewMasterKeyKeepsTheCiphertextAndOpensWithoutTheOldKey() {
    SealedSecret sealed = cipher.seal(acme, "openai", ProviderSecret.of(SECRET));
    EnvelopeCipher rotating = new EnvelopeCipher(new MasterKeyRing(newKey, Optional.of(oldKey)));
    // during the rotation both the old and the re-wrapped form open
    assertThat(rotating.open(acme, "openai", sealed).reveal()).isEqualTo(SECRET);

    SealedSecret rewrapped = rotating.rewrap(acme, "openai", sealed);

    assertThat(rewrapped.ciphertext()).isEqualTo(sealed.ciphertext());
    assertThat(rewrapped.nonce()).isEqualTo(sealed.nonce());
    assertThat(rewrapped.masterKeyId()).isEqualTo(newKey.id());
    assertThat(rewrapped.wrappedDataKey()).isNotEqualTo(sealed.wrappedDataKey());
    assertThat(rotating.open(acme, "openai", rewrapped).reveal()).isEqualTo(SECRET);
    EnvelopeCipher afterRotation = new EnvelopeCipher(new MasterKeyRing(newKey, Optional.empty()));
    assertThat(afterRotation.open(acme, "openai", rewrapped).reveal()).isEqualTo(SECRET);
    assertThatThrownBy(() -> afterRotation.open(acme, "openai", sealed))
        .isInstanceOf(SecretUnreadableException.class);
  }

  @Test
  void secretsAreNeverPrinted() {
    ProviderSecret secret = ProviderSecret.of(SECRET);
    ProviderCredentials credentials =
        new ProviderCredentials("openai", secret, Optional.empty(), false);

    assertThat(secret.toString()).doesNotContain(SECRET).endsWith("8c0e]");
    assertThat(credentials.toString()).doesNotContain(SECRET);
    assertThat(oldKey.toString()).doesNotContain(oldKey.toBase64());
    assertThat(new MasterKeyRing(newKey, Optional.of(oldKey)).toString())
        .doesNotContain(oldKey.toBase64())
        .doesNotContain(newKey.toBase64());
  }

  @Test
  void providerSecretRefusesEmptyOversizedAndControlCharacters() {
    assertThat(ProviderSecret.of("x".repeat(ProviderSecret.MAX_BYTES)).last4()).isEqualTo("xxxx");
    assertThat(ProviderSecret.of("abc").last4()).isEqualTo("abc");
    for (String refused :
        new String[] {
          "",
          "   ",
          "x".repeat(ProviderSecret.MAX_BYTES + 1),
          "é".repeat(2049),
          "sk-a\nb",
          "sk\u0000",
          "sk-\u007f",
          "sk-\ud800"
        }) {
      assertThatThrownBy(() -> ProviderSecret.of(refused))
          .as("%s…", refused.length() > 8 ? refused.substring(0, 8) : refused)
          .isInstanceOf(dev.switchboard.domain.accounts.AccountRefusedException.class);
    }
  }
}

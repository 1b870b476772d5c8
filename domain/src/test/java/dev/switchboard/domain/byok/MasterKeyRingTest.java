package dev.switchboard.domain.byok;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.domain.tenancy.OrganizationId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MasterKeyRingTest {

  @TempDir Path dataDir;

  @Test
  void configuredKeyIsUsedAndNothingIsWritten() {
    String text = Base64.getEncoder().encodeToString(new byte[32]);

    MasterKeyRing ring = MasterKeyRing.configured(Optional.of(text), Optional.empty(), dataDir);

    assertThat(ring.current().id()).isEqualTo(MasterKey.fromBase64(text, "t").id());
    assertThat(ring.previous()).isEmpty();
    assertThat(dataDir.resolve(MasterKeyRing.FILE)).doesNotExist();
  }

  @Test
  void anythingButBase64OfThirtyTwoBytesIsRefusedWithAClearMessage() {
    for (String refused :
        new String[] {
          "not base64!",
          Base64.getEncoder().encodeToString(new byte[16]),
          Base64.getEncoder().encodeToString(new byte[33]),
          "change-me"
        }) {
      assertThatThrownBy(
              () -> MasterKeyRing.configured(Optional.of(refused), Optional.empty(), dataDir))
          .isInstanceOf(MasterKeyException.class)
          .hasMessageContaining("SWITCHBOARD_MASTER_KEY")
          .hasMessageContaining("32");
    }
    String good = Base64.getEncoder().encodeToString(new byte[32]);
    assertThatThrownBy(
            () -> MasterKeyRing.configured(Optional.of(good), Optional.of("short"), dataDir))
        .isInstanceOf(MasterKeyException.class)
        .hasMessageContaining("SWITCHBOARD_MASTER_KEY_PREVIOUS");
  }

  @Test
  void withoutAConfiguredKeyOneIsGeneratedOnceOwnerOnlyAndReusedAtRestart() throws Exception {
    MasterKeyRing first = MasterKeyRing.configured(Optional.empty(), Optional.empty(), dataDir);
    Path file = dataDir.resolve(MasterKeyRing.FILE);

    assertThat(Files.getPosixFilePermissions(file))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    MasterKeyRing restarted = MasterKeyRing.configured(Optional.of(""), Optional.empty(), dataDir);
    assertThat(restarted.current().id()).isEqualTo(first.current().id());
    OrganizationId org = OrganizationId.newId();
    SealedSecret sealed =
        new EnvelopeCipher(first).seal(org, "openai", ProviderSecret.of("sk-generated"));
    assertThat(new EnvelopeCipher(restarted).open(org, "openai", sealed).reveal())
        .isEqualTo("sk-generated");
    try (var leftovers = Files.list(file.getParent())) {
      assertThat(leftovers.map(p -> p.getFileName().toString())).containsExactly("byok-master-key");
    }
  }

  @Test
  void generatedKeyFileThatOthersMayReadIsRefused() throws Exception {
    MasterKeyRing.configured(Optional.empty(), Optional.empty(), dataDir);
    Path file = dataDir.resolve(MasterKeyRing.FILE);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    assertThatThrownBy(() -> MasterKeyRing.configured(Optional.empty(), Optional.empty(), dataDir))
        .isInstanceOf(MasterKeyException.class)
        .hasMessageContaining("chmod 600");
  }

  @Test
  void previousKeyIsHeldBesideTheNewOne() {
    MasterKey older = MasterKey.generate();
    MasterKey newer = MasterKey.generate();
    MasterKeyRing ring = new MasterKeyRing(newer, Optional.of(older));

    assertThat(ring.find(older.id())).contains(older);
    assertThat(ring.find(newer.id())).contains(newer);
    assertThat(ring.find(MasterKey.generate().id())).isEmpty();
    assertThat(new MasterKeyRing(newer, Optional.of(newer)).previous()).isEmpty();
  }
}

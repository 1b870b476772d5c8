package dev.switchboard.domain.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** BIP32's published test vector 1 (seed 000102…0f), its public-only steps. */
class ExtendedPublicKeyTest {

  private static final String M_0H =
      "xpub68Gmy5EdvgibQVfPdqkBBCHxA5htiqg55crXYuXoQRKfDBFA1WEjWgP6LHhwBZeNK1VTsfTFUHCdrfp1bgwQ9xv5ski8PX9rL2dZXvgGDnw";
  private static final String M_0H_1 =
      "xpub6ASuArnXKPbfEwhqN6e3mwBcDTgzisQN1wXN9BJcM47sSikHjJf3UFHKkNAWbWMiGj7Wf5uMash7SyYq527Hqck2AxYysAA7xmALppuCkwQ";
  private static final String M_0H_1_2H =
      "xpub6D4BDPcP2GT577Vvch3R8wDkScZWzQzMMUm3PWbmWvVJrZwQY4VUNgqFJPMM3No2dFDFGTsxxpG5uJh7n7epu4trkrX7x7DogT5Uv6fcLW5";
  private static final String M_0H_1_2H_2 =
      "xpub6FHa3pjLCk84BayeJxFW2SP4XRrFd1JYnxeLeU8EqN3vDfZmbqBqaGJAyiLjTAwm6ZLRQUMv1ZACTj37sR62cfN7fe5JnJ7dh8zL4fiyLHV";
  private static final String M_0H_1_2H_2_1000000000 =
      "xpub6H1LXWLaKsWFhvm6RVpEL9P4KfRZSW7abD2ttkWP3SSQvnyA8FSVqNTEcYFgJS2UaFcxupHiYkro49S8yGasTvXEYBVPamhGW6cFJodrTHy";
  private static final String M_XPRV =
      "xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRNNU3TGtRBeJgk33yuGBxrMPHi";

  @Test
  void readsAndWritesAnExtendedPublicKeyUnchanged() {
    assertThat(ExtendedPublicKey.parse(M_0H).serialize()).isEqualTo(M_0H);
    assertThat(ExtendedPublicKey.parse(M_0H_1_2H).depth()).isEqualTo(3);
  }

  @Test
  void derivesNonHardenedChildrenFromThePublicKeyAlone() {
    assertThat(ExtendedPublicKey.parse(M_0H).child(1).serialize()).isEqualTo(M_0H_1);
    assertThat(ExtendedPublicKey.parse(M_0H_1_2H).child(2).serialize()).isEqualTo(M_0H_1_2H_2);
    assertThat(ExtendedPublicKey.parse(M_0H_1_2H_2).child(1_000_000_000).serialize())
        .isEqualTo(M_0H_1_2H_2_1000000000);
  }

  @Test
  void differentIndexesGiveDifferentAddresses() {
    ExtendedPublicKey key = ExtendedPublicKey.parse(M_0H_1);
    assertThat(key.child(0).ethereumAddress())
        .matches("0x[0-9a-f]{40}")
        .isNotEqualTo(key.child(1).ethereumAddress())
        .isEqualTo(key.child(0).ethereumAddress());
  }

  @Test
  void refusesPrivateKeysHardenedIndexesAndDamagedText() {
    assertThatThrownBy(() -> ExtendedPublicKey.parse(M_XPRV))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("private key");
    ExtendedPublicKey key = ExtendedPublicKey.parse(M_0H);
    assertThatThrownBy(() -> key.child(1L << 31)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> key.child(-1)).isInstanceOf(IllegalArgumentException.class);
    String damaged =
        M_0H.substring(0, 50) + (M_0H.charAt(50) == 'a' ? 'b' : 'a') + M_0H.substring(51);
    assertThatThrownBy(() -> ExtendedPublicKey.parse(damaged))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("checksum");
    assertThatThrownBy(() -> ExtendedPublicKey.parse("xpub0OIl"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

package dev.switchboard.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ClientAddressTest {

  private final ClientAddress behindBalancer =
      ClientAddress.trusting("10.0.0.0/8, 192.168.1.7, ::1");

  @Test
  void withoutTrustedProxiesThePeerIsTheClientWhateverTheHeaderSays() {
    ClientAddress direct = ClientAddress.trusting("");

    assertThat(direct.of("203.0.113.9", "198.51.100.1")).isEqualTo("203.0.113.9");
    assertThat(direct.of("203.0.113.9", null)).isEqualTo("203.0.113.9");
  }

  @Test
  void anUntrustedPeerCannotChooseItsAddressThroughTheHeader() {
    assertThat(behindBalancer.of("203.0.113.9", "10.1.2.3")).isEqualTo("203.0.113.9");
  }

  @Test
  void behindTrustedProxiesTheRightmostUntrustedHopIsTheClient() {
    assertThat(behindBalancer.of("10.0.0.2", "198.51.100.1")).isEqualTo("198.51.100.1");
    // the client put a forged address first; the balancer appended the real one
    assertThat(behindBalancer.of("10.0.0.2", "1.2.3.4, 198.51.100.1, 192.168.1.7"))
        .isEqualTo("198.51.100.1");
    assertThat(behindBalancer.of("::1", "2001:db8::5")).isEqualTo("2001:db8::5");
    assertThat(behindBalancer.of("10.0.0.2", null)).isEqualTo("10.0.0.2");
  }

  @Test
  void aBrokenChainStopsAtTheLastHopThatCanBeVouchedFor() {
    assertThat(behindBalancer.of("10.0.0.2", "198.51.100.1, unknown")).isEqualTo("10.0.0.2");
    assertThat(behindBalancer.of("10.0.0.2", "example.com, 10.0.0.3")).isEqualTo("10.0.0.3");
    assertThat(behindBalancer.of("10.0.0.2", "999.1.1.1")).isEqualTo("10.0.0.2");
    assertThat(behindBalancer.of("10.0.0.2", "10.9.9.9")).isEqualTo("10.9.9.9");
  }

  @Test
  void aMalformedSettingIsRefusedNamingTheEntry() {
    for (String bad : new String[] {"10.0.0.0/33", "proxy.internal", "10.0.0.0/x", "::1/129"}) {
      assertThatThrownBy(() -> ClientAddress.trusting(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(bad);
    }
  }
}

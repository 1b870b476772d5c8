package dev.switchboard.api.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.domain.money.Credits;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The USDC settings as MicroProfile Config would inject them. */
class CryptoSettingsTest {

  private static final String XPUB =
      "xpub6ASuArnXKPbfEwhqN6e3mwBcDTgzisQN1wXN9BJcM47sSikHjJf3UFHKkNAWbWMiGj7Wf5uMash7SyYq527Hqck2AxYysAA7xmALppuCkwQ";
  private static final String TOKEN = "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48";

  @Test
  void withoutAnRpcUrlUsdcPurchasesAreDisabled() {
    assertThat(settings(Optional.empty(), Optional.of(TOKEN), Optional.of(XPUB)).crypto())
        .isEmpty();
    assertThat(settings(Optional.of("  "), Optional.empty(), Optional.empty()).crypto()).isEmpty();
  }

  @Test
  void readsTheChainTheKeyAndTheTerms() {
    SwitchboardSettings settings =
        settings(
            Optional.of("https://rpc.example/v2/secret-key"),
            Optional.of(TOKEN),
            Optional.of(XPUB));
    settings.cryptoFeePercent = "4.5";
    SwitchboardSettings.Crypto crypto = settings.crypto().orElseThrow();

    assertThat(crypto.tokenAddress()).isEqualTo(TOKEN.toLowerCase(java.util.Locale.ROOT));
    assertThat(crypto.depositKey().serialize()).isEqualTo(XPUB);
    assertThat(crypto.confirmations()).isEqualTo(12);
    assertThat(crypto.terms().quote(Credits.ofUsd("20.00")).amountDueMicros())
        .isEqualTo(20_900_000L);
    assertThat(crypto.terms().validity()).isEqualTo(Duration.ofMinutes(60));
    assertThat(crypto.toString()).doesNotContain("secret-key");
  }

  @Test
  void anRpcUrlWithoutTheTokenOrAValidKeyStopsTheStart() {
    Optional<String> url = Optional.of("http://127.0.0.1:8545");
    assertThatThrownBy(() -> settings(url, Optional.empty(), Optional.of(XPUB)).crypto())
        .hasMessageContaining("SWITCHBOARD_CRYPTO_TOKEN_ADDRESS");
    assertThatThrownBy(() -> settings(url, Optional.of(TOKEN), Optional.empty()).crypto())
        .hasMessageContaining("SWITCHBOARD_CRYPTO_XPUB");
    assertThatThrownBy(() -> settings(url, Optional.of("0x12"), Optional.of(XPUB)).crypto())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> settings(url, Optional.of(TOKEN), Optional.of("xpub123")).crypto())
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static SwitchboardSettings settings(
      Optional<String> url, Optional<String> token, Optional<String> xpub) {
    SwitchboardSettings settings = new SwitchboardSettings();
    settings.cryptoRpcUrl = url;
    settings.cryptoTokenAddress = token;
    settings.cryptoXpub = xpub;
    settings.cryptoConfirmations = 12;
    settings.cryptoFeePercent = "5";
    settings.cryptoExpiryMinutes = 60;
    settings.cryptoPollMillis = 15_000;
    return settings;
  }
}

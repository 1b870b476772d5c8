package dev.switchboard.api.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetryAfterTest {

  private static HttpHeaders header(String name, String value) {
    return HttpHeaders.of(Map.of(name, List.of(value)), (n, v) -> true);
  }

  @Test
  void readsDelaySecondsWhateverTheHeaderCaseAndSpaces() {
    assertThat(RetryAfter.of(header("retry-after", " 7 "))).isEqualTo(Duration.ofSeconds(7));
    assertThat(RetryAfter.of(header("Retry-After", "20"))).isEqualTo(Duration.ofSeconds(20));
    assertThat(RetryAfter.of(header("RETRY-AFTER", "0"))).isEqualTo(Duration.ZERO);
  }

  @Test
  void ignoresWhatIsNotDelaySecondsWhichWouldBeRelayedToClientsAsIs() {
    // RFC 9110: delay-seconds = 1*DIGIT
    assertThat(RetryAfter.of(header("Retry-After", "-5"))).isNull();
    assertThat(RetryAfter.of(header("Retry-After", "soon"))).isNull();
    assertThat(RetryAfter.of(header("Retry-After", "1.5"))).isNull();
    assertThat(RetryAfter.of(header("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT"))).isNull();
    assertThat(RetryAfter.of(header("Retry-After", "9999999999"))).isNull();
    assertThat(RetryAfter.of(header("Retry-After", ""))).isNull();
  }

  @Test
  void isNullWithoutTheHeaderOrHeaders() {
    assertThat(RetryAfter.of(HttpHeaders.of(Map.of(), (n, v) -> true))).isNull();
    assertThat(RetryAfter.of(null)).isNull();
  }
}

package dev.switchboard.api.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class ProviderUrlsTest {

  @Test
  void joinsBaseAndPathByExactlyOneSlash() {
    URI expected = URI.create("https://api.example/v1/chat/completions");

    assertThat(ProviderUrls.resolve(URI.create("https://api.example/v1"), "chat/completions"))
        .isEqualTo(expected);
    assertThat(ProviderUrls.resolve(URI.create("https://api.example/v1/"), "chat/completions"))
        .isEqualTo(expected);
    assertThat(ProviderUrls.resolve(URI.create("https://api.example/v1/"), "/chat/completions"))
        .isEqualTo(expected);
  }

  @Test
  void keepsAQueryInThePath() {
    assertThat(
            ProviderUrls.resolve(
                URI.create("http://127.0.0.1:9/v1beta"), "models/g:streamGenerateContent?alt=sse"))
        .hasPath("/v1beta/models/g:streamGenerateContent")
        .hasQuery("alt=sse");
  }
}

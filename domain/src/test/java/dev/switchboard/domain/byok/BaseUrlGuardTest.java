package dev.switchboard.domain.byok;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The address rules on literals only: names resolve through a table (built from literals, so no
 * lookup happens), and nothing here connects anywhere.
 */
class BaseUrlGuardTest {

  private static final Map<String, InetAddress[]> NAMES =
      Map.of(
          "api.example.com", addresses("93.184.216.34"),
          "v6.example.com", addresses("2606:2800:220:1:248:1893:25c8:1946"),
          "rebound.example.com", addresses("93.184.216.34", "10.0.0.7"),
          "metadata.example.com", addresses("169.254.169.254"),
          "localhost", addresses("127.0.0.1", "::1"),
          "models.internal", addresses("10.1.2.3"));

  private static final HostResolver TABLE =
      host -> {
        InetAddress[] found = NAMES.get(host);
        if (found == null) {
          throw new UnknownHostException(host);
        }
        return found;
      };

  private final BaseUrlGuard guard = new BaseUrlGuard(Set.of(), TABLE);

  @ParameterizedTest(name = "{0} is refused")
  @ValueSource(
      strings = {
        // loopback, in every spelling a resolver reads as 127.0.0.1
        "https://127.0.0.1/",
        "https://127.255.255.254/",
        "https://127.1/",
        "https://127.0.1/",
        "https://2130706433/",
        "https://0177.0.0.1/",
        "https://0177.1/",
        "https://0x7f.1/",
        "https://0x7f000001/",
        "https://0X7F.0.0.1/",
        "https://017700000001/",
        "https://127.000.000.001/",
        "https://127.0.0.1./",
        "https://localhost/",
        "https://localhost./",
        "https://LOCALHOST/v1",
        "https://[::1]/",
        "https://[0:0:0:0:0:0:0:1]/",
        "https://[::ffff:127.0.0.1]/",
        "https://[::ffff:7f00:1]/",
        "https://[::127.0.0.1]/",
        "https://[64:ff9b::127.0.0.1]/",
        "https://[64:ff9b::7f00:1]/",
        "https://[2002:7f00:1::]/",
        // this host and the unspecified address
        "https://0.0.0.0/",
        "https://0/",
        "https://0.1.2.3/",
        "https://[::]/",
        // private, shared, link-local and metadata
        "https://10.0.0.1/",
        "https://10.255.255.255/",
        "https://012.0.0.1/",
        "https://167772161/",
        "https://172.16.0.1/",
        "https://172.31.255.255/",
        "https://192.168.1.1/",
        "https://0xc0a80101/",
        "https://100.64.0.1/",
        "https://100.127.255.255/",
        "https://169.254.169.254/latest/meta-data/",
        "https://169.254.0.1/",
        "https://2852039166/",
        "https://[::ffff:169.254.169.254]/",
        "https://[::ffff:a9fe:a9fe]/",
        "https://[64:ff9b::169.254.169.254]/",
        "https://[::ffff:10.0.0.1]/",
        "https://metadata.example.com/",
        "https://models.internal/",
        "https://rebound.example.com/",
        // multicast, broadcast, reserved
        "https://224.0.0.1/",
        "https://239.255.255.250/",
        "https://255.255.255.255/",
        "https://240.0.0.1/",
        "https://192.0.2.1/",
        "https://198.18.0.1/",
        // IPv6 local ranges
        "https://[fc00::1]/",
        "https://[fd12:3456:789a::1]/",
        "https://[fe80::1]/",
        "https://[febf::1]/",
        "https://[fec0::1]/",
        "https://[ff02::1]/",
        "https://[64:ff9b:1::1]/",
        "https://[2001:db8::1]/",
        "https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/",
        // an IPv4 spelling that is ambiguous even when what it names is public
        "https://0x08080808/",
        "https://8.8.2056/",
        "https://010.8.8.8/",
      })
  void blockedAddressesAreRefused(String url) {
    assertThatThrownBy(() -> guard.check(url)).isInstanceOf(BaseUrlRefusedException.class);
  }

  @ParameterizedTest(name = "{0} is allowed")
  @CsvSource({
    "https://8.8.8.8/, 8.8.8.8",
    "https://1.1.1.1:8443/v1, 1.1.1.1",
    "https://93.184.216.34/v1/chat, 93.184.216.34",
    "https://100.63.255.255/, 100.63.255.255",
    "https://100.128.0.1/, 100.128.0.1",
    "https://172.15.255.255/, 172.15.255.255",
    "https://172.32.0.1/, 172.32.0.1",
    "https://169.253.255.255/, 169.253.255.255",
    "https://192.169.0.1/, 192.169.0.1",
    "https://223.255.255.254/, 223.255.255.254",
    "https://[2606:4700:4700::1111]/, 2606:4700:4700:0:0:0:0:1111",
    "https://[::ffff:8.8.8.8]/, 8.8.8.8",
    "https://[64:ff9b::8.8.8.8]/, 64:ff9b:0:0:0:0:808:808",
    "https://api.example.com/v1, 93.184.216.34",
    "https://API.Example.com./v1, 93.184.216.34",
    "https://v6.example.com/, 2606:2800:220:1:248:1893:25c8:1946",
  })
  void publicAddressesAreAllowedAndPinned(String url, String pinned) {
    CheckedBaseUrl checked = guard.check(url);

    assertThat(checked.pinned().getHostAddress()).isEqualTo(pinned);
    assertThat(checked.allowListed()).isFalse();
  }

  @ParameterizedTest(name = "{0} is refused")
  @ValueSource(
      strings = {
        "http://api.example.com/",
        "HTTP://8.8.8.8/",
        "ftp://api.example.com/",
        "file:///etc/passwd",
        "gopher://api.example.com:70/",
        "ws://api.example.com/",
        "//api.example.com/",
        "api.example.com",
        "https://user:pass@api.example.com/",
        "https://user@api.example.com/",
        "https://:@api.example.com/",
        "https://api.example.com@127.0.0.1/",
        "https://api.example.com/#frag",
        "https://api.example.com/v1#",
        "https:///v1",
        "https://api.example.com:0/",
        "https://api.example.com:65536/",
        "https://api.example.com:/",
        "https://api.example.com:80x/",
        "https://[fe80::1%25eth0]/",
        "https://[::1/",
        "https://unknown.example.com/",
        "https://a..b/",
        "https://localhost../",
        "https://-bad.example.com/",
        "https://exa mple.com/",
        "https://1.2.3.4.5/",
        "https://256.1.1.1/",
        "https://example.123/",
        "https://[::ffff:0177.0.0.1]/",
        "https://%31%32%37.0.0.1/",
        "",
      })
  void malformedOrNonHttpsUrlsAreRefused(String url) {
    assertThatThrownBy(() -> guard.check(url)).isInstanceOf(BaseUrlRefusedException.class);
  }

  @Test
  void overlongUrlIsRefused() {
    String url = "https://api.example.com/" + "a".repeat(BaseUrlGuard.MAX_LENGTH);

    assertThatThrownBy(() -> guard.check(url))
        .isInstanceOf(BaseUrlRefusedException.class)
        .hasMessageContaining("2048");
  }

  @Test
  void refusalSaysWhichRuleAndWhatTheHostReadsAs() {
    assertThatThrownBy(() -> guard.check("https://0x7f.1/"))
        .hasMessageContaining("127.0.0.1")
        .hasMessageContaining("loopback");
    assertThatThrownBy(() -> guard.check("https://rebound.example.com/"))
        .hasMessageContaining("10.0.0.7")
        .hasMessageContaining("private");
    assertThatThrownBy(() -> guard.check("https://u:p@api.example.com/"))
        .hasMessageContaining("credentials");
    assertThatThrownBy(() -> guard.check("http://api.example.com/")).hasMessageContaining("https");
  }

  @Test
  void allowedHostsPassDespiteTheRulesAndAreStillPinned() {
    BaseUrlGuard allowing =
        BaseUrlGuard.configured(java.util.Optional.of(" Models.Internal , 127.0.0.1,[::1]"));
    BaseUrlGuard tabled = new BaseUrlGuard(Set.of("Models.Internal.", "127.0.0.1", "[::1]"), TABLE);

    CheckedBaseUrl internal = tabled.check("https://models.internal:8443/v1");
    assertThat(internal.allowListed()).isTrue();
    assertThat(internal.pinned().getHostAddress()).isEqualTo("10.1.2.3");
    assertThat(internal.port()).isEqualTo(8443);
    assertThat(tabled.check("https://127.0.0.1/").pinned().getHostAddress()).isEqualTo("127.0.0.1");
    assertThat(tabled.check("https://[::1]:9443/").allowListed()).isTrue();
    assertThat(allowing.check("https://127.0.0.1:9443/").allowListed()).isTrue();
    // the list names hosts, not whatever else reaches the same address
    assertThatThrownBy(() -> tabled.check("https://localhost/"))
        .isInstanceOf(BaseUrlRefusedException.class);
    assertThatThrownBy(() -> tabled.check("https://127.1/"))
        .isInstanceOf(BaseUrlRefusedException.class);
    // and still https only, without credentials
    assertThatThrownBy(() -> tabled.check("http://models.internal/"))
        .isInstanceOf(BaseUrlRefusedException.class);
    assertThatThrownBy(() -> tabled.check("https://u:p@models.internal/"))
        .isInstanceOf(BaseUrlRefusedException.class);
  }

  @Test
  void systemResolverReadsLoopbackNamesFromTheHostsFile() {
    BaseUrlGuard system = BaseUrlGuard.configured(java.util.Optional.empty());

    for (String url : new String[] {"https://localhost/", "https://localhost./"}) {
      assertThatThrownBy(() -> system.check(url))
          .as(url)
          .isInstanceOf(BaseUrlRefusedException.class)
          .hasMessageContaining("loopback");
    }
  }

  @Test
  void javaReadsSomeLegacySpellingsDifferentlyFromTheCLibrary() throws Exception {
    // why the rules read numeric hosts themselves: Java's parser takes 0177 as decimal 177
    assertThat(InetAddress.getByName("0177.0.0.1").getHostAddress()).isEqualTo("177.0.0.1");
    assertThat(Ipv4Spelling.canonical(Ipv4Spelling.read("0177.0.0.1").orElseThrow()))
        .isEqualTo("127.0.0.1");
    assertThat(Ipv4Spelling.canonical(Ipv4Spelling.read("0x7f.1").orElseThrow()))
        .isEqualTo("127.0.0.1");
    assertThat(Ipv4Spelling.canonical(Ipv4Spelling.read("2130706433").orElseThrow()))
        .isEqualTo("127.0.0.1");
    assertThat(Ipv4Spelling.canonical(Ipv4Spelling.read("127.1").orElseThrow()))
        .isEqualTo("127.0.0.1");
    assertThat(Ipv4Spelling.canonical(Ipv4Spelling.read("1.2.65535").orElseThrow()))
        .isEqualTo("1.2.255.255");
    assertThat(Ipv4Spelling.read("1.2.65536")).isEmpty();
    assertThat(Ipv4Spelling.read("08.0.0.1")).isEmpty();
    assertThat(Ipv4Spelling.read("4294967296")).isEmpty();
  }

  private static InetAddress[] addresses(String... literals) {
    InetAddress[] result = new InetAddress[literals.length];
    for (int i = 0; i < literals.length; i++) {
      try {
        result[i] = InetAddress.getByName(literals[i]); // literals: parsed, not looked up
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException(e);
      }
    }
    return result;
  }
}

package dev.switchboard.api.inference;

import static dev.switchboard.api.inference.ChatRequests.chat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.catalog.LoadedCatalog;
import dev.switchboard.api.provider.WireFormats;
import dev.switchboard.domain.byok.ProviderCredentials;
import dev.switchboard.domain.byok.ProviderSecret;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class StickyRoutesTest {

  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final StickyRoutes sticky = new StickyRoutes(now::get);
  private final RoutePlanner planner = new RoutePlanner(new WireFormats());
  private final LoadedCatalog loaded = LoadedCatalogs.of(LoadedCatalogs.CHEAP_AND_DEAR);

  private List<Candidate> plan(ChatRequests request) {
    return planner.plan(request.parse(), loaded);
  }

  private static List<String> order(List<Candidate> candidates) {
    return candidates.stream()
        .map(c -> c.model().id() + "@" + c.provider().slug() + (c.byok() ? "#own" : ""))
        .toList();
  }

  @Test
  void aConversationGoesBackToTheEndpointThatAnsweredItLast() {
    List<Candidate> first = plan(chat("acme/chat").with("models", "[\"acme/other\"]"));
    sticky.remember("org|session:a", first.get(1)); // dear answered (cheap failed)

    List<Candidate> next =
        sticky.prefer("org|session:a", chat("acme/chat").parse(), first, c -> true);

    assertThat(order(next)).containsExactly("acme/chat@dear", "acme/chat@cheap", "acme/other@dear");
    assertThat(order(sticky.prefer("org|session:b", chat("acme/chat").parse(), first, c -> true)))
        .as("another conversation")
        .containsExactly("acme/chat@cheap", "acme/chat@dear", "acme/other@dear");
  }

  @Test
  void anIdleConversationAnUnhealthyEndpointOrAnExplicitOrderIsNotSticky() {
    List<Candidate> first = plan(chat("acme/chat"));
    sticky.remember("org|session:a", first.get(1));

    assertThat(order(sticky.prefer("org|session:a", chat("acme/chat").parse(), first, c -> false)))
        .as("its endpoint's breaker is open")
        .containsExactly("acme/chat@cheap", "acme/chat@dear");
    ChatRequest ordered = chat("acme/chat").with("provider", "{\"sort\":\"price\"}").parse();
    assertThat(order(sticky.prefer("org|session:a", ordered, first, c -> true)))
        .as("the caller chose a sort")
        .containsExactly("acme/chat@cheap", "acme/chat@dear");

    assertThat(
            order(
                sticky.prefer("org|session:a", chat("acme/chat:floor").parse(), first, c -> true)))
        .as("the :floor variant orders by price")
        .containsExactly("acme/chat@cheap", "acme/chat@dear");
    assertThat(
            order(
                sticky.prefer("org|session:a", chat("acme/chat:nitro").parse(), first, c -> true)))
        .as("the :nitro variant orders by throughput")
        .containsExactly("acme/chat@cheap", "acme/chat@dear");

    now.addAndGet(TimeUnit.MINUTES.toNanos(StickyRoutes.IDLE_MINUTES) + 1);
    assertThat(order(sticky.prefer("org|session:a", chat("acme/chat").parse(), first, c -> true)))
        .as("idle for more than ten minutes")
        .containsExactly("acme/chat@cheap", "acme/chat@dear");
  }

  @Test
  void theOrganizationsOwnKeyAndThePlatformsAreDifferentEndpointsForTheCache() {
    RoutePlanner.OwnKeys own =
        provider ->
            provider.equals("dear")
                ? Optional.of(
                    new ProviderCredentials(
                        "dear", ProviderSecret.of("sk-own"), Optional.empty(), false))
                : Optional.empty();
    List<Candidate> candidates = planner.plan(chat("acme/chat").parse(), loaded, own);
    assertThat(order(candidates))
        .containsExactly("acme/chat@dear#own", "acme/chat@cheap", "acme/chat@dear");
    sticky.remember("org|session:a", candidates.get(2)); // the platform's key for dear answered

    assertThat(
            order(sticky.prefer("org|session:a", chat("acme/chat").parse(), candidates, c -> true)))
        .containsExactly("acme/chat@dear", "acme/chat@dear#own", "acme/chat@cheap");
  }

  @Test
  void theConversationIsTheSessionIdElseTheUserElseTheSystemAndFirstUserMessage() {
    assertThat(
            chat("acme/chat")
                .with("session_id", "\"s-1\"")
                .with("user", "\"u\"")
                .parse()
                .conversation())
        .isEqualTo("session:s-1");
    assertThat(chat("acme/chat").with("user", "\"u-7\"").parse().conversation())
        .isEqualTo("user:u-7");
    String firstTurn =
        chat("acme/chat")
            .messages(
                "[{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"Hi\"}]")
            .parse()
            .conversation();
    String laterTurn =
        chat("acme/chat")
            .messages(
                "[{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"Hi\"},"
                    + "{\"role\":\"assistant\",\"content\":\"Hello\"},{\"role\":\"user\",\"content\":\"More\"}]")
            .parse()
            .conversation();
    String otherConversation =
        chat("acme/chat")
            .messages(
                "[{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"Yo\"}]")
            .parse()
            .conversation();
    assertThat(firstTurn)
        .startsWith("prompt:")
        .isEqualTo(laterTurn)
        .isNotEqualTo(otherConversation);
  }
}

package dev.switchboard.api.inference;

import static dev.switchboard.api.inference.ChatRequests.chat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.switchboard.api.catalog.LoadedCatalog;
import dev.switchboard.api.provider.WireFormats;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The default order's spread of first attempts by the inverse square of price, with a fixed seed.
 */
class PriceSpreadTest {

  /** Token prices (prompt + completion per million) 2, 4 and 8 USD: weights 1/4, 1/16 and 1/64. */
  private static final String CATALOG =
      """
      providers:
        - {slug: one, name: One, api: openai, base_url: "https://one.example/v1", api_key_env: K1}
        - {slug: two, name: Two, api: openai, base_url: "https://two.example/v1", api_key_env: K2}
        - {slug: four, name: Four, api: openai, base_url: "https://four.example/v1", api_key_env: K3}
      models:
        - id: acme/chat
          name: Chat
          context_length: 8000
          endpoints:
            - {provider: four, upstream_model: c, pricing: {prompt: "0.000004", completion: "0.000004"}}
            - {provider: one, upstream_model: c, pricing: {prompt: "0.000001", completion: "0.000001"}}
            - {provider: two, upstream_model: c, pricing: {prompt: "0.000002", completion: "0.000002"}}
        - id: acme/gratis
          name: Gratis
          context_length: 8000
          endpoints:
            - {provider: one, upstream_model: g, pricing: {prompt: "0", completion: "0"}}
            - {provider: two, upstream_model: g, pricing: {prompt: "0", completion: "0"}}
      """;

  private static final int PLANS = 20_000;

  private final LoadedCatalog loaded = LoadedCatalogs.of(CATALOG);

  private static RoutePlanner planner(long seed, Set<String> breakersOpen) {
    return new RoutePlanner(
        new WireFormats(),
        StubFigures.of(Map.of(), Map.of(), breakersOpen),
        new Random(seed)::nextDouble);
  }

  /** How often each provider went first over {@link #PLANS} plans, as a share. */
  private Map<String, Double> firstShares(RoutePlanner planner, ChatRequests request) {
    Map<String, Double> shares = new TreeMap<>();
    for (int i = 0; i < PLANS; i++) {
      String first = planner.plan(request.parse(), loaded).get(0).provider().slug();
      shares.merge(first, 1.0 / PLANS, Double::sum);
    }
    return shares;
  }

  private List<String> order(RoutePlanner planner, ChatRequests request) {
    return planner.plan(request.parse(), loaded).stream().map(c -> c.provider().slug()).toList();
  }

  @Test
  void firstAttemptsGoToEachEndpointInProportionToTheInverseSquareOfItsPrice() {
    Map<String, Double> shares = firstShares(planner(42, Set.of()), chat("acme/chat"));

    // weights 16 : 4 : 1 of 21
    assertThat(shares.get("one")).isCloseTo(16.0 / 21, within(0.01));
    assertThat(shares.get("two")).isCloseTo(4.0 / 21, within(0.01));
    assertThat(shares.get("four")).isCloseTo(1.0 / 21, within(0.01));
  }

  @Test
  void theSameSeedDrawsTheSameOrdersAndTheOthersFollowCheapestFirst() {
    RoutePlanner first = planner(7, Set.of());
    RoutePlanner again = planner(7, Set.of());

    for (int i = 0; i < 200; i++) {
      List<String> order = order(first, chat("acme/chat"));
      assertThat(order(again, chat("acme/chat"))).isEqualTo(order);
      List<String> rest = order.subList(1, 3);
      assertThat(rest)
          .isEqualTo(List.of("one", "two", "four").stream().filter(rest::contains).toList());
    }
  }

  @Test
  void anEndpointWhoseBreakerIsOpenIsNeverDrawnAndFreeOnesAreNotWeighed() {
    Map<String, Double> shares = firstShares(planner(3, Set.of("one")), chat("acme/chat"));
    Map<String, Double> gratis = firstShares(planner(3, Set.of()), chat("acme/gratis:free"));

    assertThat(shares).doesNotContainKey("one");
    assertThat(shares.get("two")).isCloseTo(4.0 / 5, within(0.015));
    // nothing to weigh by: the catalog's order
    assertThat(gratis).containsOnlyKeys("one");
  }

  @Test
  void anOrderOrASortAsksForItsOwnOrderAndIsNotSpread() {
    RoutePlanner planner = planner(11, Set.of());

    assertThat(firstShares(planner, chat("acme/chat").with("provider", "{\"sort\":\"price\"}")))
        .containsOnlyKeys("one");
    assertThat(firstShares(planner, chat("acme/chat").with("provider", "{\"order\":[\"four\"]}")))
        .containsOnlyKeys("four");
    assertThat(firstShares(planner, chat("acme/chat:floor"))).containsOnlyKeys("one");
  }
}

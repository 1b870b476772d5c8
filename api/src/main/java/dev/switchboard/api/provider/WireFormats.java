package dev.switchboard.api.provider;

import dev.switchboard.api.provider.anthropic.AnthropicWire;
import dev.switchboard.api.provider.gemini.GeminiWire;
import dev.switchboard.api.provider.openai.OpenAiWire;
import dev.switchboard.domain.catalog.ProviderApi;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/** The wire format for each provider API that Switchboard speaks. */
public final class WireFormats {

  private final Map<ProviderApi, WireFormat> formats = new EnumMap<>(ProviderApi.class);

  public WireFormats() {
    formats.put(ProviderApi.OPENAI, new OpenAiWire());
    formats.put(ProviderApi.ANTHROPIC, new AnthropicWire());
    formats.put(ProviderApi.GEMINI, new GeminiWire());
  }

  public Optional<WireFormat> of(ProviderApi api) {
    return Optional.ofNullable(formats.get(api));
  }
}

package dev.switchboard.api.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** What a provider's stream means, once decoded into Switchboard's (OpenAI) shape. */
public sealed interface StreamEvent {

  /**
   * A {@code chat.completion.chunk} with at least one choice (content, reasoning, tool-call
   * fragments or a finish reason). Its {@code id}, {@code model} and {@code created} are replaced
   * before it is relayed.
   */
  record Chunk(ObjectNode chunk) implements StreamEvent {}

  /**
   * The provider's usage in the OpenAI {@code usage} shape ({@code prompt_tokens}, {@code
   * completion_tokens}, {@code total_tokens}, optional {@code prompt_tokens_details.cached_tokens},
   * {@code completion_tokens_details.reasoning_tokens}); may arrive more than once (cumulative),
   * the last one counts.
   */
  record Usage(ObjectNode usage) implements StreamEvent {}

  /** The provider ended the stream properly. */
  record Done() implements StreamEvent {}

  /** The provider reported an error inside the stream. */
  record Failure(ProviderError error) implements StreamEvent {}
}

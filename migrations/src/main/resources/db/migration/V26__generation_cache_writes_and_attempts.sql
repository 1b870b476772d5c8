-- Prompt tokens a generation wrote to the provider's prompt cache (billed at the endpoint's
-- input_cache_write price), beside tokens_cached, those it read from it (billed at input_cache_read).
-- Both are parts of tokens_prompt; rows written before have no writes.

ALTER TABLE generations
    ADD COLUMN tokens_cache_write integer NOT NULL DEFAULT 0 CHECK (tokens_cache_write >= 0);
ALTER TABLE generations
    ADD CONSTRAINT generations_cache_within_prompt
    CHECK (tokens_cached + tokens_cache_write <= tokens_prompt) NOT VALID;

-- Every provider a request tried, in order, when the first did not answer: a JSON array of
-- {provider, model, status, error, latency_ms, byok}, the last being the one that answered. Null
-- when the first attempt answered (the row itself says everything about it).
ALTER TABLE generations ADD COLUMN provider_responses jsonb
    CHECK (provider_responses IS NULL OR jsonb_typeof(provider_responses) = 'array');

-- Switchboard schema, version 1: tenancy, API keys, the double-entry ledger, reservations, prices and
-- generations. Money is always bigint nano-USD (1 USD = 1,000,000,000); prices are nano-USD per million
-- tokens (or per unit for request/image/web_search).

-- Tenancy -----------------------------------------------------------------------------------------------

CREATE TABLE organizations (
    id          uuid PRIMARY KEY,
    name        text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    created_at  timestamptz NOT NULL
);

CREATE TABLE workspaces (
    id          uuid PRIMARY KEY,
    org_id      uuid        NOT NULL REFERENCES organizations (id),
    name        text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    is_default  boolean     NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL
);
CREATE UNIQUE INDEX workspaces_one_default_per_org ON workspaces (org_id) WHERE is_default;

-- API keys ----------------------------------------------------------------------------------------------
-- Only the SHA-256 of a key is stored; its hex form is also the key's public identifier ("hash").

CREATE TABLE api_keys (
    id                 uuid PRIMARY KEY,
    org_id             uuid        NOT NULL REFERENCES organizations (id),
    workspace_id       uuid        NOT NULL REFERENCES workspaces (id),
    hash               text        NOT NULL UNIQUE CHECK (hash ~ '^[0-9a-f]{64}$'),
    name               text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    label              text        NOT NULL,
    is_management      boolean     NOT NULL DEFAULT false,
    limit_nanos        bigint      CHECK (limit_nanos >= 0),
    limit_reset        text        CHECK (limit_reset IN ('daily', 'weekly', 'monthly')),
    -- spend in the current limit period (whole life when limit_reset is null) and its start
    period_usage_nanos bigint      NOT NULL DEFAULT 0,
    period_start       timestamptz,
    usage_nanos        bigint      NOT NULL DEFAULT 0,
    reserved_nanos     bigint      NOT NULL DEFAULT 0 CHECK (reserved_nanos >= 0),
    disabled           boolean     NOT NULL DEFAULT false,
    expires_at         timestamptz,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    deleted_at         timestamptz
);
CREATE INDEX api_keys_org ON api_keys (org_id) WHERE deleted_at IS NULL;

-- Ledger ------------------------------------------------------------------------------------------------
-- Append-only double entry: every transaction's entries sum to zero (checked at commit), entries and
-- transactions are never updated or deleted, and an organization's balance is kept in its account row by
-- the same transaction that appends the entry.

CREATE TABLE ledger_accounts (
    id              bigserial PRIMARY KEY,
    org_id          uuid   REFERENCES organizations (id),
    kind            text   NOT NULL CHECK (kind IN ('org_credits', 'operator_grants', 'inference_usage')),
    -- kept for organization accounts only; system accounts are derived by summing their entries
    balance_nanos   bigint NOT NULL DEFAULT 0,
    reserved_nanos  bigint NOT NULL DEFAULT 0 CHECK (reserved_nanos >= 0),
    CHECK ((org_id IS NULL) = (kind <> 'org_credits'))
);
CREATE UNIQUE INDEX ledger_accounts_org_kind ON ledger_accounts (org_id, kind) WHERE org_id IS NOT NULL;
CREATE UNIQUE INDEX ledger_accounts_system_kind ON ledger_accounts (kind) WHERE org_id IS NULL;

INSERT INTO ledger_accounts (org_id, kind) VALUES (NULL, 'operator_grants'), (NULL, 'inference_usage');

CREATE TABLE ledger_transactions (
    id               bigserial PRIMARY KEY,
    org_id           uuid        NOT NULL REFERENCES organizations (id),
    kind             text        NOT NULL CHECK (kind IN ('grant', 'usage')),
    -- every externally triggered movement carries one; usage carries its generation id
    idempotency_key  text        NOT NULL UNIQUE CHECK (length(idempotency_key) BETWEEN 1 AND 300),
    -- fingerprint of the request that created it, to refuse a reused key with a different body
    request_digest   text,
    description      text,
    created_at       timestamptz NOT NULL
);
CREATE INDEX ledger_transactions_org ON ledger_transactions (org_id, created_at);

CREATE TABLE ledger_entries (
    id              bigserial PRIMARY KEY,
    transaction_id  bigint NOT NULL REFERENCES ledger_transactions (id),
    account_id      bigint NOT NULL REFERENCES ledger_accounts (id),
    amount_nanos    bigint NOT NULL CHECK (amount_nanos <> 0)
);
CREATE INDEX ledger_entries_transaction ON ledger_entries (transaction_id);
CREATE INDEX ledger_entries_account ON ledger_entries (account_id);

CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the ledger is append-only: % on % refused', TG_OP, TG_TABLE_NAME;
END $$;

CREATE TRIGGER ledger_transactions_append_only BEFORE UPDATE OR DELETE ON ledger_transactions
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_transactions_no_truncate BEFORE TRUNCATE ON ledger_transactions
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_entries_no_truncate BEFORE TRUNCATE ON ledger_entries
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();

CREATE FUNCTION ledger_apply_entry() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE ledger_accounts SET balance_nanos = balance_nanos + NEW.amount_nanos
     WHERE id = NEW.account_id AND org_id IS NOT NULL;
    RETURN NEW;
END $$;

CREATE TRIGGER ledger_entries_apply AFTER INSERT ON ledger_entries
    FOR EACH ROW EXECUTE FUNCTION ledger_apply_entry();

CREATE FUNCTION ledger_check_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    total numeric;
BEGIN
    SELECT sum(amount_nanos) INTO total FROM ledger_entries WHERE transaction_id = NEW.transaction_id;
    IF total <> 0 THEN
        RAISE EXCEPTION 'ledger transaction % does not balance: its entries sum to %', NEW.transaction_id, total;
    END IF;
    RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER ledger_entries_balanced AFTER INSERT ON ledger_entries
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION ledger_check_balanced();

-- Reservations ------------------------------------------------------------------------------------------
-- The worst-case cost of a request in flight, held against the organization's balance and the key's limit
-- until settlement. One left behind by a crash expires and is released by the reconciler.

CREATE TABLE reservations (
    id            uuid PRIMARY KEY,
    org_id        uuid        NOT NULL REFERENCES organizations (id),
    api_key_id    uuid        NOT NULL REFERENCES api_keys (id),
    amount_nanos  bigint      NOT NULL CHECK (amount_nanos >= 0),
    created_at    timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL
);
CREATE INDEX reservations_expiry ON reservations (expires_at);

-- Prices ------------------------------------------------------------------------------------------------
-- Every price an endpoint has had, with the time it took effect: a generation's cost can be recomputed
-- from the price row it references.

CREATE TABLE endpoint_prices (
    id                         bigserial PRIMARY KEY,
    model_id                   text        NOT NULL,
    provider_slug              text        NOT NULL,
    prompt_nanos_per_mtok      bigint      NOT NULL CHECK (prompt_nanos_per_mtok >= 0),
    completion_nanos_per_mtok  bigint      NOT NULL CHECK (completion_nanos_per_mtok >= 0),
    request_nanos              bigint      NOT NULL CHECK (request_nanos >= 0),
    cache_read_nanos_per_mtok  bigint      CHECK (cache_read_nanos_per_mtok >= 0),
    cache_write_nanos_per_mtok bigint      CHECK (cache_write_nanos_per_mtok >= 0),
    reasoning_nanos_per_mtok   bigint      CHECK (reasoning_nanos_per_mtok >= 0),
    image_nanos                bigint      CHECK (image_nanos >= 0),
    web_search_nanos           bigint      CHECK (web_search_nanos >= 0),
    effective_from             timestamptz NOT NULL,
    UNIQUE (model_id, provider_slug, effective_from)
);

-- Generations -------------------------------------------------------------------------------------------

CREATE TABLE generations (
    id                     text PRIMARY KEY CHECK (id LIKE 'gen-%'),
    org_id                 uuid        NOT NULL REFERENCES organizations (id),
    api_key_id             uuid        NOT NULL REFERENCES api_keys (id),
    model                  text        NOT NULL,
    provider_slug          text        NOT NULL,
    upstream_model         text        NOT NULL,
    price_id               bigint      NOT NULL REFERENCES endpoint_prices (id),
    tokens_prompt          integer     NOT NULL CHECK (tokens_prompt >= 0),
    tokens_completion      integer     NOT NULL CHECK (tokens_completion >= 0),
    tokens_reasoning       integer     NOT NULL DEFAULT 0 CHECK (tokens_reasoning >= 0),
    tokens_cached          integer     NOT NULL DEFAULT 0 CHECK (tokens_cached >= 0),
    usage_estimated        boolean     NOT NULL DEFAULT false,
    cost_nanos             bigint      NOT NULL CHECK (cost_nanos >= 0),
    latency_ms             integer     NOT NULL,
    generation_time_ms     integer     NOT NULL,
    time_to_first_token_ms integer,
    streamed               boolean     NOT NULL,
    cancelled              boolean     NOT NULL,
    finish_reason          text,
    native_finish_reason   text,
    is_byok                boolean     NOT NULL DEFAULT false,
    api_type               text        NOT NULL,
    http_referer           text,
    app_title              text,
    ledger_transaction_id  bigint      REFERENCES ledger_transactions (id),
    created_at             timestamptz NOT NULL
);
CREATE INDEX generations_org_created ON generations (org_id, created_at);
CREATE INDEX generations_key_created ON generations (api_key_id, created_at);

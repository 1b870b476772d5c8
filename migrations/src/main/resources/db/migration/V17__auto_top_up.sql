-- Auto top-up (V17): when an organization's balance falls below the threshold an owner or billing member
-- set, its saved card is charged off-session for the amount they set (plus the card fee), at most one
-- top-up in flight per organization (a unique index), and three declines in a row switch it off.
--
-- A card is saved by a checkout that asks Stripe to keep it for later (setup_future_usage=off_session)
-- on the organization's Stripe customer, created once under an idempotency key of the organization.

CREATE TABLE stripe_customers (
    org_id       uuid        PRIMARY KEY REFERENCES organizations (id),
    customer_id  text        NOT NULL UNIQUE CHECK (length(customer_id) BETWEEN 1 AND 255),
    created_at   timestamptz NOT NULL
);

ALTER TABLE stripe_checkouts ADD COLUMN saves_card boolean NOT NULL DEFAULT false;

CREATE TABLE auto_top_up_settings (
    org_id               uuid        PRIMARY KEY REFERENCES organizations (id),
    enabled              boolean     NOT NULL,
    threshold_nanos      bigint      NOT NULL CHECK (threshold_nanos >= 0),
    -- credits bought each time, whole cents
    amount_nanos         bigint      NOT NULL CHECK (amount_nanos > 0 AND amount_nanos % 10000000 = 0),
    consecutive_declines integer     NOT NULL DEFAULT 0 CHECK (consecutive_declines >= 0),
    last_failure         text        CHECK (length(last_failure) <= 1000),
    updated_by           uuid        NOT NULL REFERENCES users (id),
    updated_at           timestamptz NOT NULL
);
CREATE INDEX auto_top_up_settings_enabled ON auto_top_up_settings (org_id) WHERE enabled;

CREATE TABLE auto_top_ups (
    id                 uuid PRIMARY KEY,
    org_id             uuid        NOT NULL REFERENCES organizations (id),
    credits_nanos      bigint      NOT NULL CHECK (credits_nanos > 0),
    fee_nanos          bigint      NOT NULL CHECK (fee_nanos >= 0),
    total_nanos        bigint      NOT NULL CHECK (total_nanos = credits_nanos + fee_nanos
                                                   AND total_nanos % 10000000 = 0),
    -- the balance that set it off
    balance_nanos      bigint      NOT NULL,
    idempotency_key    text        NOT NULL UNIQUE CHECK (length(idempotency_key) BETWEEN 1 AND 255),
    stripe_payment_intent_id text  UNIQUE CHECK (length(stripe_payment_intent_id) BETWEEN 1 AND 255),
    -- pending: charging; succeeded: paid and credited (once); declined: the card was refused
    state              text        NOT NULL CHECK (state IN ('pending', 'succeeded', 'declined')),
    failure            text        CHECK (length(failure) <= 1000),
    ledger_transaction_id bigint   UNIQUE REFERENCES ledger_transactions (id),
    created_at         timestamptz NOT NULL,
    finished_at        timestamptz,
    CHECK ((state = 'succeeded') = (ledger_transaction_id IS NOT NULL)),
    CHECK ((state = 'pending') = (finished_at IS NULL))
);
-- at most one top-up in flight per organization, however many instances notice the low balance at once
CREATE UNIQUE INDEX auto_top_ups_one_in_flight ON auto_top_ups (org_id) WHERE state = 'pending';
CREATE INDEX auto_top_ups_org ON auto_top_ups (org_id, created_at);

ALTER TABLE stripe_customers ENABLE ROW LEVEL SECURITY;
ALTER TABLE stripe_customers FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON stripe_customers
    USING (switchboard_tenant_visible(org_id)) WITH CHECK (switchboard_tenant_visible(org_id));

ALTER TABLE auto_top_up_settings ENABLE ROW LEVEL SECURITY;
ALTER TABLE auto_top_up_settings FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON auto_top_up_settings
    USING (switchboard_tenant_visible(org_id)) WITH CHECK (switchboard_tenant_visible(org_id));

ALTER TABLE auto_top_ups ENABLE ROW LEVEL SECURITY;
ALTER TABLE auto_top_ups FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON auto_top_ups
    USING (switchboard_tenant_visible(org_id)) WITH CHECK (switchboard_tenant_visible(org_id));

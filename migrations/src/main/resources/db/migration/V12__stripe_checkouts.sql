-- Card purchases through Stripe Checkout (V12: V10 is row-level security, V11 organization deletion). Switchboard keeps its own record of every checkout (what was
-- bought, the fee, what Stripe charges, who started it) before it calls Stripe, with the idempotency key
-- that call carries; the webhook credits what that record says, never what an event says. Every event
-- Stripe delivers is recorded once by its id, so a repeated delivery changes nothing.
--
-- The money of a purchase is one ledger transaction of three legs that sum to zero: what the card paid
-- (the total) comes out of the system account 'stripe_purchases', the credits go into the organization's
-- account and the fee into the system account 'payment_fees'.

ALTER TABLE ledger_accounts DROP CONSTRAINT ledger_accounts_kind_check;
ALTER TABLE ledger_accounts ADD CONSTRAINT ledger_accounts_kind_check
    CHECK (kind IN ('org_credits', 'operator_grants', 'inference_usage', 'stripe_purchases', 'payment_fees'));
INSERT INTO ledger_accounts (org_id, kind) VALUES (NULL, 'stripe_purchases'), (NULL, 'payment_fees');

ALTER TABLE ledger_transactions DROP CONSTRAINT ledger_transactions_kind_check;
ALTER TABLE ledger_transactions ADD CONSTRAINT ledger_transactions_kind_check
    CHECK (kind IN ('grant', 'usage', 'purchase'));

CREATE TABLE stripe_checkouts (
    id                 uuid PRIMARY KEY,
    org_id             uuid        NOT NULL REFERENCES organizations (id),
    -- the member who started it
    created_by         uuid        NOT NULL REFERENCES users (id),
    credits_nanos      bigint      NOT NULL CHECK (credits_nanos > 0),
    fee_nanos          bigint      NOT NULL CHECK (fee_nanos >= 0),
    -- what the card is charged: credits and fee, whole cents (Stripe charges in the currency's minor unit)
    total_nanos        bigint      NOT NULL CHECK (total_nanos = credits_nanos + fee_nanos
                                                   AND total_nanos % 10000000 = 0),
    currency           text        NOT NULL CHECK (currency = 'usd'),
    -- stored before the first call to Stripe and sent with every call about this checkout
    idempotency_key    text        NOT NULL UNIQUE CHECK (length(idempotency_key) BETWEEN 1 AND 255),
    stripe_session_id  text        UNIQUE CHECK (length(stripe_session_id) BETWEEN 1 AND 255),
    checkout_url       text,
    -- created: recorded, Stripe not (yet) answered; open: Stripe's session exists; credited: paid and
    -- posted to the ledger (once)
    state              text        NOT NULL CHECK (state IN ('created', 'open', 'credited')),
    ledger_transaction_id bigint   UNIQUE REFERENCES ledger_transactions (id),
    created_at         timestamptz NOT NULL,
    opened_at          timestamptz,
    credited_at        timestamptz,
    CHECK ((state = 'created') = (stripe_session_id IS NULL)),
    CHECK ((state = 'credited') = (ledger_transaction_id IS NOT NULL AND credited_at IS NOT NULL))
);
CREATE INDEX stripe_checkouts_org ON stripe_checkouts (org_id, created_at);
CREATE INDEX stripe_checkouts_unfinished ON stripe_checkouts (created_at) WHERE state <> 'credited';

CREATE TABLE stripe_webhook_events (
    event_id     text        PRIMARY KEY CHECK (length(event_id) BETWEEN 1 AND 255),
    type         text        NOT NULL CHECK (length(type) BETWEEN 1 AND 255),
    -- the organization and checkout it concerned; null for an event naming no checkout of ours
    org_id       uuid        REFERENCES organizations (id),
    checkout_id  uuid        REFERENCES stripe_checkouts (id),
    outcome      text        NOT NULL CHECK (outcome IN ('credited', 'already_credited', 'not_paid',
                                                         'unknown_session', 'amount_mismatch', 'ignored')),
    received_at  timestamptz NOT NULL,
    CHECK ((org_id IS NULL) = (checkout_id IS NULL))
);
CREATE INDEX stripe_webhook_events_checkout ON stripe_webhook_events (checkout_id) WHERE checkout_id IS NOT NULL;

-- Row-level security as V10 sets it for every tenant table: a checkout is its organization's; an event
-- is its checkout's organization's, and one that names no checkout of ours (org_id null) is seen only by
-- the platform's own work across tenants (switchboard_tenant_visible(null) holds only there), which is
-- how webhooks are received.
ALTER TABLE stripe_checkouts ENABLE ROW LEVEL SECURITY;
ALTER TABLE stripe_checkouts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON stripe_checkouts
    USING (switchboard_tenant_visible(org_id)) WITH CHECK (switchboard_tenant_visible(org_id));

ALTER TABLE stripe_webhook_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE stripe_webhook_events FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON stripe_webhook_events
    USING (switchboard_tenant_visible(org_id)) WITH CHECK (switchboard_tenant_visible(org_id));

-- Card payments after the purchase (V14): refunds, disputes, and checkouts that never finished.
--
-- A credited checkout keeps the payment intent Stripe charged, which refunds are made against and which
-- charge and dispute events name. A checkout nobody paid ends 'expired' (Stripe's sessions expire after
-- a day); the reconciler asks Stripe about checkouts left open and credits, once, one that was paid but
-- whose webhook never came.
--
-- A refund gives back unused credits of one purchase (never its fee): its ledger transaction takes the
-- credits out of the organization's account before Stripe is asked, so they cannot be spent meanwhile;
-- it is 'pending' until Stripe answers, 'succeeded' after, and 'failed' with a reversing transaction when
-- Stripe refuses. A refund made in Stripe's own dashboard arrives as charge.refunded and is recorded the
-- same way (source 'stripe').
--
-- A dispute takes the disputed credits into the system account 'disputed_funds' and freezes the
-- organization's spending until every dispute of it is closed: won, the credits come back; lost, they
-- are gone (to 'stripe_purchases', where the money came from).

ALTER TABLE stripe_checkouts ADD COLUMN stripe_payment_intent_id text UNIQUE
    CHECK (length(stripe_payment_intent_id) BETWEEN 1 AND 255);
ALTER TABLE stripe_checkouts ADD COLUMN expired_at timestamptz;

DO $$
DECLARE
    v_name text;
BEGIN
    -- V12's checks on the state: the state list, and "created exactly when there is no session yet"
    FOR v_name IN
        SELECT conname FROM pg_constraint
         WHERE conrelid = 'stripe_checkouts'::regclass AND contype = 'c'
           AND (pg_get_constraintdef(oid) LIKE '%''created''::text, ''open''::text%'
                OR pg_get_constraintdef(oid) LIKE '%stripe_session_id IS NULL%')
    LOOP
        EXECUTE format('ALTER TABLE stripe_checkouts DROP CONSTRAINT %I', v_name);
    END LOOP;
END $$;
ALTER TABLE stripe_checkouts ADD CONSTRAINT stripe_checkouts_state_check
    CHECK (state IN ('created', 'open', 'credited', 'expired'));
-- a checkout that never got a session may expire without one
ALTER TABLE stripe_checkouts ADD CONSTRAINT stripe_checkouts_session_check
    CHECK (CASE state WHEN 'created' THEN stripe_session_id IS NULL
                      WHEN 'expired' THEN true
                      ELSE stripe_session_id IS NOT NULL END);
ALTER TABLE stripe_checkouts ADD CONSTRAINT stripe_checkouts_expired_check
    CHECK ((state = 'expired') = (expired_at IS NOT NULL));

CREATE TABLE stripe_refunds (
    id                 uuid PRIMARY KEY,
    org_id             uuid        NOT NULL REFERENCES organizations (id),
    checkout_id        uuid        NOT NULL REFERENCES stripe_checkouts (id),
    -- credits given back, whole cents (Stripe refunds in the currency's minor unit)
    amount_nanos       bigint      NOT NULL CHECK (amount_nanos > 0 AND amount_nanos % 10000000 = 0),
    -- 'switchboard': asked for here by requested_by; 'stripe': made in Stripe and seen in charge.refunded
    source             text        NOT NULL CHECK (source IN ('switchboard', 'stripe')),
    requested_by       uuid        REFERENCES users (id),
    idempotency_key    text        NOT NULL UNIQUE CHECK (length(idempotency_key) BETWEEN 1 AND 255),
    stripe_refund_id   text        UNIQUE CHECK (length(stripe_refund_id) BETWEEN 1 AND 255),
    state              text        NOT NULL CHECK (state IN ('pending', 'succeeded', 'failed')),
    failure            text        CHECK (length(failure) <= 1000),
    ledger_transaction_id   bigint NOT NULL UNIQUE REFERENCES ledger_transactions (id),
    reversal_transaction_id bigint UNIQUE REFERENCES ledger_transactions (id),
    created_at         timestamptz NOT NULL,
    finished_at        timestamptz,
    CHECK ((source = 'switchboard') = (requested_by IS NOT NULL)),
    CHECK ((state = 'failed') = (reversal_transaction_id IS NOT NULL)),
    CHECK ((state = 'pending') = (finished_at IS NULL))
);
CREATE INDEX stripe_refunds_checkout ON stripe_refunds (checkout_id);
CREATE INDEX stripe_refunds_pending ON stripe_refunds (created_at) WHERE state = 'pending';

CREATE TABLE stripe_disputes (
    dispute_id         text PRIMARY KEY CHECK (length(dispute_id) BETWEEN 1 AND 255),
    org_id             uuid        NOT NULL REFERENCES organizations (id),
    checkout_id        uuid        NOT NULL REFERENCES stripe_checkouts (id),
    -- the credits taken into 'disputed_funds': what Stripe disputes, at most what the purchase credited
    amount_nanos       bigint      NOT NULL CHECK (amount_nanos >= 0),
    state              text        NOT NULL CHECK (state IN ('open', 'won', 'lost')),
    opening_transaction_id bigint  UNIQUE REFERENCES ledger_transactions (id),
    closing_transaction_id bigint  UNIQUE REFERENCES ledger_transactions (id),
    opened_at          timestamptz NOT NULL,
    closed_at          timestamptz,
    CHECK ((state = 'open') = (closed_at IS NULL))
);
CREATE INDEX stripe_disputes_open ON stripe_disputes (org_id) WHERE state = 'open';

ALTER TABLE stripe_webhook_events DROP CONSTRAINT stripe_webhook_events_outcome_check;
ALTER TABLE stripe_webhook_events ADD CONSTRAINT stripe_webhook_events_outcome_check
    CHECK (outcome IN ('credited', 'already_credited', 'not_paid', 'unknown_session', 'amount_mismatch',
                       'ignored', 'refunded', 'dispute_opened', 'dispute_closed'));

ALTER TABLE stripe_refunds ENABLE ROW LEVEL SECURITY;
ALTER TABLE stripe_refunds FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON stripe_refunds
    USING (switchboard_tenant_visible(org_id)) WITH CHECK (switchboard_tenant_visible(org_id));

ALTER TABLE stripe_disputes ENABLE ROW LEVEL SECURITY;
ALTER TABLE stripe_disputes FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON stripe_disputes
    USING (switchboard_tenant_visible(org_id)) WITH CHECK (switchboard_tenant_visible(org_id));

-- V3's switchboard_lease, refusing (outcome 3) while a dispute of the organization is open. The check
-- costs nothing per request: leases are taken and grown, not every request.
CREATE OR REPLACE FUNCTION switchboard_lease(
    p_lease uuid, p_org uuid, p_key uuid, p_min bigint, p_want bigint,
    p_period_start timestamptz, p_now timestamptz, p_expires_at timestamptz,
    OUT outcome integer, OUT available bigint, OUT granted bigint)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    v_org_reserved bigint;
    v_key_limit bigint;
    v_key_reserved bigint;
    v_key_used bigint;
BEGIN
    PERFORM set_config('synchronous_commit', 'off', true);
    granted := 0;
    SELECT reserved_nanos INTO v_org_reserved FROM credit_holds WHERE org_id = p_org FOR UPDATE;
    IF NOT FOUND THEN
        outcome := 1;
        available := 0;
        RETURN;
    END IF;
    IF EXISTS (SELECT 1 FROM stripe_disputes WHERE org_id = p_org AND state = 'open') THEN
        outcome := 3;
        available := 0;
        RETURN;
    END IF;
    SELECT balance_nanos - v_org_reserved INTO available
      FROM ledger_accounts WHERE org_id = p_org AND kind = 'org_credits';
    IF available < p_min THEN
        outcome := 1;
        RETURN;
    END IF;
    SELECT reserved_nanos INTO v_key_reserved FROM key_holds WHERE api_key_id = p_key FOR UPDATE;
    SELECT limit_nanos,
           CASE WHEN limit_reset IS NULL OR period_start >= p_period_start THEN period_usage_nanos ELSE 0 END
      INTO v_key_limit, v_key_used
      FROM api_keys WHERE id = p_key;
    IF v_key_limit IS NOT NULL THEN
        IF v_key_limit - v_key_reserved - v_key_used < p_min THEN
            outcome := 2;
            available := v_key_limit - v_key_reserved - v_key_used;
            RETURN;
        END IF;
        available := least(available, v_key_limit - v_key_reserved - v_key_used);
    END IF;
    granted := greatest(p_min, least(p_want, available / 4));
    UPDATE credit_holds SET reserved_nanos = reserved_nanos + granted WHERE org_id = p_org;
    UPDATE key_holds SET reserved_nanos = reserved_nanos + granted WHERE api_key_id = p_key;
    INSERT INTO reservations (id, org_id, api_key_id, amount_nanos, created_at, expires_at)
    VALUES (p_lease, p_org, p_key, granted, p_now, p_expires_at)
    ON CONFLICT (id) DO UPDATE SET amount_nanos = reservations.amount_nanos + EXCLUDED.amount_nanos,
                                   expires_at = EXCLUDED.expires_at;
    outcome := 0;
END $$;

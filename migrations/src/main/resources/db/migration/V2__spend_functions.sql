-- Reservation and settlement as functions, so that each is one round trip from the application instead
-- of one per statement: they sit on every request's path. Both lock the organization's account row
-- before the key's row, the one order every writer uses, so they never deadlock with each other.

-- Reserves p_amount for a request when it fits in the organization's available credits and under the
-- key's limit; otherwise changes nothing. Returns the outcome (0 reserved, 1 refused by credits, 2
-- refused by the key's limit) and what was available to the refusing budget.
-- The hold is committed asynchronously: losing it in a database crash only frees it early, while the
-- settlement that moves money commits synchronously.
CREATE FUNCTION switchboard_reserve(
    p_reservation uuid, p_org uuid, p_key uuid, p_amount bigint,
    p_period_start timestamptz, p_now timestamptz, p_expires_at timestamptz,
    OUT outcome integer, OUT available bigint)
LANGUAGE plpgsql AS $$
DECLARE
    v_key_limit bigint;
    v_key_reserved bigint;
    v_key_used bigint;
BEGIN
    PERFORM set_config('synchronous_commit', 'off', true);
    SELECT balance_nanos - reserved_nanos INTO available
      FROM ledger_accounts WHERE org_id = p_org AND kind = 'org_credits' FOR UPDATE;
    IF NOT FOUND THEN
        outcome := 1;
        available := 0;
        RETURN;
    END IF;
    IF available < p_amount THEN
        outcome := 1;
        RETURN;
    END IF;
    SELECT limit_nanos, reserved_nanos,
           CASE WHEN limit_reset IS NULL OR period_start >= p_period_start THEN period_usage_nanos ELSE 0 END
      INTO v_key_limit, v_key_reserved, v_key_used
      FROM api_keys WHERE id = p_key FOR UPDATE;
    IF v_key_limit IS NOT NULL AND v_key_limit < v_key_reserved + v_key_used + p_amount THEN
        outcome := 2;
        available := v_key_limit - v_key_reserved - v_key_used;
        RETURN;
    END IF;
    UPDATE ledger_accounts SET reserved_nanos = reserved_nanos + p_amount
     WHERE org_id = p_org AND kind = 'org_credits';
    UPDATE api_keys SET reserved_nanos = reserved_nanos + p_amount WHERE id = p_key;
    INSERT INTO reservations (id, org_id, api_key_id, amount_nanos, created_at, expires_at)
    VALUES (p_reservation, p_org, p_key, p_amount, p_now, p_expires_at);
    outcome := 0;
END $$;

-- Settles one request: releases its reservation (if it still exists: the reconciler may have released
-- it) and, when it cost something, debits the cost in a ledger transaction keyed by the generation id,
-- so a settlement written twice counts once. The key's spend is counted with the debit, in the period
-- its limit resets by. The generation row itself is inserted by the caller in the same transaction.
-- A procedure, so that calls can be sent as one JDBC batch (a batch may not return rows).
CREATE PROCEDURE switchboard_settle(
    p_reservation uuid, p_org uuid, p_key uuid, p_generation text, p_cost bigint, p_description text,
    p_created_at timestamptz, p_daily timestamptz, p_weekly timestamptz, p_monthly timestamptz)
LANGUAGE plpgsql AS $$
DECLARE
    v_released bigint := 0;
    v_account bigint;
    v_usage_account bigint;
    v_tx bigint;
    v_counted bigint := 0;
BEGIN
    DELETE FROM reservations WHERE id = p_reservation RETURNING amount_nanos INTO v_released;
    IF NOT FOUND THEN
        v_released := 0;
    END IF;
    UPDATE ledger_accounts SET reserved_nanos = reserved_nanos - v_released
     WHERE org_id = p_org AND kind = 'org_credits' RETURNING id INTO v_account;
    IF p_cost > 0 THEN
        INSERT INTO ledger_transactions (org_id, kind, idempotency_key, description, created_at)
        VALUES (p_org, 'usage', 'usage:' || p_generation, p_description, p_created_at)
        ON CONFLICT (idempotency_key) DO NOTHING
        RETURNING id INTO v_tx;
        IF v_tx IS NOT NULL THEN
            v_counted := p_cost;
        END IF;
    END IF;
    UPDATE api_keys SET
        reserved_nanos = reserved_nanos - v_released,
        usage_nanos = usage_nanos + v_counted,
        period_usage_nanos = CASE
            WHEN limit_reset IS NULL THEN period_usage_nanos + v_counted
            WHEN period_start >= CASE limit_reset WHEN 'daily' THEN p_daily WHEN 'weekly' THEN p_weekly
                                                  ELSE p_monthly END
                THEN period_usage_nanos + v_counted
            ELSE v_counted END,
        period_start = CASE WHEN limit_reset IS NULL THEN period_start
            ELSE greatest(coalesce(period_start, '-infinity'),
                          CASE limit_reset WHEN 'daily' THEN p_daily WHEN 'weekly' THEN p_weekly
                                           ELSE p_monthly END) END
     WHERE id = p_key;
    IF v_tx IS NOT NULL THEN
        SELECT id INTO v_usage_account FROM ledger_accounts WHERE org_id IS NULL AND kind = 'inference_usage';
        INSERT INTO ledger_entries (transaction_id, account_id, amount_nanos)
        VALUES (v_tx, v_account, -p_cost), (v_tx, v_usage_account, p_cost);
    END IF;
END $$;

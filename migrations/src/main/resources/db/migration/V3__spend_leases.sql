-- Spend leases: no database round trip per request.
--
-- Until V2 every request reserved its worst case with a round trip that locked the organization's
-- account row and the key's row, the same rows every settlement's debit updates: requests queued behind
-- each other and behind each settlement batch's synchronous commit (a disk flush). Now an instance
-- leases a share of what a key may spend (the organization's available credits and the key's remaining
-- limit, whichever is smaller) and reserves requests in memory against it. A lease is a row of
-- `reservations`, held against both budgets like any reservation: it is granted and grown by
-- switchboard_lease, shrinks by what each settlement debits from it (in the debit's own transaction, so
-- a debit and its shrink are one atomic, idempotent step), and is returned with switchboard_release.
-- No instance can lease what another holds, so budgets stay exact across instances.
--
-- Holds move to rows of their own (credit_holds, key_holds): a lease locks them, then reads the balance
-- and the key's spend without locking the account and key rows, which grants and key updates lock.
-- Reading those unlocked is exact: every change that lowers what may be spent (a debit) commits in the
-- same transaction as the shrink of the hold it was taken from, which the lease waits for; grants only
-- raise it. Lock order, everywhere: credit_holds, then key_holds, then the lease's row.

CREATE TABLE credit_holds (
    org_id          uuid   PRIMARY KEY REFERENCES organizations (id),
    reserved_nanos  bigint NOT NULL DEFAULT 0 CHECK (reserved_nanos >= 0)
);

CREATE TABLE key_holds (
    api_key_id      uuid   PRIMARY KEY REFERENCES api_keys (id),
    reserved_nanos  bigint NOT NULL DEFAULT 0 CHECK (reserved_nanos >= 0)
);

INSERT INTO credit_holds (org_id, reserved_nanos)
SELECT org_id, reserved_nanos FROM ledger_accounts WHERE kind = 'org_credits';
INSERT INTO key_holds (api_key_id, reserved_nanos) SELECT id, reserved_nanos FROM api_keys;

ALTER TABLE ledger_accounts DROP COLUMN reserved_nanos;
ALTER TABLE api_keys DROP COLUMN reserved_nanos;

-- every organization account and every key has its hold row from the moment it exists
CREATE FUNCTION credit_holds_create() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO credit_holds (org_id) VALUES (NEW.org_id);
    RETURN NEW;
END $$;

CREATE TRIGGER ledger_accounts_hold AFTER INSERT ON ledger_accounts
    FOR EACH ROW WHEN (NEW.kind = 'org_credits') EXECUTE FUNCTION credit_holds_create();

CREATE FUNCTION key_holds_create() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO key_holds (api_key_id) VALUES (NEW.id);
    RETURN NEW;
END $$;

CREATE TRIGGER api_keys_hold AFTER INSERT ON api_keys
    FOR EACH ROW EXECUTE FUNCTION key_holds_create();

DROP FUNCTION switchboard_reserve(uuid, uuid, uuid, bigint, timestamptz, timestamptz, timestamptz);
DROP PROCEDURE switchboard_settle(uuid, uuid, uuid, text, bigint, text, timestamptz, timestamptz,
                                  timestamptz, timestamptz);

-- Grants lease p_lease (created, or grown when it exists) at least p_min and at most p_want, and no
-- more than a quarter of what the key may still spend unless p_min needs more, so that other instances
-- keep a share. Refuses, changing nothing, when p_min does not fit. Returns the outcome (0 granted, 1
-- refused by credits, 2 refused by the key's limit), what was available to the tighter (or refusing)
-- budget before the grant, and the amount granted. Each statement of a volatile function reads a fresh
-- snapshot, so the balance and the key's spend are read as committed after the hold rows were locked.
-- The grant commits asynchronously: lost in a database crash, it only frees the amount early.
CREATE FUNCTION switchboard_lease(
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

-- Releases a lease (or any reservation) and what it still holds, if it still exists: whoever deletes
-- the row releases the amount, so an instance returning it and the reconciler never both do.
CREATE PROCEDURE switchboard_release(p_reservation uuid)
LANGUAGE plpgsql AS $$
DECLARE
    v_org uuid;
    v_key uuid;
    v_amount bigint;
BEGIN
    SELECT org_id, api_key_id INTO v_org, v_key FROM reservations WHERE id = p_reservation;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    PERFORM 1 FROM credit_holds WHERE org_id = v_org FOR UPDATE;
    PERFORM 1 FROM key_holds WHERE api_key_id = v_key FOR UPDATE;
    DELETE FROM reservations WHERE id = p_reservation RETURNING amount_nanos INTO v_amount;
    IF FOUND THEN
        UPDATE credit_holds SET reserved_nanos = reserved_nanos - v_amount WHERE org_id = v_org;
        UPDATE key_holds SET reserved_nanos = reserved_nanos - v_amount WHERE api_key_id = v_key;
    END IF;
END $$;

-- Shrinks lease p_lease by p_amount (what a settlement debited from it, or what an instance hands back
-- while requests on it are still in flight) and releases that much of its hold; a lease already
-- released by the reconciler is left alone. A null p_amount returns the whole lease.
CREATE PROCEDURE switchboard_lease_shrink(p_lease uuid, p_amount bigint)
LANGUAGE plpgsql AS $$
DECLARE
    v_org uuid;
    v_key uuid;
    v_taken bigint;
BEGIN
    IF p_amount IS NULL THEN
        CALL switchboard_release(p_lease);
        RETURN;
    END IF;
    SELECT org_id, api_key_id INTO v_org, v_key FROM reservations WHERE id = p_lease;
    IF NOT FOUND OR p_amount <= 0 THEN
        RETURN;
    END IF;
    PERFORM 1 FROM credit_holds WHERE org_id = v_org FOR UPDATE;
    PERFORM 1 FROM key_holds WHERE api_key_id = v_key FOR UPDATE;
    SELECT least(amount_nanos, p_amount) INTO v_taken FROM reservations WHERE id = p_lease FOR UPDATE;
    IF FOUND AND v_taken > 0 THEN
        UPDATE reservations SET amount_nanos = amount_nanos - v_taken WHERE id = p_lease;
        UPDATE credit_holds SET reserved_nanos = reserved_nanos - v_taken WHERE org_id = v_org;
        UPDATE key_holds SET reserved_nanos = reserved_nanos - v_taken WHERE api_key_id = v_key;
    END IF;
END $$;

-- Debits one request's cost in a ledger transaction keyed by the generation id, counts the spend on the
-- key (in the period its limit resets by) and shrinks the lease it was reserved from by p_from_lease,
-- all or nothing: a settlement written twice counts once. The generation row itself is inserted by the
-- caller in the same transaction.
CREATE PROCEDURE switchboard_debit(
    p_lease uuid, p_from_lease bigint, p_org uuid, p_key uuid, p_generation text, p_cost bigint,
    p_description text, p_created_at timestamptz,
    p_daily timestamptz, p_weekly timestamptz, p_monthly timestamptz)
LANGUAGE plpgsql AS $$
DECLARE
    v_account bigint;
    v_usage_account bigint;
    v_tx bigint;
BEGIN
    INSERT INTO ledger_transactions (org_id, kind, idempotency_key, description, created_at)
    VALUES (p_org, 'usage', 'usage:' || p_generation, p_description, p_created_at)
    ON CONFLICT (idempotency_key) DO NOTHING
    RETURNING id INTO v_tx;
    IF v_tx IS NULL THEN
        RETURN;
    END IF;
    SELECT id INTO v_account FROM ledger_accounts WHERE org_id = p_org AND kind = 'org_credits';
    SELECT id INTO v_usage_account FROM ledger_accounts WHERE org_id IS NULL AND kind = 'inference_usage';
    INSERT INTO ledger_entries (transaction_id, account_id, amount_nanos)
    VALUES (v_tx, v_account, -p_cost), (v_tx, v_usage_account, p_cost);
    UPDATE api_keys SET
        usage_nanos = usage_nanos + p_cost,
        period_usage_nanos = CASE
            WHEN limit_reset IS NULL THEN period_usage_nanos + p_cost
            WHEN period_start >= CASE limit_reset WHEN 'daily' THEN p_daily WHEN 'weekly' THEN p_weekly
                                                  ELSE p_monthly END
                THEN period_usage_nanos + p_cost
            ELSE p_cost END,
        period_start = CASE WHEN limit_reset IS NULL THEN period_start
            ELSE greatest(coalesce(period_start, '-infinity'),
                          CASE limit_reset WHEN 'daily' THEN p_daily WHEN 'weekly' THEN p_weekly
                                           ELSE p_monthly END) END
     WHERE id = p_key;
    CALL switchboard_lease_shrink(p_lease, p_from_lease);
END $$;

-- One write from an instance's settlement queue, so that a batch is one JDBC batch applied in one
-- order: a request's debit (which shrinks its lease), a lease shrinking without a debit (p_generation
-- null), or, with a null p_from_lease, a lease returned.
CREATE PROCEDURE switchboard_settle(
    p_lease uuid, p_from_lease bigint, p_org uuid, p_key uuid, p_generation text, p_cost bigint,
    p_description text, p_created_at timestamptz,
    p_daily timestamptz, p_weekly timestamptz, p_monthly timestamptz)
LANGUAGE plpgsql AS $$
BEGIN
    IF p_from_lease IS NULL THEN
        CALL switchboard_release(p_lease);
    ELSIF p_generation IS NOT NULL AND p_cost > 0 THEN
        CALL switchboard_debit(p_lease, p_from_lease, p_org, p_key, p_generation, p_cost, p_description,
                               p_created_at, p_daily, p_weekly, p_monthly);
    ELSE
        CALL switchboard_lease_shrink(p_lease, p_from_lease);
    END IF;
END $$;

-- Settlement batches written as sets. Since every answered request waits for its billing's commit, the
-- settlement writer's own speed bounds the gateway's: one switchboard_settle call per request (V3) ran
-- a dozen statements each (the debit's transaction and entries, two look-ups, the key's spend, the
-- lease's shrink on three tables), about 0.75 ms a request on a shared core. switchboard_settle_batch
-- takes a whole batch as arrays and does the same work in a fixed number of statements, whatever the
-- batch's size: each table is touched once, every organization, key and lease's change summed first.
--
-- Same results as the calls one by one, in any order:
--   - a debit happens once per generation (its transaction keyed by the generation id, as before), and
--     shrinks its lease only when it happened, so a settlement written twice, or twice in one batch,
--     counts once;
--   - a lease shrinks by the sum of what the batch takes from it, never below zero; a lease the batch
--     returns is deleted and all it holds released; a lease already released is left alone;
--   - a key's spend grows by the sum of its debits, in the period its limit resets by.
-- Locks are taken table by table, each in id order: organization accounts (by the entries' trigger),
-- keys, credit holds, key holds, leases. Every writer of several organizations' rows takes them in this
-- order, and a lease (V3) takes credit holds, key holds, then its lease, so concurrent batches and
-- leases never deadlock. Accounts and keys are locked FOR NO KEY UPDATE, the lock their updates take:
-- it does not conflict with the key-share locks that the entries' and generations' foreign keys hold,
-- which a stronger lock would wait for while another batch waited for ours.

CREATE PROCEDURE switchboard_settle_batch(
    p_leases uuid[], p_from_lease bigint[], p_orgs uuid[], p_keys uuid[], p_generations text[],
    p_costs bigint[], p_descriptions text[], p_created_at timestamptz[],
    p_daily timestamptz, p_weekly timestamptz, p_monthly timestamptz)
LANGUAGE plpgsql
-- Its statements take arrays, whose custom plans never look cheaper than the generic one by enough for
-- PostgreSQL to stop making them: without this every call planned each statement again (3 ms of a
-- one-settlement batch's 4). Every look-up is by primary key, which the generic plans use.
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
    v_usage_account bigint;
    -- the debits this batch made (not made before): their index in the arrays
    v_debited integer[];
    v_transactions bigint[];
    -- the leases it shrinks or returns, each once
    v_leases uuid[];
    v_closes boolean[];
    v_shrinks bigint[];
    -- the organizations and keys whose rows the batch changes
    v_orgs uuid[];
    v_keys uuid[];
BEGIN
    SELECT id INTO v_usage_account FROM ledger_accounts WHERE org_id IS NULL AND kind = 'inference_usage';

    WITH debit AS (
        SELECT DISTINCT ON (s.generation) s.n, s.org, s.generation, s.description, s.created_at
          FROM unnest(p_orgs, p_generations, p_costs, p_from_lease, p_descriptions, p_created_at)
               WITH ORDINALITY AS s(org, generation, cost, from_lease, description, created_at, n)
         WHERE s.generation IS NOT NULL AND s.cost > 0 AND s.from_lease IS NOT NULL
         ORDER BY s.generation, s.n),
    made AS (
        INSERT INTO ledger_transactions (org_id, kind, idempotency_key, description, created_at)
        SELECT org, 'usage', 'usage:' || generation, description, created_at FROM debit
        ON CONFLICT (idempotency_key) DO NOTHING
        RETURNING id, idempotency_key)
    SELECT coalesce(array_agg(debit.n::integer ORDER BY debit.org, made.id), '{}'),
           coalesce(array_agg(made.id ORDER BY debit.org, made.id), '{}')
      INTO v_debited, v_transactions
      FROM made JOIN debit ON made.idempotency_key = 'usage:' || debit.generation;

    IF cardinality(v_debited) > 0 THEN
        INSERT INTO ledger_entries (transaction_id, org_id, account_id, amount_nanos)
        SELECT d.tx, p_orgs[d.n], leg.account_id, leg.amount
          FROM unnest(v_debited, v_transactions) AS d(n, tx)
         CROSS JOIN LATERAL (SELECT id FROM ledger_accounts
                              WHERE org_id = p_orgs[d.n] AND kind = 'org_credits') AS a
         CROSS JOIN LATERAL (VALUES (a.id, -p_costs[d.n]), (v_usage_account, p_costs[d.n]))
               AS leg(account_id, amount)
         ORDER BY p_orgs[d.n], d.tx, leg.amount;

        v_keys := ARRAY(SELECT DISTINCT p_keys[d.n] FROM unnest(v_debited) AS d(n));
        PERFORM 1 FROM api_keys WHERE id = ANY (v_keys) ORDER BY id FOR NO KEY UPDATE;
        UPDATE api_keys k SET
            usage_nanos = k.usage_nanos + spent.cost,
            period_usage_nanos = CASE
                WHEN k.limit_reset IS NULL THEN k.period_usage_nanos + spent.cost
                WHEN k.period_start >= CASE k.limit_reset WHEN 'daily' THEN p_daily
                                                          WHEN 'weekly' THEN p_weekly
                                                          ELSE p_monthly END
                    THEN k.period_usage_nanos + spent.cost
                ELSE spent.cost END,
            period_start = CASE WHEN k.limit_reset IS NULL THEN k.period_start
                ELSE greatest(coalesce(k.period_start, '-infinity'),
                              CASE k.limit_reset WHEN 'daily' THEN p_daily WHEN 'weekly' THEN p_weekly
                                                 ELSE p_monthly END) END
          FROM (SELECT p_keys[d.n] AS key, sum(p_costs[d.n])::bigint AS cost
                  FROM unnest(v_debited) AS d(n) GROUP BY 1) AS spent
         WHERE k.id = spent.key AND k.id = ANY (v_keys);
    END IF;

    -- What each lease gives up: everything when the batch returns it, otherwise the sum of its
    -- shrinks (a debit's only when the debit was made here).
    SELECT coalesce(array_agg(l.lease ORDER BY l.lease), '{}'), array_agg(l.closes ORDER BY l.lease),
           array_agg(l.shrink ORDER BY l.lease)
      INTO v_leases, v_closes, v_shrinks
      FROM (SELECT s.lease, bool_or(s.from_lease IS NULL) AS closes,
                   coalesce(sum(s.from_lease), 0)::bigint AS shrink
              FROM unnest(p_leases, p_from_lease, p_generations, p_costs) WITH ORDINALITY
                   AS s(lease, from_lease, generation, cost, n)
             WHERE s.from_lease IS NULL
                OR (s.from_lease > 0 AND (s.generation IS NULL OR s.cost <= 0 OR s.n = ANY (v_debited)))
             GROUP BY s.lease) AS l;
    IF cardinality(v_leases) = 0 THEN
        RETURN;
    END IF;

    -- every look-up below is by primary key (= ANY of an array), whatever the tables' sizes
    SELECT ARRAY(SELECT DISTINCT org_id FROM reservations WHERE id = ANY (v_leases)),
           ARRAY(SELECT DISTINCT api_key_id FROM reservations WHERE id = ANY (v_leases))
      INTO v_orgs, v_keys;
    PERFORM 1 FROM credit_holds WHERE org_id = ANY (v_orgs) ORDER BY org_id FOR UPDATE;
    PERFORM 1 FROM key_holds WHERE api_key_id = ANY (v_keys) ORDER BY api_key_id FOR UPDATE;

    WITH held AS (
        SELECT r.id, r.org_id, r.api_key_id, l.closes,
               CASE WHEN l.closes THEN r.amount_nanos ELSE least(r.amount_nanos, l.shrink) END AS taken
          FROM reservations r
          JOIN unnest(v_leases, v_closes, v_shrinks) AS l(id, closes, shrink) ON l.id = r.id
         WHERE r.id = ANY (v_leases)
         ORDER BY r.id FOR UPDATE OF r),
    returned AS (
        DELETE FROM reservations r USING held
         WHERE r.id = held.id AND held.closes AND r.id = ANY (v_leases)),
    shrunk AS (
        UPDATE reservations r SET amount_nanos = r.amount_nanos - held.taken
          FROM held
         WHERE r.id = held.id AND NOT held.closes AND held.taken > 0 AND r.id = ANY (v_leases)),
    by_org AS (
        UPDATE credit_holds h SET reserved_nanos = h.reserved_nanos - t.taken
          FROM (SELECT org_id, sum(taken)::bigint AS taken FROM held GROUP BY org_id) AS t
         WHERE h.org_id = t.org_id AND t.taken > 0 AND h.org_id = ANY (v_orgs))
    UPDATE key_holds h SET reserved_nanos = h.reserved_nanos - t.taken
      FROM (SELECT api_key_id, sum(taken)::bigint AS taken FROM held GROUP BY api_key_id) AS t
     WHERE h.api_key_id = t.api_key_id AND t.taken > 0 AND h.api_key_id = ANY (v_keys);
END $$;

-- The one-by-one writes it replaces.
DROP PROCEDURE switchboard_settle(uuid, bigint, uuid, uuid, text, bigint, text, timestamptz, timestamptz,
                                  timestamptz, timestamptz);
DROP PROCEDURE switchboard_debit(uuid, bigint, uuid, uuid, text, bigint, text, timestamptz, timestamptz,
                                 timestamptz, timestamptz);

-- An organization account's balance and totals follow its entries once per statement instead of once
-- per entry: a batch's debits update each organization's account once, by their sum. The accounts are
-- locked in id order first, the order every writer of several accounts takes.
CREATE FUNCTION ledger_apply_entries() RETURNS trigger LANGUAGE plpgsql
SET plan_cache_mode = force_generic_plan AS $$
DECLARE
    v_accounts bigint[] := ARRAY(SELECT DISTINCT account_id FROM inserted);
BEGIN
    PERFORM 1 FROM ledger_accounts
     WHERE id = ANY (v_accounts) AND org_id IS NOT NULL ORDER BY id FOR NO KEY UPDATE;
    UPDATE ledger_accounts a SET
        balance_nanos   = a.balance_nanos + e.amount,
        total_in_nanos  = a.total_in_nanos + e.amount_in,
        total_out_nanos = a.total_out_nanos + e.amount_out
      FROM (SELECT account_id, sum(amount_nanos)::bigint AS amount,
                   sum(greatest(amount_nanos, 0))::bigint AS amount_in,
                   sum(greatest(-amount_nanos, 0))::bigint AS amount_out
              FROM inserted GROUP BY account_id) AS e
     WHERE a.id = e.account_id AND a.id = ANY (v_accounts) AND a.org_id IS NOT NULL;
    RETURN NULL;
END $$;

DROP TRIGGER ledger_entries_apply ON ledger_entries;
DROP FUNCTION ledger_apply_entry();
CREATE TRIGGER ledger_entries_apply AFTER INSERT ON ledger_entries
    REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION ledger_apply_entries();

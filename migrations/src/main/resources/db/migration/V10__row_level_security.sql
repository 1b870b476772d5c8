-- Row-level security: PostgreSQL keeps organizations apart as a second wall behind the application's
-- own scoping. Every table holding a tenant's rows carries org_id, and shows and accepts only the rows
-- of the organization its transaction is set to (TenantScope in the domain sets it with set_config,
-- local to the transaction):
--   switchboard.org_id  the organization the transaction acts for, or empty
--   switchboard.scope   'all' for the platform's own work across organizations (looking a key up by
--                       its hash, settlement batches, the operator's directory), otherwise empty
-- A transaction that sets neither sees no tenant's rows. FORCE applies the policies to the tables'
-- owner too; the application connects as a role that owns nothing (see SchemaMigrator), and only a
-- superuser or a BYPASSRLS role (migrations, operators at a psql prompt) sees past them.

CREATE FUNCTION switchboard_tenant_visible(p_org uuid) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT p_org = nullif(current_setting('switchboard.org_id', true), '')::uuid
        OR current_setting('switchboard.scope', true) = 'all'
$$;

-- The two tenant tables that did not carry org_id yet get it, kept equal to their parent's by a
-- foreign key on both columns.

ALTER TABLE api_keys ADD CONSTRAINT api_keys_id_org UNIQUE (id, org_id);
ALTER TABLE key_holds ADD COLUMN org_id uuid;
UPDATE key_holds h SET org_id = k.org_id FROM api_keys k WHERE k.id = h.api_key_id;
ALTER TABLE key_holds ALTER COLUMN org_id SET NOT NULL,
    ADD CONSTRAINT key_holds_key_org FOREIGN KEY (api_key_id, org_id) REFERENCES api_keys (id, org_id);

CREATE OR REPLACE FUNCTION key_holds_create() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO key_holds (api_key_id, org_id) VALUES (NEW.id, NEW.org_id);
    RETURN NEW;
END $$;

-- An entry belongs to its transaction's organization, on both legs: the leg on a platform account
-- (operator grants, inference usage) records whose movement it was.
ALTER TABLE ledger_transactions ADD CONSTRAINT ledger_transactions_id_org UNIQUE (id, org_id);
ALTER TABLE ledger_entries ADD COLUMN org_id uuid;
ALTER TABLE ledger_entries DISABLE TRIGGER ledger_entries_append_only;
UPDATE ledger_entries e SET org_id = t.org_id FROM ledger_transactions t WHERE t.id = e.transaction_id;
ALTER TABLE ledger_entries ENABLE TRIGGER ledger_entries_append_only;
ALTER TABLE ledger_entries ALTER COLUMN org_id SET NOT NULL,
    DROP CONSTRAINT ledger_entries_transaction_id_fkey,
    ADD CONSTRAINT ledger_entries_transaction_org FOREIGN KEY (transaction_id, org_id)
        REFERENCES ledger_transactions (id, org_id);
CREATE INDEX ledger_entries_org ON ledger_entries (org_id);

CREATE OR REPLACE PROCEDURE switchboard_debit(
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
    INSERT INTO ledger_entries (transaction_id, org_id, account_id, amount_nanos)
    VALUES (v_tx, p_org, v_account, -p_cost), (v_tx, p_org, v_usage_account, p_cost);
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

-- The policies. The platform's own ledger accounts (org_id null) hold no tenant's data and stay
-- visible to every transaction, which posts to them; their entries are the tenants' own.

ALTER TABLE organizations ENABLE ROW LEVEL SECURITY;
ALTER TABLE organizations FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON organizations
    USING (switchboard_tenant_visible(id)) WITH CHECK (switchboard_tenant_visible(id));

ALTER TABLE ledger_accounts ENABLE ROW LEVEL SECURITY;
ALTER TABLE ledger_accounts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON ledger_accounts
    USING (org_id IS NULL OR switchboard_tenant_visible(org_id))
    WITH CHECK (switchboard_tenant_visible(org_id));

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['workspaces', 'api_keys', 'key_holds', 'credit_holds', 'reservations',
                             'ledger_transactions', 'ledger_entries', 'generations', 'memberships',
                             'invitations'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY tenant_rows ON %I USING (switchboard_tenant_visible(org_id))'
                       ' WITH CHECK (switchboard_tenant_visible(org_id))', t);
    END LOOP;
END $$;

-- Credits expire a while after they were bought (a year unless the operator says otherwise), oldest
-- first, through the ledger (V13 declared the 'expiry' kind and the 'expired_credits' account).
--
-- A purchase's credits are a lot. What is left of a lot is derived from the ledger, not kept beside it:
-- a movement that takes credits from a particular purchase or gives them back (a refund, a refused
-- refund given back, a dispute and its closing, a reversal, an expiry) names that purchase's ledger
-- transaction in purchase_transaction_id, so a lot's net amount is the sum of the organization-account
-- legs of the purchase and of the movements that name it. The column is set when a movement is posted
-- and never changed afterwards: the ledger stays append-only.

ALTER TABLE ledger_transactions ADD COLUMN purchase_transaction_id bigint REFERENCES ledger_transactions (id);
CREATE INDEX ledger_transactions_purchase ON ledger_transactions (purchase_transaction_id)
    WHERE purchase_transaction_id IS NOT NULL;
-- the expiry scan looks for purchases older than the credits' lifetime; an organization's lots are read
-- past its usage transactions (one per request)
CREATE INDEX ledger_transactions_purchases ON ledger_transactions (created_at) WHERE kind = 'purchase';
CREATE INDEX ledger_transactions_credits ON ledger_transactions (org_id, created_at) WHERE kind <> 'usage';

-- One row per purchase whose expiry was warned of or done: the warning given once (how much would
-- expire; nothing is mailed when that is nothing), the expiry done once (how much expired, and its ledger
-- transaction when that was more than nothing).
CREATE TABLE credit_expiries (
    purchase_transaction_id bigint PRIMARY KEY REFERENCES ledger_transactions (id),
    org_id                  uuid        NOT NULL REFERENCES organizations (id),
    warned_at               timestamptz,
    warned_nanos            bigint      CHECK (warned_nanos >= 0),
    expired_at              timestamptz,
    expired_nanos           bigint      CHECK (expired_nanos >= 0),
    ledger_transaction_id   bigint      UNIQUE REFERENCES ledger_transactions (id),
    CHECK ((warned_at IS NULL) = (warned_nanos IS NULL)),
    CHECK ((expired_at IS NULL) = (expired_nanos IS NULL)),
    CHECK (ledger_transaction_id IS NULL OR expired_nanos > 0)
);
CREATE INDEX credit_expiries_org ON credit_expiries (org_id);

ALTER TABLE credit_expiries ENABLE ROW LEVEL SECURITY;
ALTER TABLE credit_expiries FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON credit_expiries
    USING (switchboard_tenant_visible(org_id)) WITH CHECK (switchboard_tenant_visible(org_id));

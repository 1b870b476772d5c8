-- Receipts and invoices of card purchases (V15; V14 and V16 belong to other parts of issue 8).
--
-- An organization's billing details (all optional) are what its invoices are addressed to. When a
-- checkout is credited, the crediting transaction issues its invoice: the next number of the
-- organization's own gapless sequence (a counter row locked by the upsert that takes it, so a number
-- is taken only by a transaction that commits, and never twice), the amounts, and a copy of the
-- billing details as they are then, so that editing them later does not rewrite old invoices. The same
-- transaction queues the receipt e-mails, one row per recipient: they are sent after it commits, so a
-- mail server that fails cannot undo a credit, and a receipt marked sent is never sent again.

CREATE TABLE billing_details (
    org_id         uuid        PRIMARY KEY REFERENCES organizations (id),
    legal_name     text        CHECK (length(legal_name) BETWEEN 1 AND 200),
    address_line1  text        CHECK (length(address_line1) BETWEEN 1 AND 200),
    address_line2  text        CHECK (length(address_line2) BETWEEN 1 AND 200),
    -- ISO 3166-1 alpha-2
    country        text        CHECK (country ~ '^[A-Z]{2}$'),
    tax_id         text        CHECK (length(tax_id) BETWEEN 1 AND 50),
    billing_email  text        CHECK (length(billing_email) BETWEEN 3 AND 254),
    updated_by     uuid        NOT NULL REFERENCES users (id),
    updated_at     timestamptz NOT NULL
);

-- the last invoice number an organization was given
CREATE TABLE invoice_counters (
    org_id       uuid   PRIMARY KEY REFERENCES organizations (id),
    last_number  bigint NOT NULL CHECK (last_number > 0)
);

CREATE TABLE invoices (
    id                 uuid        PRIMARY KEY,
    org_id             uuid        NOT NULL REFERENCES organizations (id),
    number             bigint      NOT NULL CHECK (number > 0),
    -- the purchase it bills, which has one invoice at most
    checkout_id        uuid        NOT NULL UNIQUE REFERENCES stripe_checkouts (id),
    issued_at          timestamptz NOT NULL,
    credits_nanos      bigint      NOT NULL CHECK (credits_nanos > 0),
    fee_nanos          bigint      NOT NULL CHECK (fee_nanos >= 0),
    total_nanos        bigint      NOT NULL CHECK (total_nanos = credits_nanos + fee_nanos),
    currency           text        NOT NULL CHECK (currency = 'usd'),
    payment_method     text        NOT NULL CHECK (length(payment_method) BETWEEN 1 AND 100),
    -- whom it is addressed to, as it was when issued
    organization_name  text        NOT NULL,
    legal_name         text,
    address_line1      text,
    address_line2      text,
    country            text,
    tax_id             text,
    billing_email      text,
    UNIQUE (org_id, number)
);
CREATE INDEX invoices_org ON invoices (org_id, issued_at);

CREATE TABLE receipt_mails (
    id               bigserial   PRIMARY KEY,
    org_id           uuid        NOT NULL REFERENCES organizations (id),
    invoice_id       uuid        NOT NULL REFERENCES invoices (id),
    recipient        text        NOT NULL CHECK (length(recipient) BETWEEN 3 AND 254),
    created_at       timestamptz NOT NULL,
    attempts         integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at  timestamptz NOT NULL,
    sent_at          timestamptz,
    -- why the last attempt failed (the mail server's answer, never the text)
    last_error       text,
    UNIQUE (invoice_id, recipient)
);
CREATE INDEX receipt_mails_due ON receipt_mails (next_attempt_at) WHERE sent_at IS NULL;

-- Row-level security as V10 sets it for every tenant table.
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['billing_details', 'invoice_counters', 'invoices', 'receipt_mails'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY tenant_rows ON %I USING (switchboard_tenant_visible(org_id))'
                       ' WITH CHECK (switchboard_tenant_visible(org_id))', t);
    END LOOP;
END $$;

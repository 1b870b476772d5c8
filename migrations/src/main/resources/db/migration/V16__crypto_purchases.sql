-- USDC purchases (V16: V13 declared the ledger kinds 'crypto_purchases' and 'reversal' they use; V14 and
-- V15 are other work). A purchase is Switchboard's own record of what a member asked for: the credits,
-- the fee, the exact amount due in micro-USDC (USDC has six decimals) and a deposit address of its own,
-- derived from the operator's extended public key at the purchase's index. The chain watcher records
-- every token transfer to such an address once (by transaction, log and block) and credits it once it
-- has enough confirmations; its cursor through the chain is here too, so a restart goes on where it was.
--
-- The money of a credited transfer is one ledger transaction of kind 'purchase' (what arrived leaves
-- 'crypto_purchases', the credits go to the organization, the fee to 'payment_fees'); a credited
-- transfer that a chain reorganisation took away is a 'reversal' transaction of the opposite legs.

-- The derivation index of the next deposit address: BIP32 non-hardened indexes are 0 to 2^31 - 1.
CREATE SEQUENCE crypto_deposit_index AS bigint MINVALUE 0 MAXVALUE 2147483647 START 0 NO CYCLE;

CREATE TABLE crypto_purchases (
    id                 uuid PRIMARY KEY,
    org_id             uuid        NOT NULL REFERENCES organizations (id),
    -- the member who started it
    created_by         uuid        NOT NULL REFERENCES users (id),
    credits_nanos      bigint      NOT NULL CHECK (credits_nanos > 0),
    fee_nanos          bigint      NOT NULL CHECK (fee_nanos >= 0),
    -- what the member is asked to send: credits and fee, in whole micro-USDC (1 micro-USDC = 1,000 nanos)
    amount_due_micros  bigint      NOT NULL CHECK (amount_due_micros > 0
                                                   AND amount_due_micros * 1000 = credits_nanos + fee_nanos),
    deposit_index      bigint      NOT NULL UNIQUE CHECK (deposit_index BETWEEN 0 AND 2147483647),
    -- lower-case hex; unique across organizations, so a transfer names exactly one purchase
    deposit_address    text        NOT NULL UNIQUE CHECK (deposit_address ~ '^0x[0-9a-f]{40}$'),
    expires_at         timestamptz NOT NULL,
    created_at         timestamptz NOT NULL,
    CHECK (expires_at > created_at)
);
CREATE INDEX crypto_purchases_org ON crypto_purchases (org_id, created_at);
CREATE INDEX crypto_purchases_expiry ON crypto_purchases (expires_at);

CREATE TABLE crypto_transfers (
    id                       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id                   uuid        NOT NULL REFERENCES organizations (id),
    purchase_id              uuid        NOT NULL REFERENCES crypto_purchases (id),
    tx_hash                  text        NOT NULL CHECK (tx_hash ~ '^0x[0-9a-f]{64}$'),
    log_index                bigint      NOT NULL CHECK (log_index >= 0),
    -- the block it was seen in: the same log mined again into another block after a reorganisation is
    -- another row, credited (once) on its own
    block_hash               text        NOT NULL CHECK (block_hash ~ '^0x[0-9a-f]{64}$'),
    block_number             bigint      NOT NULL CHECK (block_number >= 0),
    from_address             text        NOT NULL CHECK (from_address ~ '^0x[0-9a-f]{40}$'),
    amount_micros            bigint      NOT NULL CHECK (amount_micros > 0),
    -- pending: seen, waiting for its confirmations; dropped: its block left the chain before that, never
    -- credited; credited: in the ledger; reversed: its block left the chain after crediting, the credit
    -- was reversed in the ledger, and the operator is shown it
    state                    text        NOT NULL CHECK (state IN ('pending', 'dropped', 'credited', 'reversed')),
    credits_nanos            bigint      CHECK (credits_nanos > 0),
    fee_nanos                bigint      CHECK (fee_nanos >= 0),
    ledger_transaction_id    bigint      UNIQUE REFERENCES ledger_transactions (id),
    reversal_transaction_id  bigint      UNIQUE REFERENCES ledger_transactions (id),
    seen_at                  timestamptz NOT NULL,
    credited_at              timestamptz,
    -- when it was dropped or reversed
    removed_at               timestamptz,
    UNIQUE (tx_hash, log_index, block_hash),
    CHECK ((state IN ('credited', 'reversed')) = (ledger_transaction_id IS NOT NULL AND credited_at IS NOT NULL
                                                  AND credits_nanos IS NOT NULL AND fee_nanos IS NOT NULL)),
    CHECK ((state = 'reversed') = (reversal_transaction_id IS NOT NULL)),
    CHECK ((state IN ('dropped', 'reversed')) = (removed_at IS NOT NULL)),
    CHECK (credits_nanos IS NULL OR credits_nanos + fee_nanos = amount_micros * 1000)
);
CREATE INDEX crypto_transfers_purchase ON crypto_transfers (purchase_id);
CREATE INDEX crypto_transfers_unsettled ON crypto_transfers (block_number) WHERE state IN ('pending', 'credited');

-- How far the watcher has read the chain, per chain and token: the last block it scanned and that
-- block's hash (a different hash there later means a reorganisation). Platform data, no organization's.
CREATE TABLE crypto_chain_cursors (
    chain_id       bigint      NOT NULL CHECK (chain_id > 0),
    token_address  text        NOT NULL CHECK (token_address ~ '^0x[0-9a-f]{40}$'),
    block_number   bigint      NOT NULL CHECK (block_number >= 0),
    block_hash     text        NOT NULL CHECK (block_hash ~ '^0x[0-9a-f]{64}$'),
    updated_at     timestamptz NOT NULL,
    PRIMARY KEY (chain_id, token_address)
);

-- Row-level security as V10 sets it for every tenant table: a purchase and its transfers are their
-- organization's; the watcher works across organizations on purpose.
ALTER TABLE crypto_purchases ENABLE ROW LEVEL SECURITY;
ALTER TABLE crypto_purchases FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON crypto_purchases
    USING (switchboard_tenant_visible(org_id)) WITH CHECK (switchboard_tenant_visible(org_id));

ALTER TABLE crypto_transfers ENABLE ROW LEVEL SECURITY;
ALTER TABLE crypto_transfers FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON crypto_transfers
    USING (switchboard_tenant_visible(org_id)) WITH CHECK (switchboard_tenant_visible(org_id));

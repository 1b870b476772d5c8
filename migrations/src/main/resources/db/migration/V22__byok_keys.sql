-- Bring your own provider keys (V22): an organization's own API key for a catalog provider, at most
-- one per provider, sealed by envelope encryption (AES-256-GCM). The secret is encrypted under a data
-- key of its own; the data key is stored wrapped (encrypted) by the platform's master key, named by
-- master_key_id so that rotating the master key re-wraps the data keys and never touches the secret's
-- ciphertext. Both layers authenticate the organization and the provider as associated data, so a
-- row's ciphertext copied into another organization's or provider's row does not decrypt. Nothing
-- here is the secret in plain text: last4 is its last four characters, shown to tell keys apart.

CREATE TABLE provider_keys (
    org_id             uuid        NOT NULL REFERENCES organizations (id),
    provider_slug      text        NOT NULL CHECK (provider_slug ~ '^[a-z0-9][a-z0-9._-]{0,99}$'),
    secret_ciphertext  bytea       NOT NULL CHECK (length(secret_ciphertext) BETWEEN 17 AND 4112),
    secret_nonce       bytea       NOT NULL CHECK (length(secret_nonce) = 12),
    -- the 256-bit data key encrypted by the master key: 32 bytes and the 16-byte tag
    data_key_wrapped   bytea       NOT NULL CHECK (length(data_key_wrapped) = 48),
    data_key_nonce     bytea       NOT NULL CHECK (length(data_key_nonce) = 12),
    -- which master key wrapped it: a fingerprint of the key, never the key
    master_key_id      text        NOT NULL CHECK (master_key_id ~ '^[0-9a-f]{16}$'),
    last4              text        NOT NULL CHECK (length(last4) BETWEEN 1 AND 4),
    base_url           text        CHECK (length(base_url) BETWEEN 1 AND 2048),
    always_use         boolean     NOT NULL DEFAULT false,
    -- the member who first set it; null when a management key did
    created_by         uuid        REFERENCES users (id),
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    PRIMARY KEY (org_id, provider_slug)
);
-- the re-wrap pass after a rotation looks for the rows still under another master key
CREATE INDEX provider_keys_master_key ON provider_keys (master_key_id);

ALTER TABLE provider_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE provider_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON provider_keys
    USING (switchboard_tenant_visible(org_id)) WITH CHECK (switchboard_tenant_visible(org_id));

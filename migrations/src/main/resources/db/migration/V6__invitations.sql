-- Invitations to join an organization: e-mailed single-use links that expire, accepted by the person
-- signed in with the invited (verified) address. Only the SHA-256 of the token is stored.

CREATE TABLE invitations (
    token_hash   text        PRIMARY KEY CHECK (token_hash ~ '^[0-9a-f]{64}$'),
    org_id       uuid        NOT NULL REFERENCES organizations (id),
    email        text        NOT NULL CHECK (length(email) BETWEEN 3 AND 254 AND email = lower(email)),
    role         text        NOT NULL CHECK (role IN ('owner', 'admin', 'billing', 'member')),
    invited_by   uuid        NOT NULL REFERENCES users (id),
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    accepted_by  uuid        REFERENCES users (id),
    ended_at     timestamptz
);
CREATE INDEX invitations_org ON invitations (org_id) WHERE ended_at IS NULL;

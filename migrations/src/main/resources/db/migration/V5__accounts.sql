-- Accounts: the people who sign in to the dashboard, the organizations they belong to and in which role,
-- their signed-in sessions, the single-use links e-mailed to them, and the throttle of failed sign-ins.
-- Secrets are never stored: passwords as Argon2id hashes, link and session tokens as SHA-256 hex.

ALTER TABLE organizations ADD COLUMN is_personal boolean NOT NULL DEFAULT false;

CREATE TABLE users (
    id                 uuid PRIMARY KEY,
    -- kept lower-case, so that one address is one account whatever its spelling
    email              text        NOT NULL UNIQUE CHECK (length(email) BETWEEN 3 AND 254 AND email = lower(email)),
    display_name       text        NOT NULL CHECK (length(display_name) BETWEEN 1 AND 100),
    password_hash      text,
    email_verified_at  timestamptz,
    personal_org_id    uuid        NOT NULL UNIQUE REFERENCES organizations (id),
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL
);

CREATE TABLE memberships (
    org_id      uuid        NOT NULL REFERENCES organizations (id),
    user_id     uuid        NOT NULL REFERENCES users (id),
    role        text        NOT NULL CHECK (role IN ('owner', 'admin', 'billing', 'member')),
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (org_id, user_id)
);
CREATE INDEX memberships_user ON memberships (user_id);

CREATE TABLE user_sessions (
    token_hash    text        PRIMARY KEY CHECK (token_hash ~ '^[0-9a-f]{64}$'),
    user_id       uuid        NOT NULL REFERENCES users (id),
    created_at    timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL,
    ended_at      timestamptz
);
CREATE INDEX user_sessions_user ON user_sessions (user_id) WHERE ended_at IS NULL;

CREATE TABLE email_links (
    token_hash  text        PRIMARY KEY CHECK (token_hash ~ '^[0-9a-f]{64}$'),
    user_id     uuid        NOT NULL REFERENCES users (id),
    purpose     text        NOT NULL CHECK (purpose IN ('verify_email', 'reset_password')),
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz
);
CREATE INDEX email_links_user ON email_links (user_id, purpose) WHERE used_at IS NULL;

-- One row per throttled subject: an account (by the SHA-256 of its e-mail, known or not, so that the
-- throttle cannot tell which exist) or a client address. Shared by every instance.
CREATE TABLE sign_in_failures (
    subject       text        PRIMARY KEY CHECK (length(subject) BETWEEN 1 AND 100),
    failures      integer     NOT NULL CHECK (failures >= 0),
    window_start  timestamptz NOT NULL,
    blocked_until timestamptz
);

-- the member who created a key (null for keys made before accounts, by the operator or the API)
ALTER TABLE api_keys ADD COLUMN created_by uuid REFERENCES users (id);

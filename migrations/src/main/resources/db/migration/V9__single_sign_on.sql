-- Single sign-on: the identities at an OpenID Connect provider that sign in as a user (one user may have
-- several, one identity is one user), and organizations that refuse their members' password sign-in.

CREATE TABLE user_identities (
    issuer      text        NOT NULL CHECK (length(issuer) BETWEEN 1 AND 500),
    subject     text        NOT NULL CHECK (length(subject) BETWEEN 1 AND 255),
    user_id     uuid        NOT NULL REFERENCES users (id),
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (issuer, subject)
);
CREATE INDEX user_identities_user ON user_identities (user_id);

ALTER TABLE organizations ADD COLUMN require_sso boolean NOT NULL DEFAULT false;

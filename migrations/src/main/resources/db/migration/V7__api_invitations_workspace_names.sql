-- Invitations can come from a management key (the members API) as well as from a member: exactly one of
-- the two is recorded. Workspace names are unique within their organization, whatever their case.

ALTER TABLE invitations ALTER COLUMN invited_by DROP NOT NULL;
ALTER TABLE invitations ADD COLUMN invited_by_key text REFERENCES api_keys (hash);
ALTER TABLE invitations ADD CONSTRAINT invitations_one_inviter
    CHECK ((invited_by IS NULL) <> (invited_by_key IS NULL));

CREATE UNIQUE INDEX workspaces_name_per_org ON workspaces (org_id, lower(name));

-- The platform operator can disable an organization: its keys stop working (the gateway and the
-- management API refuse them) until it is enabled again. Nothing of it is deleted.

ALTER TABLE organizations ADD COLUMN disabled_at timestamptz;

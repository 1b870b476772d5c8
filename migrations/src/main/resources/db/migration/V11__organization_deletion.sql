-- An owner can delete a team organization. Its history stays (the ledger is append-only, generations
-- are its usage record), so the row stays too, marked deleted: its keys are deleted with it, its
-- members removed and its invitations ended, and nobody can reach it any more.

ALTER TABLE organizations ADD COLUMN deleted_at timestamptz;

-- Requests through an organization's own provider keys (BYOK). The provider bills the organization
-- directly; Switchboard charges a fee on the list price once the organization's monthly allowance of
-- such requests is used, counted in the rate windows under 'byok-month:<org>' (a UTC month). A BYOK
-- generation's cost is that fee; what the provider charged at list price is kept beside it.

ALTER TABLE rate_windows DROP CONSTRAINT rate_windows_subject_check;
ALTER TABLE rate_windows ADD CONSTRAINT rate_windows_subject_check
    CHECK (subject ~ '^(key|org|free-minute|free-day|byok-month):[0-9a-f-]{36}$');

-- null for rows written before: their upstream cost is their cost
ALTER TABLE generations ADD COLUMN upstream_cost_nanos bigint CHECK (upstream_cost_nanos >= 0);

-- An organization account keeps what ever came in and what ever went out next to its balance, in the
-- same update, so that reading them (GET /credits) no longer sums every entry the account ever had.

ALTER TABLE ledger_accounts
    ADD COLUMN total_in_nanos  bigint NOT NULL DEFAULT 0 CHECK (total_in_nanos >= 0),
    ADD COLUMN total_out_nanos bigint NOT NULL DEFAULT 0 CHECK (total_out_nanos >= 0);

UPDATE ledger_accounts a SET
    total_in_nanos  = coalesce((SELECT sum(amount_nanos) FROM ledger_entries e
                                 WHERE e.account_id = a.id AND e.amount_nanos > 0), 0),
    total_out_nanos = coalesce((SELECT -sum(amount_nanos) FROM ledger_entries e
                                 WHERE e.account_id = a.id AND e.amount_nanos < 0), 0)
 WHERE org_id IS NOT NULL;

CREATE OR REPLACE FUNCTION ledger_apply_entry() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE ledger_accounts SET
        balance_nanos   = balance_nanos + NEW.amount_nanos,
        total_in_nanos  = total_in_nanos + greatest(NEW.amount_nanos, 0),
        total_out_nanos = total_out_nanos + greatest(-NEW.amount_nanos, 0)
     WHERE id = NEW.account_id AND org_id IS NOT NULL;
    RETURN NEW;
END $$;

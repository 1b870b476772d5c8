-- Free-tier quotas: requests to ':free' models per organization, in a UTC minute and in a UTC day. The
-- same rate windows hold them, under their own subjects ('free-minute:<org>', 'free-day:<org>'), so a
-- window now records where it ends: a day's window must outlive the minutes purged around it.

ALTER TABLE rate_windows DROP CONSTRAINT rate_windows_subject_check;
ALTER TABLE rate_windows ADD CONSTRAINT rate_windows_subject_check
    CHECK (subject ~ '^(key|org|free-minute|free-day):[0-9a-f-]{36}$');

ALTER TABLE rate_windows ADD COLUMN window_end timestamptz;
UPDATE rate_windows SET window_end = window_start + interval '1 minute';
ALTER TABLE rate_windows ALTER COLUMN window_end SET NOT NULL;
ALTER TABLE rate_windows ADD CHECK (window_end > window_start);
DROP INDEX rate_windows_start;
CREATE INDEX rate_windows_end ON rate_windows (window_end);

DROP FUNCTION switchboard_rate_take(text, uuid, timestamptz, integer, integer);

-- As before (V21), with the window's end recorded when its row is made.
CREATE FUNCTION switchboard_rate_take(
    p_subject text, p_org uuid, p_window timestamptz, p_window_end timestamptz, p_limit integer,
    p_want integer, OUT taken integer, OUT granted integer)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    PERFORM set_config('synchronous_commit', 'off', true);
    INSERT INTO rate_windows (subject, window_start, window_end, org_id, granted)
    VALUES (p_subject, p_window, p_window_end, p_org, 0)
    ON CONFLICT (subject, window_start) DO NOTHING;
    SELECT w.granted INTO granted FROM rate_windows w
     WHERE w.subject = p_subject AND w.window_start = p_window FOR UPDATE;
    taken := greatest(0, least(p_want, p_limit - granted));
    IF taken > 0 THEN
        UPDATE rate_windows w SET granted = w.granted + taken
         WHERE w.subject = p_subject AND w.window_start = p_window;
        granted := granted + taken;
    END IF;
END $$;

-- Whether an organization ever bought credits is read with its key at authentication (the free tier's
-- daily quota depends on it): its purchases, without walking its usage transactions.
CREATE INDEX ledger_transactions_org_purchases ON ledger_transactions (org_id) WHERE kind = 'purchase';

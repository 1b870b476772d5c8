-- Request rate limits: requests per minute on a key (set with the key) and on an organization (set by
-- the operator). Minutes are fixed UTC windows. Each instance takes a share of a window's requests from
-- rate_windows (a chunk at a time, not a round trip per request) and admits requests against it, so that
-- instances sharing the database never together admit more than the limit in a window.

ALTER TABLE api_keys ADD COLUMN rate_limit_rpm integer CHECK (rate_limit_rpm BETWEEN 1 AND 1000000);
ALTER TABLE organizations ADD COLUMN rate_limit_rpm integer CHECK (rate_limit_rpm BETWEEN 1 AND 1000000);

-- What the instances took of a subject's window ('key:<id>' or 'org:<id>').
CREATE TABLE rate_windows (
    subject       text        NOT NULL CHECK (subject ~ '^(key|org):[0-9a-f-]{36}$'),
    window_start  timestamptz NOT NULL,
    org_id        uuid        NOT NULL REFERENCES organizations (id),
    granted       integer     NOT NULL CHECK (granted >= 0),
    PRIMARY KEY (subject, window_start)
);
CREATE INDEX rate_windows_start ON rate_windows (window_start);

ALTER TABLE rate_windows ENABLE ROW LEVEL SECURITY;
ALTER TABLE rate_windows FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON rate_windows
    USING (switchboard_tenant_visible(org_id)) WITH CHECK (switchboard_tenant_visible(org_id));

-- Takes up to p_want of the window's requests for an instance, within p_limit: how many it got (0: the
-- window is used up) and how many the window has granted in all since. The row lock makes concurrent
-- takers queue. Commits asynchronously, as a spend lease does: a grant lost in a database crash only lets
-- that many requests be admitted again.
CREATE FUNCTION switchboard_rate_take(
    p_subject text, p_org uuid, p_window timestamptz, p_limit integer, p_want integer,
    OUT taken integer, OUT granted integer)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    PERFORM set_config('synchronous_commit', 'off', true);
    INSERT INTO rate_windows (subject, window_start, org_id, granted)
    VALUES (p_subject, p_window, p_org, 0)
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

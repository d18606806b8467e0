-- Handoff schema, version 4: teams and people as routing sees them. A team is a row of its own (its assignment mode,
-- working hours, offer timeouts, overflow team and supervisor); a person's routing profile (skills, languages,
-- capacity) and presence (what they chose, when, and when a dashboard last saw them) are columns of their user.

-- JSON arrays of lowercase tokens, like teams.
ALTER TABLE users ADD COLUMN skills TEXT NOT NULL DEFAULT '[]';
ALTER TABLE users ADD COLUMN languages TEXT NOT NULL DEFAULT '[]';
ALTER TABLE users ADD COLUMN capacity INTEGER NOT NULL DEFAULT 5;
-- What the person chose ('online', 'away', 'offline') and when; last_seen_at is renewed by their open dashboard and
-- never audited (like cases.claim_seen_at).
ALTER TABLE users ADD COLUMN presence TEXT NOT NULL DEFAULT 'offline';
ALTER TABLE users ADD COLUMN presence_at TEXT;
ALTER TABLE users ADD COLUMN last_seen_at TEXT;

CREATE TABLE teams (
    workspace_id           TEXT NOT NULL REFERENCES workspaces (id),
    name                   TEXT NOT NULL,
    display_name           TEXT NOT NULL,
    mode                   TEXT NOT NULL,
    -- JSON ({"timeZone", "week", "closures"}); NULL works around the clock.
    working_hours          TEXT,
    accept_timeout_ms      INTEGER NOT NULL,
    idle_claim_timeout_ms  INTEGER,
    overflow_team          TEXT,
    supervisor_id          TEXT,
    created_at             TEXT NOT NULL,
    updated_at             TEXT NOT NULL,
    PRIMARY KEY (workspace_id, name)
) STRICT;

CREATE TABLE routing_settings (
    workspace_id    TEXT NOT NULL PRIMARY KEY REFERENCES workspaces (id),
    queued_weight   INTEGER NOT NULL,
    live_weight     INTEGER NOT NULL,
    away_after_ms   INTEGER NOT NULL,
    changed_at      TEXT NOT NULL
) STRICT;

-- The teams people were already given existed only as names on them; they become teams of their own, in pull mode
-- (people take cases, as they did before), so that nobody's team list names a team that is not there. These rows
-- carry no audit entry: the names were audited when they were given to people.
INSERT INTO teams (workspace_id, name, display_name, mode, accept_timeout_ms, created_at, updated_at)
SELECT u.workspace_id, t.value, t.value, 'pull', 30000, min(u.created_at), min(u.created_at)
FROM users u, json_each(u.teams) t
WHERE t.type = 'text'
GROUP BY u.workspace_id, t.value;

-- Handoff schema for PostgreSQL, version 3 (SQLite's version 4): teams and people as routing sees them. A team is a
-- row of its own (its assignment mode, working hours, offer timeouts, overflow team and supervisor); a person's
-- routing profile (skills, languages, capacity) and presence (what they chose, when, and when a dashboard last saw
-- them) are columns of their user.

-- JSON arrays of lowercase tokens, like teams.
ALTER TABLE users ADD COLUMN skills text NOT NULL DEFAULT '[]';
ALTER TABLE users ADD COLUMN languages text NOT NULL DEFAULT '[]';
ALTER TABLE users ADD COLUMN capacity integer NOT NULL DEFAULT 5;
-- What the person chose ('online', 'away', 'offline') and when; last_seen_at is renewed by their open dashboard and
-- never audited (like cases.claim_seen_at).
ALTER TABLE users ADD COLUMN presence text NOT NULL DEFAULT 'offline';
ALTER TABLE users ADD COLUMN presence_at text COLLATE "C";
ALTER TABLE users ADD COLUMN last_seen_at text COLLATE "C";

CREATE TABLE teams (
    workspace_id           text NOT NULL REFERENCES workspaces (id),
    name                   text COLLATE "C" NOT NULL,
    display_name           text NOT NULL,
    mode                   text NOT NULL,
    -- JSON ({"timeZone", "week", "closures"}); NULL works around the clock.
    working_hours          text,
    accept_timeout_ms      bigint NOT NULL,
    idle_claim_timeout_ms  bigint,
    overflow_team          text COLLATE "C",
    supervisor_id          text,
    created_at             text COLLATE "C" NOT NULL,
    updated_at             text COLLATE "C" NOT NULL,
    PRIMARY KEY (workspace_id, name)
);

CREATE TABLE routing_settings (
    workspace_id    text NOT NULL PRIMARY KEY REFERENCES workspaces (id),
    queued_weight   integer NOT NULL,
    live_weight     integer NOT NULL,
    away_after_ms   bigint NOT NULL,
    changed_at      text COLLATE "C" NOT NULL
);

-- The teams people were already given existed only as names on them; they become teams of their own, in pull mode
-- (people take cases, as they did before), so that nobody's team list names a team that is not there. These rows
-- carry no audit entry: the names were audited when they were given to people.
INSERT INTO teams (workspace_id, name, display_name, mode, accept_timeout_ms, created_at, updated_at)
SELECT u.workspace_id, t.value, t.value, 'pull', 30000, min(u.created_at), min(u.created_at)
FROM users u CROSS JOIN LATERAL jsonb_array_elements_text(u.teams::jsonb) AS t(value)
GROUP BY u.workspace_id, t.value;

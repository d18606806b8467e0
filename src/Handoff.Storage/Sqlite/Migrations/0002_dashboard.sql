-- Handoff schema, version 2: what the web dashboard needs. Nothing here touches the insert of a closed case (the
-- auto path): the inbox index is partial, so auto-approved and blocked cases never enter it.

-- Dashboard accounts. Emails are unique across the store ignoring (ASCII) case, and kept as given.
CREATE TABLE users (
    id               TEXT NOT NULL PRIMARY KEY,
    workspace_id     TEXT NOT NULL REFERENCES workspaces (id),
    email            TEXT NOT NULL,
    name             TEXT NOT NULL,
    role             TEXT NOT NULL,
    -- A JSON array of team names.
    teams            TEXT NOT NULL,
    password_hash    TEXT NOT NULL,
    failed_sign_ins  INTEGER NOT NULL DEFAULT 0,
    locked_until     TEXT,
    created_at       TEXT NOT NULL,
    disabled_at      TEXT
) STRICT;

CREATE UNIQUE INDEX ux_users_email ON users (lower(email));
CREATE INDEX ix_users_workspace ON users (workspace_id, name);

-- The inbox: open cases only, in the order the inbox lists them (most urgent, then oldest), so listing it reads
-- the first rows of the index and sorts nothing.
CREATE INDEX ix_cases_open ON cases (workspace_id, priority DESC, created_at, seq)
    WHERE status IN ('pending', 'assigned', 'escalated');

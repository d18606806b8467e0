-- Handoff schema, version 1. Timestamps are ISO-8601 text in UTC ("O" format, fixed width), so they sort as text.
-- A case's full state is its JSON document; the other case columns exist to filter, order and enforce uniqueness.

CREATE TABLE workspaces (
    id          TEXT NOT NULL PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL
) STRICT;

CREATE TABLE api_keys (
    id            TEXT NOT NULL PRIMARY KEY,
    workspace_id  TEXT NOT NULL REFERENCES workspaces (id),
    name          TEXT NOT NULL,
    role          TEXT NOT NULL,
    hash          TEXT NOT NULL UNIQUE,
    created_at    TEXT NOT NULL,
    revoked_at    TEXT
) STRICT;

CREATE TABLE policies (
    workspace_id  TEXT NOT NULL REFERENCES workspaces (id),
    version       INTEGER NOT NULL,
    source        TEXT NOT NULL,
    published_at  TEXT NOT NULL,
    published_by  TEXT NOT NULL,
    PRIMARY KEY (workspace_id, version)
) STRICT;

CREATE TABLE autonomy (
    workspace_id  TEXT NOT NULL PRIMARY KEY REFERENCES workspaces (id),
    enabled       INTEGER NOT NULL,
    reason        TEXT,
    changed_by    TEXT,
    changed_at    TEXT
) STRICT;

-- seq never repeats (AUTOINCREMENT), so it is a stable keyset cursor for "newest first".
CREATE TABLE cases (
    seq              INTEGER PRIMARY KEY AUTOINCREMENT,
    id               TEXT NOT NULL UNIQUE,
    workspace_id     TEXT NOT NULL REFERENCES workspaces (id),
    status           TEXT NOT NULL,
    team             TEXT NOT NULL,
    priority         INTEGER NOT NULL,
    outcome          TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    -- Set only while the case is open and has a deadline, so the expiry index holds exactly the cases to expire.
    expires_at       TEXT,
    idempotency_key  TEXT,
    assigned_to_id   TEXT,
    document         TEXT NOT NULL
) STRICT;

CREATE UNIQUE INDEX ux_cases_idempotency ON cases (workspace_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX ix_cases_workspace ON cases (workspace_id, seq);
CREATE INDEX ix_cases_status ON cases (workspace_id, status, seq);
CREATE INDEX ix_cases_team ON cases (workspace_id, team, seq);
CREATE INDEX ix_cases_expiry ON cases (expires_at) WHERE expires_at IS NOT NULL;

-- One hash chain across all workspaces: seq is the chain's sequence, assigned by the writer, never reused.
CREATE TABLE audit (
    seq           INTEGER PRIMARY KEY,
    workspace_id  TEXT NOT NULL,
    at            TEXT NOT NULL,
    actor_kind    TEXT NOT NULL,
    actor_id      TEXT NOT NULL,
    actor_name    TEXT NOT NULL,
    action        TEXT NOT NULL,
    subject       TEXT NOT NULL,
    data          TEXT NOT NULL,
    prev_hash     TEXT NOT NULL,
    hash          TEXT NOT NULL
) STRICT;

CREATE INDEX ix_audit_subject ON audit (workspace_id, subject);

-- Append-only by construction. Someone with the file can drop these; the hash chain is what detects that.
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

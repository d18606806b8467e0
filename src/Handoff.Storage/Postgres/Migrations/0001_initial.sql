-- Handoff schema for PostgreSQL, version 1: the same tables as SQLite's versions 1 and 2, so one set of statements
-- serves both backends. Times are ISO-8601 text in UTC ("O" format, fixed width), exact to the tick (the audit
-- chain hashes them as text); the "C" collation makes them sort as bytes, whatever the database's locale.
-- A case's full state is its JSON document; the other case columns exist to filter, order and enforce uniqueness.

CREATE TABLE workspaces (
    id          text NOT NULL PRIMARY KEY,
    name        text NOT NULL UNIQUE,
    created_at  text COLLATE "C" NOT NULL
);

CREATE TABLE api_keys (
    -- Orders keys created in the same tick by insertion (SQLite's rowid).
    seq           bigint GENERATED ALWAYS AS IDENTITY,
    id            text NOT NULL PRIMARY KEY,
    workspace_id  text NOT NULL REFERENCES workspaces (id),
    name          text NOT NULL,
    role          text NOT NULL,
    hash          text NOT NULL UNIQUE,
    created_at    text COLLATE "C" NOT NULL,
    revoked_at    text COLLATE "C"
);

CREATE INDEX ix_api_keys_workspace ON api_keys (workspace_id);

CREATE TABLE policies (
    workspace_id  text NOT NULL REFERENCES workspaces (id),
    version       integer NOT NULL,
    source        text NOT NULL,
    published_at  text COLLATE "C" NOT NULL,
    published_by  text NOT NULL,
    PRIMARY KEY (workspace_id, version)
);

CREATE TABLE autonomy (
    workspace_id  text NOT NULL PRIMARY KEY REFERENCES workspaces (id),
    enabled       boolean NOT NULL,
    reason        text,
    changed_by    text,
    changed_at    text COLLATE "C"
);

-- seq never repeats, so it is a stable keyset cursor for "newest first".
CREATE TABLE cases (
    seq              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id               text NOT NULL UNIQUE,
    workspace_id     text NOT NULL REFERENCES workspaces (id),
    status           text NOT NULL,
    team             text NOT NULL,
    priority         integer NOT NULL,
    outcome          text NOT NULL,
    created_at       text COLLATE "C" NOT NULL,
    updated_at       text COLLATE "C" NOT NULL,
    -- Set only while the case is open and has a deadline, so the expiry index holds exactly the cases to expire.
    expires_at       text COLLATE "C",
    idempotency_key  text,
    assigned_to_id   text,
    document         text NOT NULL
);

CREATE UNIQUE INDEX ux_cases_idempotency ON cases (workspace_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX ix_cases_workspace ON cases (workspace_id, seq);
CREATE INDEX ix_cases_status ON cases (workspace_id, status, seq);
CREATE INDEX ix_cases_team ON cases (workspace_id, team, seq);
CREATE INDEX ix_cases_expiry ON cases (expires_at) WHERE expires_at IS NOT NULL;
-- The inbox: open cases only, in the order the inbox lists them (most urgent, then oldest).
CREATE INDEX ix_cases_open ON cases (workspace_id, priority DESC, created_at, seq)
    WHERE status IN ('pending', 'assigned', 'escalated');

-- One hash chain across all workspaces and nodes: seq is the chain's sequence, assigned by the writer holding the
-- write lock (pg_advisory_xact_lock), never reused.
CREATE TABLE audit (
    seq           bigint NOT NULL PRIMARY KEY,
    workspace_id  text NOT NULL,
    at            text COLLATE "C" NOT NULL,
    actor_kind    text NOT NULL,
    actor_id      text NOT NULL,
    actor_name    text NOT NULL,
    action        text NOT NULL,
    subject       text NOT NULL,
    data          text NOT NULL,
    prev_hash     text NOT NULL,
    hash          text NOT NULL
);

CREATE INDEX ix_audit_subject ON audit (workspace_id, subject);

-- Append-only by construction. Someone who owns the table can drop this; the hash chain is what detects that.
CREATE FUNCTION handoff_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only';
END
$$;

CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit
    FOR EACH ROW EXECUTE FUNCTION handoff_audit_append_only();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
    FOR EACH STATEMENT EXECUTE FUNCTION handoff_audit_append_only();

-- Dashboard accounts. Emails are unique across the store ignoring (ASCII) case, and kept as given.
CREATE TABLE users (
    id               text NOT NULL PRIMARY KEY,
    workspace_id     text NOT NULL REFERENCES workspaces (id),
    email            text COLLATE "C" NOT NULL,
    name             text COLLATE "C" NOT NULL,
    role             text NOT NULL,
    -- A JSON array of team names.
    teams            text NOT NULL,
    password_hash    text NOT NULL,
    failed_sign_ins  integer NOT NULL DEFAULT 0,
    locked_until     text COLLATE "C",
    created_at       text COLLATE "C" NOT NULL,
    disabled_at      text COLLATE "C"
);

CREATE UNIQUE INDEX ux_users_email ON users (lower(email));
CREATE INDEX ix_users_workspace ON users (workspace_id, name);

-- The ASP.NET Core data-protection key ring, shared by every node so that a cookie or form token made on one node is
-- read on any other.
CREATE TABLE data_protection_keys (
    name  text NOT NULL PRIMARY KEY,
    xml   text NOT NULL
);

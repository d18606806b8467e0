-- Handoff schema, version 7: the outbox. Events are read off the audit log, whose entries are written in the same
-- transaction as the changes they record; the dispatcher fans each out to its destinations (rows of outbox) and
-- advances its position in the log in the same transaction, so no event is lost or fanned out twice. Delivery
-- workers lease due rows (next_at moves on by the lease, so a node that dies mid-delivery leaves the row due again),
-- attempt them and log each attempt.

-- Per-workspace integrations ('slack', 'teams', 'callback'): a JSON document that may hold secrets, so it is never
-- audited in full.
CREATE TABLE integrations (
    workspace_id  TEXT NOT NULL REFERENCES workspaces (id),
    kind          TEXT NOT NULL,
    config        TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    PRIMARY KEY (workspace_id, kind)
) STRICT;

CREATE TABLE webhook_endpoints (
    id               TEXT NOT NULL PRIMARY KEY,
    workspace_id     TEXT NOT NULL REFERENCES workspaces (id),
    url              TEXT NOT NULL,
    description      TEXT,
    -- JSON arrays: the event types, and the secrets ({secret, createdAt, expiresAt}) newest first.
    event_types      TEXT NOT NULL,
    secrets          TEXT NOT NULL,
    disabled_at      TEXT,
    disabled_reason  TEXT,
    failing_since    TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
) STRICT;

CREATE INDEX ix_webhook_endpoints_workspace ON webhook_endpoints (workspace_id);

CREATE TABLE outbox (
    id               TEXT NOT NULL PRIMARY KEY,
    event_id         TEXT NOT NULL,
    event_type       TEXT NOT NULL,
    workspace_id     TEXT NOT NULL,
    case_id          TEXT,
    channel          TEXT NOT NULL,
    target           TEXT NOT NULL,
    body             TEXT NOT NULL,
    -- 'pending', 'delivered', 'failed', 'cancelled'; next_at is set only while pending.
    status           TEXT NOT NULL,
    attempts         INTEGER NOT NULL,
    next_at          TEXT,
    leased_by        TEXT,
    last_status      INTEGER,
    last_error       TEXT,
    reference        TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    UNIQUE (event_id, channel, target)
) STRICT;

CREATE INDEX ix_outbox_due ON outbox (next_at) WHERE next_at IS NOT NULL;
CREATE INDEX ix_outbox_target ON outbox (workspace_id, channel, target, id);
CREATE INDEX ix_outbox_case ON outbox (case_id, channel) WHERE case_id IS NOT NULL;

CREATE TABLE outbox_attempts (
    delivery_id      TEXT NOT NULL REFERENCES outbox (id),
    number           INTEGER NOT NULL,
    at               TEXT NOT NULL,
    delivered        INTEGER NOT NULL,
    status_code      INTEGER,
    latency_ms       INTEGER NOT NULL,
    error            TEXT,
    response_excerpt TEXT,
    PRIMARY KEY (delivery_id, number)
) STRICT;

-- How far the dispatcher has read the audit log. A database that already has a log starts at its end: events are
-- what happens from now on, not a replay of the past.
CREATE TABLE outbox_position (
    name      TEXT NOT NULL PRIMARY KEY,
    position  INTEGER NOT NULL
) STRICT;

INSERT INTO outbox_position (name, position) SELECT 'dispatcher', coalesce(max(seq), 0) FROM audit;

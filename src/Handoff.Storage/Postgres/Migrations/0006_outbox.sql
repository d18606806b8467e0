-- Handoff schema for PostgreSQL, version 6 (SQLite's version 7): the outbox. Events are read off the audit log,
-- whose entries are written in the same transaction as the changes they record; the dispatcher fans each out to its destinations (rows of outbox) and
-- advances its position in the log in the same transaction, so no event is lost or fanned out twice. Delivery
-- workers lease due rows (next_at moves on by the lease, so a node that dies mid-delivery leaves the row due again),
-- attempt them and log each attempt.

-- Per-workspace integrations ('slack', 'teams', 'callback'): a JSON document that may hold secrets, so it is never
-- audited in full.
CREATE TABLE integrations (
    workspace_id  text NOT NULL REFERENCES workspaces (id),
    kind          text NOT NULL,
    config        text NOT NULL,
    updated_at    text COLLATE "C" NOT NULL,
    PRIMARY KEY (workspace_id, kind)
);

CREATE TABLE webhook_endpoints (
    id               text COLLATE "C" NOT NULL PRIMARY KEY,
    workspace_id     text NOT NULL REFERENCES workspaces (id),
    url              text NOT NULL,
    description      text,
    -- JSON arrays: the event types, and the secrets ({secret, createdAt, expiresAt}) newest first.
    event_types      text NOT NULL,
    secrets          text NOT NULL,
    disabled_at      text COLLATE "C",
    disabled_reason  text,
    failing_since    text COLLATE "C",
    created_at       text COLLATE "C" NOT NULL,
    updated_at       text COLLATE "C" NOT NULL
);

CREATE INDEX ix_webhook_endpoints_workspace ON webhook_endpoints (workspace_id);

CREATE TABLE outbox (
    id               text COLLATE "C" NOT NULL PRIMARY KEY,
    event_id         text COLLATE "C" NOT NULL,
    event_type       text NOT NULL,
    workspace_id     text NOT NULL,
    case_id          text,
    channel          text NOT NULL,
    target           text COLLATE "C" NOT NULL,
    body             text NOT NULL,
    -- 'pending', 'delivered', 'failed', 'cancelled'; next_at is set only while pending.
    status           text NOT NULL,
    attempts         integer NOT NULL,
    next_at          text COLLATE "C",
    leased_by        text,
    last_status      integer,
    last_error       text,
    reference        text,
    created_at       text COLLATE "C" NOT NULL,
    updated_at       text COLLATE "C" NOT NULL,
    UNIQUE (event_id, channel, target)
);

CREATE INDEX ix_outbox_due ON outbox (next_at) WHERE next_at IS NOT NULL;
CREATE INDEX ix_outbox_target ON outbox (workspace_id, channel, target, id);
CREATE INDEX ix_outbox_case ON outbox (case_id, channel) WHERE case_id IS NOT NULL;

CREATE TABLE outbox_attempts (
    delivery_id      text NOT NULL REFERENCES outbox (id),
    number           integer NOT NULL,
    at               text COLLATE "C" NOT NULL,
    delivered        boolean NOT NULL,
    status_code      integer,
    latency_ms       integer NOT NULL,
    error            text,
    response_excerpt text,
    PRIMARY KEY (delivery_id, number)
);

-- How far the dispatcher has read the audit log. A database that already has a log starts at its end: events are
-- what happens from now on, not a replay of the past.
CREATE TABLE outbox_position (
    name      text NOT NULL PRIMARY KEY,
    position  bigint NOT NULL
);

INSERT INTO outbox_position (name, position) SELECT 'dispatcher', coalesce(max(seq), 0) FROM audit;

-- Handoff schema for PostgreSQL, version 8 (SQLite's version 9): the decision ledger that learning reads (precedents,
-- agreement statistics, the learned gate). One row per case a person decided, written in the same transaction as the
-- decision. rules is a JSON array of the rule ids that asked for a person. Full-text search through a generated
-- tsvector ('simple': no stemming, the same words as SQLite's unicode61) and a GIN index.
CREATE TABLE decisions (
    seq           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id       text COLLATE "C" NOT NULL UNIQUE,
    workspace_id  text NOT NULL REFERENCES workspaces (id),
    created_at    text COLLATE "C" NOT NULL,
    decided_at    text COLLATE "C" NOT NULL,
    kind          text NOT NULL,
    action        text,
    intent        text,
    rules         text NOT NULL,
    confidence    double precision,
    verdict       text NOT NULL,
    decided_by    text,
    text          text NOT NULL,
    words         tsvector GENERATED ALWAYS AS (to_tsvector('simple', text)) STORED
);

CREATE INDEX ix_decisions_workspace ON decisions (workspace_id, decided_at);
CREATE INDEX ix_decisions_words ON decisions USING GIN (words);

-- Handoff schema for PostgreSQL, version 9 (SQLite's version 10): the learned gate. decisions.sample marks the ledger
-- rows that belong to the gate's unbiased sample; qa_checks is the QA queue of cases approved without a person that
-- were drawn for an after-the-fact check (agreed null while waiting). See the SQLite migration for the details.
ALTER TABLE decisions ADD COLUMN sample integer NOT NULL DEFAULT 1;

CREATE TABLE qa_checks (
    case_id       text COLLATE "C" PRIMARY KEY,
    workspace_id  text NOT NULL REFERENCES workspaces (id),
    source        text NOT NULL,
    created_at    text COLLATE "C" NOT NULL,
    checked_at    text COLLATE "C",
    agreed        integer
);

CREATE INDEX ix_qa_checks_waiting ON qa_checks (workspace_id, checked_at, created_at);

-- Handoff schema for PostgreSQL, version 10 (SQLite's version 11): sentence embeddings of the decision ledger's text,
-- written in the background after the decision. See the SQLite migration for the details.
CREATE TABLE decision_embeddings (
    model   text COLLATE "C" NOT NULL,
    seq     bigint NOT NULL REFERENCES decisions (seq),
    vector  bytea NOT NULL,
    PRIMARY KEY (model, seq)
);

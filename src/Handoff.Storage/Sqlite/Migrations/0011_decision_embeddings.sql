-- Handoff schema, version 11: sentence embeddings of the decision ledger's text, written in the background after the
-- decision (embedding takes milliseconds of CPU a request thread should not wait for). One row per ledger row and
-- model; vector holds the model's unit vector as little-endian 4-byte floats. Precedents re-rank their full-text
-- matches by these vectors' cosine similarity to the case in front of a person.
CREATE TABLE decision_embeddings (
    model   TEXT NOT NULL,
    seq     INTEGER NOT NULL REFERENCES decisions (seq),
    vector  BLOB NOT NULL,
    PRIMARY KEY (model, seq)
) STRICT, WITHOUT ROWID;

-- Handoff schema, version 9: the decision ledger that learning reads (precedents, agreement statistics, the learned
-- gate). One row per case a person decided, written in the same transaction as the decision; the case's document
-- stays the record of everything else. rules is a JSON array of the rule ids that asked for a person.
CREATE TABLE decisions (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id       TEXT NOT NULL UNIQUE,
    workspace_id  TEXT NOT NULL REFERENCES workspaces (id),
    created_at    TEXT NOT NULL,
    decided_at    TEXT NOT NULL,
    kind          TEXT NOT NULL,
    action        TEXT,
    intent        TEXT,
    rules         TEXT NOT NULL,
    confidence    REAL,
    verdict       TEXT NOT NULL,
    decided_by    TEXT,
    text          TEXT NOT NULL
) STRICT;

CREATE INDEX ix_decisions_workspace ON decisions (workspace_id, decided_at);

-- Full-text search over the ledger's text (FTS5, an external-content table: the text is stored once, in decisions).
CREATE VIRTUAL TABLE decisions_fts USING fts5 (text, content = 'decisions', content_rowid = 'seq', tokenize = 'unicode61 remove_diacritics 2');

-- How many ledger rows hold each word: a precedent search asks for its rarest words first (see RelationalHandoffStore.Learning).
CREATE VIRTUAL TABLE decisions_fts_vocab USING fts5vocab (decisions_fts, 'row');

CREATE TRIGGER decisions_fts_insert AFTER INSERT ON decisions BEGIN
    INSERT INTO decisions_fts (rowid, text) VALUES (new.seq, new.text);
END;

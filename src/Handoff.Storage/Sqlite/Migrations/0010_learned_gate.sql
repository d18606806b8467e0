-- Handoff schema, version 10: the learned gate. decisions.sample marks the ledger rows that belong to the gate's
-- unbiased sample (see DecisionRecord.Sample; every decision before the gate is). qa_checks is the QA queue: the cases
-- approved without a person that were drawn for an after-the-fact check, and the check once made (agreed: 1 when the
-- person would have approved unchanged, 0 when not; null while waiting). source: 'learned' (the gate approved it) or
-- 'auto' (the policy did).
ALTER TABLE decisions ADD COLUMN sample INTEGER NOT NULL DEFAULT 1;

CREATE TABLE qa_checks (
    case_id       TEXT PRIMARY KEY,
    workspace_id  TEXT NOT NULL REFERENCES workspaces (id),
    source        TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    checked_at    TEXT,
    agreed        INTEGER
) STRICT;

CREATE INDEX ix_qa_checks_waiting ON qa_checks (workspace_id, checked_at, created_at);

-- Handoff schema for PostgreSQL, version 5 (SQLite's version 6): SLAs acted on. sla_next_at is the instant of an open
-- case's next SLA event (its warning, its breach, or the breach ladder's next rung), NULL when it has none left or is
-- closed, so the partial index holds exactly the cases the SLA worker will visit. Cases stored before this version
-- have no SLA and stay NULL.
ALTER TABLE cases ADD COLUMN sla_next_at text COLLATE "C";

CREATE INDEX ix_cases_sla_next ON cases (sla_next_at) WHERE sla_next_at IS NOT NULL;

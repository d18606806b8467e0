-- Handoff schema for PostgreSQL, version 2 (SQLite's version 3): when the person holding a case was last seen on
-- the dashboard. Set while a person (actor kind 'user') holds an open case, renewed by their open dashboard, cleared
-- by a release or a decision; a claim not seen for the grace period goes back to the queue. API-key claims never
-- carry it.
ALTER TABLE cases ADD COLUMN claim_seen_at text COLLATE "C";

-- Claims people made before this version count as seen at their last change, so abandoned ones are released once
-- the grace period has passed, and those still worked on are renewed by their open dashboards meanwhile.
UPDATE cases SET claim_seen_at = updated_at
WHERE status IN ('pending', 'assigned', 'escalated') AND (document::jsonb -> 'assignedTo' ->> 'kind') = 'user';

CREATE INDEX ix_cases_claim_seen ON cases (claim_seen_at) WHERE claim_seen_at IS NOT NULL;

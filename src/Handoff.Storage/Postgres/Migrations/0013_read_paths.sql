-- Two reads that walked more rows the longer the database lived.
--
-- The expected wait of a new case reads the team's recent pick-ups (ListRecentPickupsAsync). Through the team's index
-- by seq that read walked back over every case of the team nobody took (auto-approved ones, a backlog) until it found
-- enough taken ones: the team's whole history, on every submission a person must see. This index holds only cases a
-- person took, in the order the read wants them.
CREATE INDEX ix_cases_pickups ON cases (workspace_id, team, updated_at) WHERE assigned_to_id IS NOT NULL;

-- The roll-ups and the overview ask of each case whether it ran out of time (a case.expired entry). PostgreSQL's planner
-- answered that by reading the whole audit log once per batch; the few expiries get an index of their own.
CREATE INDEX ix_audit_expired ON audit (workspace_id, subject) WHERE action = 'case.expired';

-- The overview's roll-ups: for each workspace and UTC day of creation, the numbers of its cases that are closed (a
-- DayTotals as JSON), and how far into the audit log the roll-ups have got. They start at the beginning of the log:
-- the roll-up worker fills them in from the cases already stored.
CREATE TABLE daily_totals (
    workspace_id  TEXT NOT NULL,
    day           TEXT NOT NULL,
    totals        TEXT NOT NULL,
    PRIMARY KEY (workspace_id, day)
) STRICT;

CREATE TABLE daily_totals_position (
    id        INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    position  INTEGER NOT NULL
) STRICT;

INSERT INTO daily_totals_position (id, position) VALUES (1, 0);

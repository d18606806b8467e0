-- The overview's roll-ups: for each workspace and UTC day of creation, the numbers of its cases that are closed (a
-- DayTotals as JSON), and how far into the audit log the roll-ups have got. They start at the beginning of the log:
-- the roll-up worker fills them in from the cases already stored.
CREATE TABLE daily_totals (
    workspace_id  text NOT NULL,
    day           text COLLATE "C" NOT NULL,
    totals        text NOT NULL,
    PRIMARY KEY (workspace_id, day)
);

CREATE TABLE daily_totals_position (
    id        integer NOT NULL PRIMARY KEY CHECK (id = 1),
    position  bigint NOT NULL
);

INSERT INTO daily_totals_position (id, position) VALUES (1, 0);

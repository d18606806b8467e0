-- Handoff schema for PostgreSQL, version 7 (SQLite's version 8): what each person wants to be told (e-mail on or off,
-- quiet hours, the daily digest), as a JSON document; NULL keeps the defaults.
ALTER TABLE users ADD COLUMN notifications text;

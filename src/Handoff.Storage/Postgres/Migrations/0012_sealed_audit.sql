-- The audit log sealed off the write path. A write now appends its entries unsealed: an id from a sequence, no place
-- in the chain and no hashes, so writers need not take turns for the log. A sealer (one node at a time) then gives
-- the committed entries, in the order it finds them, the next places (seq) and their hashes. The entries already
-- written keep their places and hashes: each one's id is its seq, and the old chain verifies as it did.
--
-- Every existing row is rewritten once, to copy its seq into its id: 27 s for a million entries on a 2-core machine,
-- holding the table's lock meanwhile. Nodes of an older version must not run beside this one (docs/operations.md).

ALTER TABLE audit DISABLE TRIGGER audit_append_only;
ALTER TABLE audit RENAME COLUMN seq TO id;
ALTER TABLE audit ADD COLUMN seq bigint;
UPDATE audit SET seq = id;
ALTER TABLE audit ENABLE TRIGGER audit_append_only;

ALTER TABLE audit ALTER COLUMN prev_hash DROP NOT NULL, ALTER COLUMN hash DROP NOT NULL;
CREATE UNIQUE INDEX ux_audit_seq ON audit (seq);
-- The sealer's queue: small, since the sealer keeps up.
CREATE INDEX ix_audit_unsealed ON audit (id) WHERE seq IS NULL;

CREATE SEQUENCE audit_id OWNED BY audit.id;
SELECT setval('audit_id', coalesce((SELECT max(id) FROM audit), 0) + 1, false);
ALTER TABLE audit ALTER COLUMN id SET DEFAULT nextval('audit_id');

-- Still append-only, but for sealing: an unsealed entry may be given its place and hashes once, nothing else changed.
CREATE OR REPLACE FUNCTION handoff_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
        AND OLD.seq IS NULL AND OLD.prev_hash IS NULL AND OLD.hash IS NULL
        AND NEW.seq IS NOT NULL AND NEW.prev_hash IS NOT NULL AND NEW.hash IS NOT NULL
        AND (NEW.id, NEW.workspace_id, NEW.at, NEW.actor_kind, NEW.actor_id, NEW.actor_name, NEW.action, NEW.subject, NEW.data)
            IS NOT DISTINCT FROM (OLD.id, OLD.workspace_id, OLD.at, OLD.actor_kind, OLD.actor_id, OLD.actor_name, OLD.action, OLD.subject, OLD.data)
    THEN
        RETURN NEW;
    END IF;

    RAISE EXCEPTION 'the audit log is append-only';
END
$$;

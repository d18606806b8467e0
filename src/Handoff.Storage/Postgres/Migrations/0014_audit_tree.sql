-- The audit log's Merkle tree (Handoff.Core.Audit.AuditTree, RFC 9162): the nodes on every eighth level, each the
-- root of 256 nodes of the stored level below it (level 8 over 256 sealed entries, level 16 over 65,536, …); levels
-- between, and the leaves (from the entries' hashes), are computed when read. A node is a function of the sealed log,
-- so any node of the cluster may add it and a second addition changes nothing (ON CONFLICT DO NOTHING). Inclusion
-- proofs (handoff audit prove) and checkpoints' roots read them, so a proof reads a few hundred hashes however long
-- the log.
CREATE TABLE audit_tree (
    level integer NOT NULL,
    idx   bigint NOT NULL,
    hash  text COLLATE "C" NOT NULL,
    PRIMARY KEY (level, idx)
);

-- Append-only, like the log it is built from. A forged node makes proofs fail against a signed root, and
-- handoff audit verify recomputes every stored node from the entries.
CREATE FUNCTION handoff_audit_tree_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit tree is append-only';
END
$$;

CREATE TRIGGER audit_tree_append_only BEFORE UPDATE OR DELETE ON audit_tree
    FOR EACH ROW EXECUTE FUNCTION handoff_audit_tree_append_only();
CREATE TRIGGER audit_tree_no_truncate BEFORE TRUNCATE ON audit_tree
    FOR EACH STATEMENT EXECUTE FUNCTION handoff_audit_tree_append_only();

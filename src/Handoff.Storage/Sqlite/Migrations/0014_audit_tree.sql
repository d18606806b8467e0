-- The audit log's Merkle tree (Handoff.Core.Audit.AuditTree, RFC 9162): the nodes on every eighth level, each the
-- root of 256 nodes of the stored level below it (level 8 over 256 entries, level 16 over 65,536, …); levels between,
-- and the leaves (from the entries' hashes), are computed when read. A node is a function of the sealed log, so any
-- node may add it and a second addition changes nothing. Inclusion proofs (handoff audit prove) and checkpoints'
-- roots read them, so a proof reads a few hundred hashes however long the log.
CREATE TABLE audit_tree (
    level INTEGER NOT NULL,
    idx   INTEGER NOT NULL,
    hash  TEXT NOT NULL,
    PRIMARY KEY (level, idx)
) WITHOUT ROWID;

-- Append-only, like the log it is built from. A forged node makes proofs fail against a signed root, and
-- handoff audit verify recomputes every stored node from the entries.
CREATE TRIGGER audit_tree_no_update BEFORE UPDATE ON audit_tree BEGIN SELECT RAISE(ABORT, 'the audit tree is append-only'); END;
CREATE TRIGGER audit_tree_no_delete BEFORE DELETE ON audit_tree BEGIN SELECT RAISE(ABORT, 'the audit tree is append-only'); END;

namespace Handoff.Core.Audit;

/// <summary>
/// A stored node of the audit log's Merkle tree (<see cref="AuditTree"/>): the root, lowercase hex, of the perfect
/// subtree over leaves <c>Index·2^Level</c> to <c>(Index+1)·2^Level − 1</c>.
/// </summary>
public readonly record struct AuditTreeNode(int Level, long Index, string Hash);

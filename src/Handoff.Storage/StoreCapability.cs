namespace Handoff.Storage;

/// <summary>Abilities a backend may or may not have.</summary>
public enum StoreCapability
{
    /// <summary>Several server processes may share the store (PostgreSQL); SQLite is one process only.</summary>
    MultipleNodes,
}

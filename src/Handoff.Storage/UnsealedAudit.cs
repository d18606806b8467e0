namespace Handoff.Storage;

/// <summary>The audit log's unsealed tail: how many entries wait for the sealer, and when the oldest was written.</summary>
public sealed record UnsealedAudit(long Count, DateTimeOffset? OldestAt)
{
    public static UnsealedAudit None { get; } = new(0, null);
}

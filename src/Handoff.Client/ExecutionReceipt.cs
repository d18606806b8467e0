namespace Handoff.Client;

/// <summary>What the agent did with an approved case.</summary>
public enum ExecutionOutcome
{
    /// <summary>It ran the approved result.</summary>
    Executed,

    /// <summary>It tried and could not.</summary>
    Failed,
}

/// <summary>
/// The agent's receipt for an approved case, as the server keeps it (<see cref="HandoffClient.ReportExecutedAsync"/>,
/// <see cref="HandoffClient.ReportFailedAsync"/>).
/// </summary>
/// <param name="Outcome">Executed or failed.</param>
/// <param name="ResultDigest">For an executed case, the digest of what ran.</param>
/// <param name="Reason">For a failed case, why; for an executed one, an optional note.</param>
/// <param name="At">When the server recorded it.</param>
/// <param name="By">The key that sent it.</param>
/// <param name="Mismatch">True when what ran is not what was approved (the admins are told).</param>
public sealed record ExecutionReceipt(ExecutionOutcome Outcome, string? ResultDigest, string? Reason, DateTimeOffset At, Actor By, bool Mismatch);

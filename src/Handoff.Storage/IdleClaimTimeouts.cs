namespace Handoff.Storage;

/// <summary>
/// How long a person's claim may go unseen (no open dashboard of theirs renewing it) before its case goes back to the
/// queue: its team's <see cref="Team.IdleClaimTimeout"/>, else <see cref="Default"/>.
/// </summary>
/// <param name="Default">For cases whose team sets no timeout (or is not a team of the workspace).</param>
/// <param name="Shortest">
/// The least a team's own timeout counts for. A dashboard renews its person's claims only every so often; a team
/// timeout shorter than that would take cases from people who are still there.
/// </param>
public sealed record IdleClaimTimeouts(TimeSpan Default, TimeSpan Shortest)
{
    /// <summary>The timeout for a case whose team sets <paramref name="teamTimeout"/> (null: none).</summary>
    public TimeSpan For(TimeSpan? teamTimeout) => teamTimeout is not { } own ? Default : own < Shortest ? Shortest : own;
}

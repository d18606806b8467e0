namespace Handoff.Storage;

/// <summary>The outcome of a team write and the team as it is now (null unless <see cref="TeamResultStatus.Done"/>).</summary>
/// <param name="OverflowFrom">For <see cref="TeamResultStatus.InUse"/>, the teams that overflow to this one; otherwise empty.</param>
public sealed record TeamResult(TeamResultStatus Status, Team? Team, IReadOnlyList<string> OverflowFrom)
{
    public static TeamResult Of(TeamResultStatus status) => new(status, null, []);
}

using Handoff.Core.Routing;
using Handoff.Storage;

namespace Handoff.Server.Api.Contracts;

/// <summary>
/// A team as the API shows it. Durations are seconds, so a view sent back as a <see cref="TeamBody"/> (without
/// <see cref="Members"/> and the times) sets the same team.
/// </summary>
public sealed record TeamView(
    string Name,
    string DisplayName,
    AssignmentMode Mode,
    WorkingHoursView? WorkingHours,
    double AcceptTimeout,
    double? IdleClaimTimeout,
    string? OverflowTeam,
    string? SupervisorId,
    IReadOnlyList<TeamMemberView> Members,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static TeamView From(Team team, IEnumerable<User> users) => new(
        team.Name,
        team.DisplayName,
        team.Mode,
        team.WorkingHours is { } hours ? WorkingHoursView.From(hours) : null,
        team.AcceptTimeout.TotalSeconds,
        team.IdleClaimTimeout?.TotalSeconds,
        team.OverflowTeam,
        team.SupervisorId,
        [.. users.Where(u => u.Teams.Contains(team.Name, StringComparer.Ordinal)).Select(u => new TeamMemberView(u.Id, u.Name))],
        team.CreatedAt,
        team.UpdatedAt);
}

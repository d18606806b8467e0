using Handoff.Storage;

namespace Handoff.Server.Api;

/// <summary>What a reference the store refused in a team write means, by field, for the API and the dashboard's form alike.</summary>
internal static class TeamErrors
{
    public static (string Field, string Message) Describe(TeamResultStatus status) => status switch
    {
        TeamResultStatus.UnknownOverflow => ("overflowTeam", "No such team in this workspace; add it first, or leave the overflow team out."),
        TeamResultStatus.UnknownSupervisor => ("supervisorId", "No such person in this workspace."),
        TeamResultStatus.NameTaken => ("name", "The workspace already has a team of this name."),
        TeamResultStatus.NotFound => ("name", "No such team in this workspace."),
        TeamResultStatus.InUse => ("name", "Another team overflows to this one; change theirs first."),
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };
}

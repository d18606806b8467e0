using Handoff.Core.Routing;
using Handoff.Storage;

namespace Handoff.Server.Api.Contracts;

/// <summary>A person of the workspace with their routing profile and presence (never their password hash).</summary>
public sealed record PersonView(
    string Id,
    string Email,
    string Name,
    UserRole Role,
    IReadOnlyList<string> Teams,
    IReadOnlyList<string> Skills,
    IReadOnlyList<string> Languages,
    int Capacity,
    bool Disabled,
    PresenceView Presence)
{
    public static PersonView From(User user, PersonPresence? presence, DateTimeOffset now, TimeSpan awayAfter) => new(
        user.Id,
        user.Email,
        user.Name,
        user.Role,
        user.Teams,
        user.Skills,
        user.Languages,
        user.Capacity,
        user.DisabledAt is not null,
        PresenceView.From(presence ?? new PersonPresence(user.WorkspaceId, user.Id, Core.Routing.Presence.Offline, null, null), now, awayAfter));
}

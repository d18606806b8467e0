using Handoff.Core.Cases;
using Handoff.Storage;

namespace Handoff.Server.Dashboard;

/// <summary>Whose cases a person works: a reviewer the cases of their teams, supervisors and admins every team's.</summary>
internal static class Queue
{
    public const int Size = 200;

    /// <summary>The teams whose cases <paramref name="user"/> sees, or null for all of them.</summary>
    public static IReadOnlyList<string>? TeamsOf(User user) =>
        user.Role == UserRole.Reviewer && user.Teams.Count > 0 ? user.Teams : null;

    public static Task<IReadOnlyList<HandoffCase>> ListAsync(IHandoffStore store, User user, CancellationToken cancellationToken = default) =>
        store.ListOpenCasesAsync(user.WorkspaceId, TeamsOf(user) is { } teams ? [.. teams] : null, Size, cancellationToken);

    /// <summary>The case to open after <paramref name="current"/>: the most urgent one nobody else holds.</summary>
    public static async Task<HandoffCase?> NextAsync(IHandoffStore store, User user, string current, CancellationToken cancellationToken = default)
    {
        var cases = await ListAsync(store, user, cancellationToken).ConfigureAwait(false);
        return cases.FirstOrDefault(c => c.Id != current && (c.AssignedTo is null || c.AssignedTo.Id == user.Id));
    }
}

using Handoff.Core.Cases;
using Handoff.Core.Routing;
using Handoff.Server.Routing;
using Handoff.Storage;

namespace Handoff.Server.Dashboard.Board;

/// <summary>
/// Everything the supervisor's board shows, read at one instant: people, queues per team, cases at risk of breaching
/// their SLA, offers ringing, and the open cases (most urgent first) a supervisor can hand on.
/// </summary>
internal sealed record BoardSnapshot(
    DateTimeOffset At,
    RoutingSettings Settings,
    IReadOnlyList<BoardPerson> People,
    IReadOnlyList<BoardTeam> Teams,
    IReadOnlyList<BoardRisk> AtRisk,
    IReadOnlyList<HandoffCase> Ringing,
    IReadOnlyList<HandoffCase> Open)
{
    public static async Task<BoardSnapshot> ReadAsync(IHandoffStore store, string workspaceId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var users = await store.ListUsersAsync(workspaceId, cancellationToken).ConfigureAwait(false);
        var presence = (await store.ListPresenceAsync(workspaceId, cancellationToken).ConfigureAwait(false)).ToDictionary(p => p.UserId, StringComparer.Ordinal);
        var settings = await store.GetRoutingSettingsAsync(workspaceId, cancellationToken).ConfigureAwait(false);
        var teams = await store.ListTeamsAsync(workspaceId, cancellationToken).ConfigureAwait(false);
        var open = await store.ListRoutableCasesAsync(workspaceId, cancellationToken).ConfigureAwait(false);
        return Build(now, users, presence, settings, teams, open);
    }

    /// <summary>The board from what was read; pure, so its arithmetic is tested without a store.</summary>
    public static BoardSnapshot Build(
        DateTimeOffset now, IReadOnlyList<User> users, IReadOnlyDictionary<string, PersonPresence> presence, RoutingSettings settings,
        IReadOnlyList<Team> teams, IReadOnlyList<HandoffCase> open)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(presence);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(teams);
        ArgumentNullException.ThrowIfNull(open);
        var ringing = open.Where(c => c.AssignedTo is null && c.Offer is { } o && o.ExpiresAt > now).OrderBy(static c => c.Offer!.ExpiresAt).ToList();
        var people = users
            .Where(static u => u.DisabledAt is null)
            .Select(u =>
            {
                var holds = open.Where(c => c.AssignedTo?.Id == u.Id).OrderByDescending(static c => c.Evaluation.Priority).ThenBy(static c => c.CreatedAt).ToList();
                var load = holds.Sum(c => c.IsLive() ? settings.LiveWeight : settings.QueuedWeight);
                var state = presence.TryGetValue(u.Id, out var p) ? p.EffectiveAt(now, settings.AwayAfter) : Presence.Offline;
                return new BoardPerson(u, state, load, holds, ringing.FirstOrDefault(c => c.Offer!.To.Id == u.Id));
            })
            // Who can take work first: online, then away, then offline; by name within each.
            .OrderBy(static p => p.Presence)
            .ThenBy(static p => p.User.Name, StringComparer.CurrentCulture)
            .ToList();

        var byName = teams.ToDictionary(static t => t.Name, StringComparer.Ordinal);
        var waiting = open.Where(static c => c.AssignedTo is null).ToList();
        var names = teams.Select(static t => t.Name).Concat(waiting.Select(static c => c.Evaluation.Team)).Distinct(StringComparer.Ordinal);
        var queues = names
            .Select(name =>
            {
                var queued = waiting.Where(c => c.Evaluation.Team == name).ToList();
                var team = byName.GetValueOrDefault(name);
                TimeSpan? oldest = queued.Count == 0 ? null : now - queued.Min(static c => c.CreatedAt);
                return new BoardTeam(name, team?.DisplayName ?? name, team?.Mode, queued.Count, oldest);
            })
            .OrderBy(static t => t.Name, StringComparer.Ordinal)
            .ToList();

        var risks = open
            .Select(c => (Case: c, Sla: SlaNow.At(c, byName.GetValueOrDefault(c.Evaluation.Team), now)))
            .Where(static r => r.Sla is { State: not SlaState.Ok })
            // Most urgent first: the furthest past due, then the least time left.
            .OrderBy(static r => r.Sla!.Left ?? TimeSpan.MaxValue)
            .Select(static r => new BoardRisk(r.Case, r.Sla!))
            .ToList();

        var ordered = open.OrderByDescending(static c => c.Evaluation.Priority).ThenBy(static c => c.CreatedAt).ToList();
        return new BoardSnapshot(now, settings, people, queues, risks, ringing, ordered);
    }
}

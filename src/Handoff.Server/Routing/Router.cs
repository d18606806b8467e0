using System.Runtime.InteropServices;
using Handoff.Core.Cases;
using Handoff.Core.Routing;
using Handoff.Server.Events;
using Handoff.Storage;

namespace Handoff.Server.Routing;

/// <summary>
/// One routing pass over a workspace: every waiting case that should ring (a push team's, or a live case in any team)
/// and is not ringing is offered to the best eligible member of its team (Core's <see cref="PushRouting"/>), most urgent
/// case first, each offer counting against its person's capacity until it is answered. The store arbitrates: an offer
/// another node made meanwhile makes this one a conflict, which is simply skipped.
/// </summary>
internal sealed partial class Router(IHandoffStore store, CaseNotifier notifier, TimeProvider time, ILogger<Router> logger)
{
    /// <summary>Offers what can be offered now; returns how many offers were made.</summary>
    public async Task<int> RouteAsync(string workspaceId, CancellationToken cancellationToken)
    {
        var teams = await store.ListTeamsAsync(workspaceId, cancellationToken).ConfigureAwait(false);
        // Where no team pushes, only a live case waiting for someone rings, and such a case has an offer due (its live
        // wait's end): with none anywhere, nothing can ring, and the pass skips reading every open case. Every change
        // of a case signals a pass, so under load this is the difference between a read of the open cases per change
        // and an index lookup (measured in docs/benchmarks.md).
        if (!teams.Any(static t => t.Mode == AssignmentMode.Push)
            && await store.GetNextOfferDueAsync(cancellationToken).ConfigureAwait(false) is null)
        {
            return 0;
        }

        var picture = await ReadAsync(workspaceId, cancellationToken, teams).ConfigureAwait(false);
        var now = picture.Now;
        var waiting = picture.Cases
            .Where(c => c.AssignedTo is null && (c.Offer is null || c.Offer.ExpiresAt <= now) && ShouldRing(c, picture.Teams, now))
            .OrderBy(static c => c, Urgency)
            .ToList();
        var offers = 0;
        foreach (var c in waiting)
        {
            var team = picture.Teams.GetValueOrDefault(c.Evaluation.Team);
            var needs = Needs(c, picture.Weights);
            var candidates = picture.Candidates(c.Evaluation.Team);
            var excluded = c.PassedOver is { Count: > 0 } passed ? new HashSet<string>(passed, StringComparer.Ordinal) : null;
            if (PushRouting.Choose(needs, CollectionsMarshal.AsSpan(candidates), excluded) is not { } chosen)
            {
                continue;
            }

            var person = picture.People[chosen.PersonId];
            var offered = await store.OfferCaseAsync(
                workspaceId, c.Id, DashboardActor(person), now, team?.AcceptTimeout ?? Team.DefaultAcceptTimeout, cancellationToken).ConfigureAwait(false);
            if (offered.Status != CaseUpdateStatus.Updated)
            {
                continue;
            }

            picture.AddLoad(chosen.PersonId, needs.Weight, now);
            notifier.Changed(workspaceId, c.Id);
            offers++;
        }

        if (offers > 0)
        {
            LogOffered(logger, offers, workspaceId);
        }

        return offers;
    }

    /// <summary>
    /// Whether someone of the case's team is online now with its skills and language: what makes a <c>mode: either</c>
    /// case live. Reads people and presence only, not every open case, so a submission stays cheap; their capacity is
    /// checked when they accept.
    /// </summary>
    public async Task<bool> AnyoneOnlineAsync(string workspaceId, HandoffCase handoffCase, CancellationToken cancellationToken)
    {
        var settings = await store.GetRoutingSettingsAsync(workspaceId, cancellationToken).ConfigureAwait(false);
        var users = await store.ListUsersAsync(workspaceId, cancellationToken).ConfigureAwait(false);
        var presence = await store.ListPresenceAsync(workspaceId, cancellationToken).ConfigureAwait(false);
        var picture = new Picture(time.GetUtcNow(), [], settings, users, presence, []);
        var needs = Needs(handoffCase, picture.Weights) with { Weight = 1 };
        return PushRouting.Choose(needs, CollectionsMarshal.AsSpan(picture.Candidates(handoffCase.Evaluation.Team))) is not null;
    }

    /// <summary>The people of the workspace as routing sees them now, with the load each carries.</summary>
    public async Task<IReadOnlyList<RoutingCandidate>> CandidatesAsync(string workspaceId, string team, CancellationToken cancellationToken) =>
        (await ReadAsync(workspaceId, cancellationToken).ConfigureAwait(false)).Candidates(team);

    internal static Actor DashboardActor(User person) => new(Actor.UserKind, person.Id, person.Name);

    // A case rings when its team pushes, or while it is a live case within its live wait (live cases ring in pull teams too).
    private static bool ShouldRing(HandoffCase c, Dictionary<string, Team> teams, DateTimeOffset now) =>
        (c.IsLive() && c.LiveUntil > now)
        || (teams.TryGetValue(c.Evaluation.Team, out var team) && team.Mode == AssignmentMode.Push);

    private static CaseNeeds Needs(HandoffCase c, LoadWeights weights) =>
        new(c.Evaluation.Routing is { Skills.Count: > 0 } routing ? new TagSet(routing.Skills) : TagSet.Empty, c.Evaluation.Routing?.Language, weights.Of(c.IsLive()));

    // Live first (a customer is on the line), then priority, then the oldest.
    private static readonly Comparer<HandoffCase> Urgency = Comparer<HandoffCase>.Create(static (a, b) =>
    {
        var live = b.IsLive().CompareTo(a.IsLive());
        if (live != 0)
        {
            return live;
        }

        var priority = ((int)b.Evaluation.Priority).CompareTo((int)a.Evaluation.Priority);
        return priority != 0 ? priority : a.CreatedAt.CompareTo(b.CreatedAt);
    });

    private async Task<Picture> ReadAsync(string workspaceId, CancellationToken cancellationToken, IReadOnlyList<Team>? teamsRead = null)
    {
        var teams = teamsRead ?? await store.ListTeamsAsync(workspaceId, cancellationToken).ConfigureAwait(false);
        var settings = await store.GetRoutingSettingsAsync(workspaceId, cancellationToken).ConfigureAwait(false);
        var users = await store.ListUsersAsync(workspaceId, cancellationToken).ConfigureAwait(false);
        var presence = await store.ListPresenceAsync(workspaceId, cancellationToken).ConfigureAwait(false);
        var cases = await store.ListRoutableCasesAsync(workspaceId, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        return new Picture(now, teams, settings, users, presence, cases);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Made {Count} offers in workspace {WorkspaceId}")]
    private static partial void LogOffered(ILogger logger, int count, string workspaceId);

    /// <summary>What one pass reads: teams, people, their presence, and the open cases that make their loads.</summary>
    private sealed class Picture
    {
        private readonly Dictionary<string, int> _load = new(StringComparer.Ordinal);
        private readonly Dictionary<string, DateTimeOffset> _lastAssigned = new(StringComparer.Ordinal);
        private readonly Dictionary<string, Presence> _presence = new(StringComparer.Ordinal);

        public Picture(DateTimeOffset now, IReadOnlyList<Team> teams, RoutingSettings settings, IReadOnlyList<User> users, IReadOnlyList<PersonPresence> presence, IReadOnlyList<HandoffCase> cases)
        {
            Now = now;
            Teams = teams.ToDictionary(static t => t.Name, StringComparer.Ordinal);
            Weights = new LoadWeights(settings.QueuedWeight, settings.LiveWeight);
            People = users.Where(static u => u.DisabledAt is null).ToDictionary(static u => u.Id, StringComparer.Ordinal);
            Cases = cases;
            foreach (var p in presence)
            {
                _presence[p.UserId] = p.EffectiveAt(now, settings.AwayAfter);
            }

            foreach (var c in cases)
            {
                if (c.AssignedTo is { } holder)
                {
                    AddLoad(holder.Id, Weights.Of(c.IsLive()), c.AssignedAt);
                }
                else if (c.Offer is { } offer && offer.ExpiresAt > now)
                {
                    // A ringing offer holds its room: two cases never ring for the last free unit of one person.
                    AddLoad(offer.To.Id, Weights.Of(offer.Live), null);
                }
            }
        }

        public DateTimeOffset Now { get; }

        public Dictionary<string, Team> Teams { get; }

        public LoadWeights Weights { get; }

        public Dictionary<string, User> People { get; }

        public IReadOnlyList<HandoffCase> Cases { get; }

        public void AddLoad(string personId, int weight, DateTimeOffset? assignedAt)
        {
            _load[personId] = _load.GetValueOrDefault(personId) + weight;
            if (assignedAt is { } at && (!_lastAssigned.TryGetValue(personId, out var last) || at > last))
            {
                _lastAssigned[personId] = at;
            }
        }

        public List<RoutingCandidate> Candidates(string team) =>
        [
            .. People.Values
                .Where(p => p.Teams.Contains(team, StringComparer.Ordinal))
                .Select(p => new RoutingCandidate(
                    p.Id,
                    _presence.GetValueOrDefault(p.Id, Presence.Offline),
                    p.Skills.Count == 0 ? TagSet.Empty : new TagSet(p.Skills),
                    p.Languages.Count == 0 ? TagSet.Empty : new TagSet(p.Languages),
                    p.Capacity,
                    _load.GetValueOrDefault(p.Id),
                    _lastAssigned.TryGetValue(p.Id, out var last) ? last : null)),
        ];
    }
}

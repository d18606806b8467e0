using Handoff.Core.Cases;
using Handoff.Core.Routing;

namespace Handoff.Storage.Relational;

public abstract partial class RelationalHandoffStore
{
    /// <inheritdoc />
    /// <remarks>
    /// Everything the choice depends on — the person's profile and teams, the weights, the load they hold and the
    /// queue — is read inside the write, which holds the writers' lock (on PostgreSQL, every node's): no claim,
    /// acceptance or other "next case" can change any of it between the choice and the assignment.
    /// </remarks>
    public Task<NextCaseResult> TakeNextCaseAsync(
        string workspaceId, string personId, string? team, Actor by, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        ArgumentNullException.ThrowIfNull(personId);
        ArgumentNullException.ThrowIfNull(by);
        return _writer.RunAsync(w =>
        {
            if (ReadUserForUpdate(w, personId) is not { DisabledAt: null } person || person.WorkspaceId != workspaceId)
            {
                return NextCaseResult.PersonNotFound;
            }

            var teams = new List<string>();
            using (var reader = w.Command($"SELECT {TeamColumns} FROM teams WHERE workspace_id = @ws").Bind("@ws", workspaceId).ExecuteReader())
            {
                while (reader.Read())
                {
                    var row = ReadTeam(reader);
                    // Push teams' cases are offered, not taken: "next case" must not jump the offers' order.
                    if (row.Mode == AssignmentMode.Pull && person.Teams.Contains(row.Name, StringComparer.Ordinal)
                        && (team is null || row.Name == team))
                    {
                        teams.Add(row.Name);
                    }
                }
            }

            if (teams.Count == 0)
            {
                return NextCaseResult.NothingWaiting;
            }

            RoutingSettings settings;
            using (var reader = w.Command("SELECT queued_weight, live_weight, away_after_ms FROM routing_settings WHERE workspace_id = @ws").Bind("@ws", workspaceId).ExecuteReader())
            {
                settings = reader.Read() ? ReadRoutingSettings(reader) : RoutingSettings.Default;
            }

            var weights = new LoadWeights(settings.QueuedWeight, settings.LiveWeight);
            var capacity = new CapacityLimit(person.Capacity, settings.QueuedWeight, settings.LiveWeight);
            var load = HeldLoad(w, workspaceId, person.Id, null, capacity);

            // A case ringing for someone is theirs to answer until the offer lapses.
            var waiting = ReadCases(w.Command($"""
                SELECT seq, document FROM cases
                WHERE workspace_id = @ws AND assigned_to_id IS NULL AND status IN ('pending', 'escalated') AND {TeamsCondition}
                """).Bind("@ws", workspaceId).Bind("@teams", TeamsParameter(teams)))
                .Where(c => c.Case.Offer is not { } offer || offer.ExpiresAt <= at)
                .ToDictionary(static c => c.Case.Id, StringComparer.Ordinal);
            var queue = waiting.Values.Select(c => WaitingCase.Queued(c.Case, weights)).ToArray();
            var candidate = new RoutingCandidate(
                person.Id, Presence.Online, TagSet.Of(person.Skills), TagSet.Of(person.Languages), person.Capacity, load, null);

            if (PullRouting.Next(candidate, queue) is not { } next)
            {
                // Whether anything would fit them with room to spare tells "you are full" from "nothing is yours".
                var unbounded = candidate with { Capacity = int.MaxValue, Load = 0 };
                return PullRouting.Next(unbounded, queue) is null ? NextCaseResult.NothingWaiting : NextCaseResult.OverCapacity;
            }

            var (seq, current) = waiting[next.CaseId];
            var holder = new Actor(Actor.UserKind, person.Id, person.Name);
            var taken = CaseTransitions.Claim(current, holder, at)
                ?? throw new InvalidOperationException($"Case {current.Id} was chosen as waiting but cannot be claimed.");
            Update(w, seq, taken);
            w.Append(workspaceId, holder, AuditData.CaseClaimed, taken.Id, AuditData.NextCase(taken, holder, by));
            return new NextCaseResult(NextCaseStatus.Taken, taken);
        }, cancellationToken);
    }
}

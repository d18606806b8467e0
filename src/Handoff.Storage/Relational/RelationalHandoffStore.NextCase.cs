using Handoff.Core.Cases;
using Handoff.Core.Routing;

namespace Handoff.Storage.Relational;

public abstract partial class RelationalHandoffStore
{
    /// <inheritdoc />
    /// <remarks>
    /// Everything the choice depends on is read inside the write. Its scope names the person, so no other write adds
    /// to their load meanwhile; their profile, teams and the weights change only in writes of the whole store, which
    /// never run beside it. The queue can change (others claim from it, on any node): the chosen case is locked
    /// without waiting and read again, and when someone else is changing it, or it is no longer waiting, the next
    /// choice is tried. When every case that fits them is being changed by someone else at that moment, the answer is
    /// <see cref="NextCaseResult.NothingWaiting"/>: asking again a moment later finds what is left.
    /// </remarks>
    public Task<NextCaseResult> TakeNextCaseAsync(
        string workspaceId, string personId, string? team, Actor by, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        ArgumentNullException.ThrowIfNull(personId);
        ArgumentNullException.ThrowIfNull(by);
        return _writer.RunAsync(WriteScope.Of(WriteScope.Person(personId)), w =>
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
            static bool Waiting(HandoffCase c, DateTimeOffset at) =>
                c.AssignedTo is null && c.Status is CaseStatus.Pending or CaseStatus.Escalated && (c.Offer is not { } offer || offer.ExpiresAt <= at);
            var waiting = ReadCases(w.Command($"""
                SELECT seq, document FROM cases
                WHERE workspace_id = @ws AND assigned_to_id IS NULL AND status IN ('pending', 'escalated') AND {TeamsCondition}
                """).Bind("@ws", workspaceId).Bind("@teams", TeamsParameter(teams)))
                .Where(c => Waiting(c.Case, at))
                .ToDictionary(static c => c.Case.Id, StringComparer.Ordinal);
            var candidate = new RoutingCandidate(
                person.Id, Presence.Online, TagSet.Of(person.Skills), TagSet.Of(person.Languages), person.Capacity, load, null);
            var holder = new Actor(Actor.UserKind, person.Id, person.Name);
            while (true)
            {
                var queue = waiting.Values.Select(c => WaitingCase.Queued(c.Case, weights)).ToArray();
                if (PullRouting.Next(candidate, queue) is not { } next)
                {
                    // Whether anything would fit them with room to spare tells "you are full" from "nothing is yours".
                    var unbounded = candidate with { Capacity = int.MaxValue, Load = 0 };
                    return PullRouting.Next(unbounded, queue) is null ? NextCaseResult.NothingWaiting : NextCaseResult.OverCapacity;
                }

                // Someone else changing the case right now (claiming it, most likely): leave it to them.
                var seq = waiting[next.CaseId].Seq;
                waiting.Remove(next.CaseId);
                if (!w.TryLock(WriteScope.Case(workspaceId, next.CaseId))
                    || ReadForUpdate(w, workspaceId, next.CaseId) is not (_, var current)
                    || !Waiting(current, at) || PullRouting.Next(candidate, [WaitingCase.Queued(current, weights)]) is null
                    || CaseTransitions.Claim(current, holder, at) is not { } taken)
                {
                    continue;
                }

                Update(w, seq, taken);
                w.Append(workspaceId, holder, AuditData.CaseClaimed, taken.Id, AuditData.NextCase(taken, holder, by));
                return new NextCaseResult(NextCaseStatus.Taken, taken);
            }
        }, cancellationToken);
    }
}

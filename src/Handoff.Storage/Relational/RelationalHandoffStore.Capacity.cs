using Handoff.Core.Cases;

namespace Handoff.Storage.Relational;

public abstract partial class RelationalHandoffStore
{
    // The one capacity rule of every write that gives a person a case — an accepted offer, "next case", a claim, a
    // takeover, a reassignment or transfer to them, a supervisor rung — read inside the write. The write names the
    // person in its scope (WriteScope.Person) or is a write of the whole store, so on any node no other write that adds
    // to their load runs between this count and the update (one that lowers it may: the count errs on the safe side).

    /// <summary>
    /// Whether <paramref name="after"/> may be written when <paramref name="before"/> is the stored case: true unless it
    /// gives a person of the workspace more to hold than their capacity allows. A write that adds nothing to what the
    /// holder already holds (the same case, no heavier) always fits, so lowering a capacity takes nothing away and never
    /// blocks work on what is already held. Someone who is not a person of the workspace (an API key) has no capacity.
    /// </summary>
    private static bool Fits(BatchWriter w, string workspaceId, HandoffCase before, HandoffCase after)
    {
        if (after.AssignedTo is not { Kind: Actor.UserKind } holder || !after.Status.IsOpen())
        {
            return true;
        }

        var heldBefore = before.AssignedTo?.Id == holder.Id && before.Status.IsOpen();
        if (heldBefore && before.IsLive() == after.IsLive())
        {
            return true;
        }

        var weights = ReadWeights(w, workspaceId);
        if (heldBefore && Weight(after, weights) <= Weight(before, weights))
        {
            return true;
        }

        return HasRoom(w, workspaceId, holder.Id, after, weights);
    }

    /// <summary>
    /// Whether <paramref name="personId"/> can hold <paramref name="c"/> besides the other open cases they hold; true
    /// for an id that is no person of the workspace.
    /// </summary>
    private static bool HasRoom(BatchWriter w, string workspaceId, string personId, HandoffCase c, CapacityLimit? weights = null)
    {
        if (ReadUserForUpdate(w, personId) is not { } person || person.WorkspaceId != workspaceId)
        {
            return true;
        }

        weights ??= ReadWeights(w, workspaceId);
        return HeldLoad(w, workspaceId, personId, c.Id, weights) + Weight(c, weights) <= person.Capacity;
    }

    /// <summary>The open cases <paramref name="personId"/> holds, weighed, leaving out <paramref name="exceptCaseId"/>.</summary>
    private static int HeldLoad(BatchWriter w, string workspaceId, string personId, string? exceptCaseId, CapacityLimit weights) =>
        ReadCases(w.Command($"""
            SELECT seq, document FROM cases
            WHERE workspace_id = @ws AND assigned_to_id = @person AND status IN {OpenStatuses}
            """).Bind("@ws", workspaceId).Bind("@person", personId))
            .Where(c => c.Case.Id != exceptCaseId)
            .Sum(c => Weight(c.Case, weights));

    // The weights only; the capacity is each person's own.
    private static CapacityLimit ReadWeights(BatchWriter w, string workspaceId)
    {
        using var reader = w.Command("SELECT queued_weight, live_weight, away_after_ms FROM routing_settings WHERE workspace_id = @ws")
            .Bind("@ws", workspaceId).ExecuteReader();
        var settings = reader.Read() ? ReadRoutingSettings(reader) : RoutingSettings.Default;
        return new CapacityLimit(0, settings.QueuedWeight, settings.LiveWeight);
    }

    private static int Weight(HandoffCase c, CapacityLimit capacity) => c.IsLive() ? capacity.LiveWeight : capacity.QueuedWeight;
}

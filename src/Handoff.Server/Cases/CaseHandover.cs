using Handoff.Core.Cases;
using Handoff.Server.Events;
using Handoff.Storage;

namespace Handoff.Server.Cases;

/// <summary>
/// Hands open cases on, for the API and the dashboard alike: a supervisor reassigns a case to a person; whoever holds a
/// case (or a supervisor) transfers it to a colleague or to another team. Checks the names against the workspace and
/// leaves the race to the store, which re-checks the holder inside its write.
/// </summary>
/// <remarks>
/// Who counts as a supervisor is the caller's to say (a dashboard supervisor or admin, an admin API key). The new
/// holder's capacity is not checked: the one handing a case on judges whether they have room.
/// </remarks>
internal sealed class CaseHandover(IHandoffStore store, CaseNotifier notifier, TimeProvider time)
{
    /// <summary>The longest note kept with a handover.</summary>
    public const int MaxNoteLength = 1000;

    public async Task<HandoverResult> ReassignAsync(string workspaceId, string caseId, string? to, string? note, Actor by, CancellationToken cancellationToken)
    {
        if (CheckNote(note) is { } badNote)
        {
            return badNote;
        }

        if (string.IsNullOrWhiteSpace(to))
        {
            return HandoverResult.Invalid("to", "Required: the id of the person to give the case to.");
        }

        if (await store.GetCaseAsync(workspaceId, caseId, cancellationToken).ConfigureAwait(false) is not { } current)
        {
            return new HandoverResult(HandoverStatus.NotFound, null);
        }

        var (person, problem) = await PersonAsync(workspaceId, to, "to", cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        if (!current.Status.IsOpen())
        {
            return new HandoverResult(HandoverStatus.Conflict, current);
        }

        return await ApplyAsync(store.ReassignCaseAsync(workspaceId, caseId, person!, by, Trim(note), time.GetUtcNow(), null, cancellationToken), person).ConfigureAwait(false);
    }

    public async Task<HandoverResult> TransferAsync(
        string workspaceId, string caseId, string? toPerson, string? toTeam, string? note, Actor by, bool supervisor, CancellationToken cancellationToken)
    {
        if (CheckNote(note) is { } badNote)
        {
            return badNote;
        }

        if (string.IsNullOrWhiteSpace(toPerson) == string.IsNullOrWhiteSpace(toTeam))
        {
            return HandoverResult.Invalid(toPerson is null ? "toTeam" : "toPerson", "Give toTeam (a team's name) or toPerson (a person's id), exactly one of them.");
        }

        if (await store.GetCaseAsync(workspaceId, caseId, cancellationToken).ConfigureAwait(false) is not { } current)
        {
            return new HandoverResult(HandoverStatus.NotFound, null);
        }

        if (!current.Status.IsOpen())
        {
            return new HandoverResult(HandoverStatus.Conflict, current);
        }

        if (!supervisor && current.AssignedTo?.Id != by.Id)
        {
            return new HandoverResult(HandoverStatus.Forbidden, current, Message: current.AssignedTo is { } holder
                ? $"Only the person who holds the case ({holder.Name}) or a supervisor may transfer it."
                : "Only the person who holds the case, or a supervisor, may transfer it; claim it first.");
        }

        Actor? person = null;
        if (!string.IsNullOrWhiteSpace(toPerson))
        {
            HandoverResult? problem;
            (person, problem) = await PersonAsync(workspaceId, toPerson, "toPerson", cancellationToken).ConfigureAwait(false);
            if (problem is not null)
            {
                return problem;
            }
        }
        else if (await store.GetTeamAsync(workspaceId, toTeam!, cancellationToken).ConfigureAwait(false) is null)
        {
            return HandoverResult.Invalid("toTeam", $"No team '{toTeam}' in this workspace.");
        }
        else if (toTeam == current.Evaluation.Team)
        {
            return HandoverResult.Invalid("toTeam", $"The case is already in team {toTeam}; to put it back in the queue, release it.");
        }

        return await ApplyAsync(store.TransferCaseAsync(
            workspaceId, caseId, person, person is null ? toTeam : null, by, Trim(note), time.GetUtcNow(), supervisor ? null : by.Id, cancellationToken), person)
            .ConfigureAwait(false);
    }

    private async Task<(Actor? Person, HandoverResult? Problem)> PersonAsync(string workspaceId, string id, string field, CancellationToken cancellationToken)
    {
        var user = await store.GetUserAsync(workspaceId, id, cancellationToken).ConfigureAwait(false);
        return user switch
        {
            null => (null, HandoverResult.Invalid(field, $"No person '{id}' in this workspace.")),
            { DisabledAt: not null } => (null, HandoverResult.Invalid(field, $"{user.Name} is disabled and cannot take cases.")),
            _ => (new Actor(Actor.UserKind, user.Id, user.Name), null),
        };
    }

    private async Task<HandoverResult> ApplyAsync(Task<CaseUpdate> change, Actor? person)
    {
        var update = await change.ConfigureAwait(false);
        switch (update.Status)
        {
            case CaseUpdateStatus.Updated:
                notifier.Changed(update.Case!.WorkspaceId, update.Case.Id);
                return new HandoverResult(HandoverStatus.Done, update.Case);
            case CaseUpdateStatus.NotFound:
                return new HandoverResult(HandoverStatus.NotFound, null);
            case CaseUpdateStatus.OverCapacity:
                return new HandoverResult(HandoverStatus.OverCapacity, update.Case, Message: OverCapacityMessage(person?.Name ?? "They"));
            default:
                return new HandoverResult(HandoverStatus.Conflict, update.Case);
        }
    }

    /// <summary>Why a person cannot be given a case: what they hold already fills their capacity.</summary>
    internal static string OverCapacityMessage(string name) =>
        $"{name} holds as much as their capacity allows; they must finish or release a case first (or an admin raises their capacity).";

    private static HandoverResult? CheckNote(string? note) =>
        note is { Length: > MaxNoteLength } ? HandoverResult.Invalid("note", $"At most {MaxNoteLength} characters.") : null;

    private static string? Trim(string? note) => string.IsNullOrWhiteSpace(note) ? null : note.Trim();
}

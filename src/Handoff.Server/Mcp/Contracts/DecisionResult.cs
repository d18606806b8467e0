using System.Text.Json;
using Handoff.Core.Cases;

namespace Handoff.Server.Mcp.Contracts;

/// <summary>
/// A decision as a tool answers it: what to run (<see cref="Action"/> with <see cref="Arguments"/>, as approved,
/// possibly edited) and the words that go with it (<see cref="Text"/>: the approved or edited text, the chosen
/// option's, the reason for a reject, or the person's own answer). The digests are the decision's (docs/api.md).
/// </summary>
internal sealed record DecisionResult(
    Verdict Verdict,
    string? Text,
    string? Action,
    JsonElement? Arguments,
    int? Option,
    string? Note,
    IReadOnlyList<Change>? Changes,
    Actor? DecidedBy,
    DateTimeOffset DecidedAt,
    bool TimedOut,
    string ProposalDigest,
    string? ResultDigest)
{
    public static DecisionResult From(Decision decision)
    {
        var action = decision.Result?.Action;
        return new DecisionResult(
            decision.Verdict,
            decision.Text ?? decision.Result?.Text,
            action?.Name,
            action is { Arguments.ValueKind: not JsonValueKind.Undefined } ? action.Arguments : null,
            decision.Option,
            decision.Note,
            decision.Changes.Count == 0 ? null : decision.Changes,
            decision.DecidedBy,
            decision.DecidedAt,
            decision.TimedOut,
            decision.ProposalDigest,
            decision.ResultDigest);
    }
}

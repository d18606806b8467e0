using Handoff.Core.Cases;
using Handoff.Core.Learning;
using Handoff.Storage;
using Handoff.Storage.Learning;

namespace Handoff.Server.Learning;

/// <summary>One precedent as the API, MCP and the case view show it: the earlier case, what was decided, and how it relates.</summary>
/// <param name="Text">The person's words with the verdict: the reason for a reject, their answer, or the edited text.</param>
/// <param name="Proposal">What the AI proposed then.</param>
/// <param name="Result">What went ahead: the approved, edited or chosen proposal, or the person's answer; null when rejected.</param>
/// <param name="Changes">What the person changed against the proposal.</param>
public sealed record Precedent(
    string CaseId,
    string? Summary,
    Verdict Verdict,
    DateTimeOffset DecidedAt,
    string? DecidedBy,
    string? Note,
    string? Text,
    Proposal? Proposal,
    Proposal? Result,
    IReadOnlyList<Change> Changes,
    bool SameAction,
    IReadOnlyList<string> SharedRules);

/// <summary>Finds a case's precedents: the full-text search of the ledger, ranked (<see cref="PrecedentRanking"/>), with each earlier case read for its decision.</summary>
public sealed class Precedents(IHandoffStore store)
{
    /// <summary>How many a case shows unless asked otherwise.</summary>
    public const int DefaultCount = 5;

    /// <summary>The precedents of a case in front of a person (never the case itself).</summary>
    public Task<IReadOnlyList<Precedent>> FindAsync(HandoffCase c, int count, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(c);
        return FindAsync(c.WorkspaceId, DecisionText.Of(c.Content), c.Content.Proposal?.Action?.Name, PrecedentRanking.RulesOf(c), c.Id, count, cancellationToken);
    }

    /// <summary>Decided cases of the workspace like <paramref name="text"/>: an agent asking before it proposes.</summary>
    public async Task<IReadOnlyList<Precedent>> FindAsync(
        string workspaceId, string text, string? action, IReadOnlyCollection<string> rules, string? excludeCaseId, int count, CancellationToken cancellationToken)
    {
        var matches = await store.FindPrecedentsAsync(workspaceId, new PrecedentQuery(DecisionText.Terms(text), action, excludeCaseId), cancellationToken)
            .ConfigureAwait(false);
        var ranked = PrecedentRanking.Rank(matches.Select(static m => (m.Record, m.Relevance)), action, rules, count);
        var precedents = new List<Precedent>(ranked.Count);
        foreach (var p in ranked)
        {
            if (await store.GetCaseAsync(workspaceId, p.Record.CaseId, cancellationToken).ConfigureAwait(false) is not { Decision: { } decision } earlier)
            {
                continue;
            }

            precedents.Add(new Precedent(
                earlier.Id, earlier.Content.Summary, decision.Verdict, decision.DecidedAt, decision.DecidedBy?.Name, decision.Note, decision.Text,
                earlier.Content.Proposal, decision.Result, decision.Changes, p.SameAction, p.SharedRules));
        }

        return precedents;
    }
}

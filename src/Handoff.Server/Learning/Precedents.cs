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
/// <param name="Similarity">The cosine similarity of the two cases' sentence embeddings (1 the same meaning, near 0 unrelated); null when the earlier case has none yet or embeddings are off.</param>
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
    IReadOnlyList<string> SharedRules,
    double? Similarity = null);

/// <summary>
/// Finds a case's precedents: the full-text search of the ledger finds the candidates (fast at a million decisions),
/// sentence embeddings, where the server has them (<see cref="LearningOptions.Embeddings"/>), order them by meaning
/// rather than shared words, and <see cref="PrecedentRanking"/> puts the same action and rules first; each earlier case
/// is then read for its decision.
/// </summary>
public sealed partial class Precedents(
    IHandoffStore store, ITextEmbedder embedder, Microsoft.Extensions.Options.IOptions<HandoffServerOptions> options, ILogger<Precedents>? log = null)
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
        var (ranked, similarity) = await RankAsync(workspaceId, text, action, rules, excludeCaseId, count, cancellationToken).ConfigureAwait(false);
        var precedents = new List<Precedent>(ranked.Count);
        foreach (var p in ranked)
        {
            if (await store.GetCaseAsync(workspaceId, p.Record.CaseId, cancellationToken).ConfigureAwait(false) is not { Decision: { } decision } earlier)
            {
                continue;
            }

            precedents.Add(new Precedent(
                earlier.Id, earlier.Content.Summary, decision.Verdict, decision.DecidedAt, decision.DecidedBy?.Name, decision.Note, decision.Text,
                earlier.Content.Proposal, decision.Result, decision.Changes, p.SameAction, p.SharedRules,
                similarity.TryGetValue(earlier.Id, out var cosine) ? Math.Round(cosine, 3) : null));
        }

        return precedents;
    }

    /// <summary>
    /// The <paramref name="count"/> best ledger rows for a case, and the cosine similarity of each that has an
    /// embedding (empty when embeddings are off or none has one yet): what <see cref="FindAsync(string, string, string?, IReadOnlyCollection{string}, string?, int, CancellationToken)"/>
    /// shows, before the cases are read.
    /// </summary>
    internal async Task<(IReadOnlyList<RankedPrecedent> Ranked, IReadOnlyDictionary<string, double> Similarity)> RankAsync(
        string workspaceId, string text, string? action, IReadOnlyCollection<string> rules, string? excludeCaseId, int count, CancellationToken cancellationToken)
    {
        var matches = await store.FindPrecedentsAsync(workspaceId, new PrecedentQuery(DecisionText.Terms(text), action, excludeCaseId), cancellationToken)
            .ConfigureAwait(false);
        var similarity = await SimilaritiesAsync(workspaceId, text, matches, cancellationToken).ConfigureAwait(false);
        var ranked = PrecedentRanking.Rank(
            matches.Select((m, i) => (m.Record, similarity.TryGetValue(m.Record.CaseId, out var cosine) ? cosine : similarity.Count > 0 ? Unembedded - i : m.Relevance)),
            action, rules, count);
        return (ranked, similarity);
    }

    // Below every cosine (at least -1): a match the embedding worker has not reached yet keeps its full-text order, after
    // the ones it has.
    private const double Unembedded = -1_000;

    /// <summary>
    /// The cosine similarity of <paramref name="text"/> to each match with a stored embedding; empty when embeddings
    /// are off or no match has one yet (then the full-text order stands). The text is embedded only then.
    /// </summary>
    private async Task<IReadOnlyDictionary<string, double>> SimilaritiesAsync(
        string workspaceId, string text, IReadOnlyList<PrecedentMatch> matches, CancellationToken cancellationToken)
    {
        if (!options.Value.Learning.Embeddings || matches.Count == 0)
        {
            return new Dictionary<string, double>();
        }

        var vectors = await store.GetDecisionEmbeddingsAsync(workspaceId, embedder.Model, [.. matches.Select(static m => m.Record.CaseId)], cancellationToken)
            .ConfigureAwait(false);
        if (vectors.Count == 0)
        {
            return new Dictionary<string, double>();
        }

        float[] query;
        try
        {
            query = embedder.Embed([text])[0];
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A model that cannot run must not take the precedents with it: the full-text order stands.
            LogEmbeddingFailed((ILogger?)log ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, e);
            return new Dictionary<string, double>();
        }

        var similarities = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (caseId, vector) in vectors)
        {
            if (Embedding.Cosine(query, vector) is { } cosine)
            {
                similarities[caseId] = cosine;
            }
        }

        return similarities;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The embedding model failed on a case's text; its precedents keep the full-text order")]
    private static partial void LogEmbeddingFailed(ILogger logger, Exception e);
}

using Handoff.Storage.Learning;

namespace Handoff.Storage.Relational;

public abstract partial class RelationalHandoffStore
{
    /// <summary>
    /// The full-text search for precedents: selects <see cref="DecisionLedger.Columns"/> (as <c>d.…</c>) and a relevance,
    /// higher closer, for rows of workspace <c>@ws</c> matching <c>@q</c>, other than case <c>@exclude</c>, those
    /// proposing action <c>@action</c> first, at most <c>@limit</c>.
    /// </summary>
    private protected abstract string PrecedentSql { get; }

    /// <summary>The backend's full-text query for any of <paramref name="terms"/> (letters and digits only).</summary>
    private protected abstract string AnyOf(IReadOnlyList<string> terms);

    /// <summary>A word as the backend's full-text index keeps it (SQLite's FTS5 drops diacritics; PostgreSQL's 'simple' keeps them).</summary>
    private protected virtual string Fold(string term) => term;

    /// <summary>The backend's full-text query for all of <paramref name="terms"/>.</summary>
    private protected abstract string AllOf(IReadOnlyList<string> terms);

    /// <summary>
    /// How many ledger rows hold each of <paramref name="terms"/>, or null when the backend cannot tell cheaply (then
    /// the longest words count as the rarest).
    /// </summary>
    private protected virtual Task<IReadOnlyDictionary<string, long>?> TermFrequenciesAsync(IReadOnlyList<string> terms, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, long>?>(null);

    /// <inheritdoc />
    public async Task<DecisionPage> ListDecisionsAsync(string workspaceId, DateTimeOffset since, long after = 0, int limit = 1000, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        limit = Math.Clamp(limit, 1, 10_000);
        var rows = await QueryAsync(
            $"SELECT {DecisionLedger.Columns} FROM decisions WHERE workspace_id = @ws AND seq > @after AND decided_at >= @since ORDER BY seq LIMIT @limit",
            static reader => (reader.GetInt64(0), DecisionLedger.Read(reader)),
            cancellationToken,
            ("@ws", workspaceId), ("@after", after), ("@since", DbValues.Time(since)), ("@limit", limit + 1)).ConfigureAwait(false);
        return rows.Count > limit
            ? new DecisionPage([.. rows.Take(limit).Select(static r => r.Item2)], rows[limit - 1].Item1)
            : new DecisionPage([.. rows.Select(static r => r.Item2)], null);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<PrecedentMatch>> FindPrecedentsAsync(string workspaceId, PrecedentQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        ArgumentNullException.ThrowIfNull(query);
        var terms = query.Terms.Where(static t => t.Length > 0 && t.All(char.IsLetterOrDigit)).Select(Fold).Distinct(StringComparer.Ordinal).ToList();
        if (terms.Count == 0)
        {
            return [];
        }

        // A search for any of a case's words costs what all their postings cost, and the common ones ("order",
        // "refund") are in most rows: at a million decisions that is most of a second. So the rarest words are asked
        // for together, four, then three, then two, until enough cases hold them all; any of the eight rarest only as
        // the last resort (when the rarest rarely meet, they are rare, and cheap). docs/benchmarks.md has the figures.
        var frequencies = await TermFrequenciesAsync(terms, cancellationToken).ConfigureAwait(false);
        // A decided case's own words are counted too: left in, its rarest (a name, an order number) would find only the
        // case itself, which is left out. They count one less. (The counts are over every workspace's rows.)
        var own = frequencies is null || query.ExcludeCaseId is null ? [] : await OwnWordsAsync(workspaceId, query.ExcludeCaseId, cancellationToken).ConfigureAwait(false);
        long Others(string t) => frequencies!.GetValueOrDefault(t) - (own.Contains(t) ? 1 : 0);
        var rarest = frequencies is null
            ? terms
            : [.. terms.Where(t => Others(t) > 0).OrderBy(Others).ThenBy(static t => t, StringComparer.Ordinal)];
        if (rarest.Count == 0)
        {
            return [];
        }

        List<PrecedentMatch> found = [];
        for (var n = Math.Min(4, rarest.Count); n >= 2; n--)
        {
            found = await SearchAsync(workspaceId, AllOf(rarest[..n]), query, cancellationToken).ConfigureAwait(false);
            if (found.Count >= PrecedentQuery.Enough)
            {
                return found;
            }
        }

        var any = await SearchAsync(workspaceId, AnyOf(rarest[..Math.Min(8, rarest.Count)]), query, cancellationToken).ConfigureAwait(false);
        return any.Count >= found.Count ? any : found;
    }

    private async Task<HashSet<string>> OwnWordsAsync(string workspaceId, string caseId, CancellationToken cancellationToken)
    {
        var text = await QueryAsync(
            "SELECT text FROM decisions WHERE case_id = @case AND workspace_id = @ws",
            static reader => reader.GetString(0),
            cancellationToken,
            ("@case", caseId), ("@ws", workspaceId)).ConfigureAwait(false);
        return text.Count == 0 ? [] : [.. Core.Learning.DecisionText.Terms(text[0], int.MaxValue).Select(Fold)];
    }

    private Task<List<PrecedentMatch>> SearchAsync(string workspaceId, string match, PrecedentQuery query, CancellationToken cancellationToken) =>
        QueryAsync(
            PrecedentSql,
            static reader => new PrecedentMatch(DecisionLedger.Read(reader), reader.GetDouble(13)),
            cancellationToken,
            ("@ws", workspaceId), ("@q", match), ("@action", query.Action), ("@exclude", query.ExcludeCaseId ?? ""),
            ("@limit", Math.Clamp(query.Limit, 1, 200)));
}

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
        var terms = query.Terms.Where(static t => t.Length > 0 && t.All(char.IsLetterOrDigit)).ToList();
        if (terms.Count == 0)
        {
            return [];
        }

        return await QueryAsync(
            PrecedentSql,
            static reader => new PrecedentMatch(DecisionLedger.Read(reader), reader.GetDouble(12)),
            cancellationToken,
            ("@ws", workspaceId), ("@q", AnyOf(terms)), ("@action", query.Action), ("@exclude", query.ExcludeCaseId ?? ""),
            ("@limit", Math.Clamp(query.Limit, 1, 200))).ConfigureAwait(false);
    }
}

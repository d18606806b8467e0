using Handoff.Core.Cases;

namespace Handoff.Storage.Relational;

public abstract partial class RelationalHandoffStore
{
    // Only open cases a person holds have a claim_seen_at (see UpdateCaseSql), and the partial index lists exactly them.
    private const string HeldBySql = "claim_seen_at IS NOT NULL AND workspace_id = @ws AND assigned_to_id = @holder AND claim_seen_at < @at";

    /// <inheritdoc />
    /// <remarks>A read decides whether there is anything to renew, so a person who holds nothing costs no write.</remarks>
    public async Task<int> RenewClaimsAsync(string workspaceId, string holderId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        ArgumentNullException.ThrowIfNull(holderId);
        (string, object?)[] parameters = [("@ws", workspaceId), ("@holder", holderId), ("@at", DbValues.Time(at))];
        if (await ScalarAsync($"SELECT 1 FROM cases WHERE {HeldBySql} LIMIT 1", cancellationToken, parameters).ConfigureAwait(false) is null)
        {
            return 0;
        }

        return await _writer.RunAsync(w =>
        {
            var command = w.Command($"UPDATE cases SET claim_seen_at = @at WHERE {HeldBySql}");
            foreach (var (name, value) in parameters)
            {
                command.Bind(name, value);
            }

            return command.ExecuteNonQuery();
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<DateTimeOffset?> GetOldestClaimSeenAsync(CancellationToken cancellationToken = default) =>
        await ScalarAsync("SELECT min(claim_seen_at) FROM cases WHERE claim_seen_at IS NOT NULL", cancellationToken).ConfigureAwait(false) is string oldest
            ? DbValues.ParseTime(oldest)
            : null;

    /// <inheritdoc />
    /// <remarks>
    /// The cases are chosen inside the write transaction, so two nodes releasing at the same moment release each case
    /// once: the second finds it no longer held.
    /// </remarks>
    public Task<IReadOnlyList<HandoffCase>> ReleaseUnseenClaimsAsync(DateTimeOffset seenAtOrBefore, DateTimeOffset now, string reason, int max, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reason);
        if (max <= 0)
        {
            return Task.FromResult<IReadOnlyList<HandoffCase>>([]);
        }

        return _writer.RunAsync<IReadOnlyList<HandoffCase>>(w =>
        {
            var unseen = ReadCases(w.Command("""
                SELECT seq, document FROM cases
                WHERE claim_seen_at IS NOT NULL AND claim_seen_at <= @before
                ORDER BY claim_seen_at, seq LIMIT @max
                """).Bind("@before", DbValues.Time(seenAtOrBefore)).Bind("@max", max));

            var released = new List<HandoffCase>(unseen.Count);
            foreach (var (seq, current) in unseen)
            {
                // The same rule as the holder's own release, applied on their behalf.
                if (current.AssignedTo is not { } holder || CaseTransitions.Release(current, holder, now) is not { } result)
                {
                    // Nothing to release: the mark alone goes, or every pass would find this row again.
                    w.Command("UPDATE cases SET claim_seen_at = NULL WHERE seq = @seq").Bind("@seq", seq).ExecuteNonQuery();
                    continue;
                }

                Update(w, seq, result);
                w.Append(current.WorkspaceId, Actor.System, AuditData.CaseReleased, current.Id, AuditData.ReleasedFor(result, holder, reason));
                released.Add(result);
            }

            return released;
        }, cancellationToken);
    }
}

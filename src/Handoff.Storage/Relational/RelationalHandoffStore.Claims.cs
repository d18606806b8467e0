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
    /// <remarks>One row per distinct team timeout: the teams' own timeouts are few, whatever the number of claims.</remarks>
    public async Task<DateTimeOffset?> GetNextIdleClaimAsync(IdleClaimTimeouts timeouts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(timeouts);
        var groups = await QueryAsync(
            $"SELECT min(c.claim_seen_at), t.idle_claim_timeout_ms FROM {ClaimsWithTeamTimeout} WHERE c.claim_seen_at IS NOT NULL GROUP BY t.idle_claim_timeout_ms",
            static reader => (Seen: DbValues.ParseTime(reader.GetString(0)), Timeout: TeamTimeout(reader, 1)), cancellationToken).ConfigureAwait(false);
        return groups.Count == 0 ? null : groups.Min(g => g.Seen + timeouts.For(g.Timeout));
    }

    /// <inheritdoc />
    /// <remarks>
    /// The cases are chosen inside the write transaction, so two nodes releasing at the same moment release each case
    /// once: the second finds it no longer held. Only claims unseen for at least the shortest timeout any case can have
    /// are looked at; which of them are due is decided per case, against its team's timeout.
    /// </remarks>
    public Task<IReadOnlyList<HandoffCase>> ReleaseUnseenClaimsAsync(DateTimeOffset now, IdleClaimTimeouts timeouts, int max, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(timeouts);
        if (max <= 0)
        {
            return Task.FromResult<IReadOnlyList<HandoffCase>>([]);
        }

        var shortest = timeouts.Default < timeouts.Shortest ? timeouts.Default : timeouts.Shortest;
        return _writer.RunAsync<IReadOnlyList<HandoffCase>>(w =>
        {
            var due = new List<(long Seq, TimeSpan Timeout)>();
            using (var reader = w.Command($"""
                SELECT c.seq, c.claim_seen_at, t.idle_claim_timeout_ms FROM {ClaimsWithTeamTimeout}
                WHERE c.claim_seen_at IS NOT NULL AND c.claim_seen_at <= @before
                ORDER BY c.claim_seen_at, c.seq
                """).Bind("@before", DbValues.Time(now - shortest)).ExecuteReader())
            {
                while (due.Count < max && reader.Read())
                {
                    var timeout = timeouts.For(TeamTimeout(reader, 2));
                    if (DbValues.ParseTime(reader.GetString(1)) + timeout <= now)
                    {
                        due.Add((reader.GetInt64(0), timeout));
                    }
                }
            }

            var released = new List<HandoffCase>(due.Count);
            foreach (var (seq, timeout) in due)
            {
                var current = ReadCases(w.Command("SELECT seq, document FROM cases WHERE seq = @seq").Bind("@seq", seq))[0].Case;
                // The same rule as the holder's own release, applied on their behalf.
                if (current.AssignedTo is not { } holder || CaseTransitions.Release(current, holder, now) is not { } result)
                {
                    // Nothing to release: the mark alone goes, or every pass would find this row again.
                    w.Command("UPDATE cases SET claim_seen_at = NULL WHERE seq = @seq").Bind("@seq", seq).ExecuteNonQuery();
                    continue;
                }

                Update(w, seq, result);
                w.Append(current.WorkspaceId, Actor.System, AuditData.CaseReleased, current.Id, AuditData.ReleasedFor(result, holder, timeout));
                released.Add(result);
            }

            return released;
        }, cancellationToken);
    }

    // Each held claim with its team's own idle timeout (NULL when the team sets none, or is not a team of the workspace).
    private const string ClaimsWithTeamTimeout = "cases c LEFT JOIN teams t ON t.workspace_id = c.workspace_id AND t.name = c.team";

    private static TimeSpan? TeamTimeout(System.Data.Common.DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : TimeSpan.FromMilliseconds(reader.GetInt64(ordinal));
}

using Handoff.Core.Cases;
using Handoff.Core.Policy;

namespace Handoff.Storage.Relational;

public abstract partial class RelationalHandoffStore
{
    /// <inheritdoc />
    /// <remarks>
    /// Approve and reject become a decision with <see cref="Decision.TimedOut"/> set, no <see cref="Decision.DecidedBy"/>
    /// and the digest of the case's proposal (approve also carries the proposal as the result). All due cases of
    /// one call expire in one transaction, each with its own <c>case.expired</c> entry by the system actor.
    /// </remarks>
    public Task<IReadOnlyList<HandoffCase>> ExpireDueCasesAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default)
    {
        if (max <= 0)
        {
            return Task.FromResult<IReadOnlyList<HandoffCase>>([]);
        }

        return _writer.RunAsync<IReadOnlyList<HandoffCase>>(w =>
        {
            var due = ReadCases(w.Command("""
                SELECT seq, document FROM cases
                WHERE expires_at IS NOT NULL AND expires_at <= @now
                ORDER BY expires_at, seq LIMIT @max
                """).Bind("@now", DbValues.Time(now)).Bind("@max", max));

            var expired = new List<HandoffCase>(due.Count);
            foreach (var (seq, current) in due)
            {
                var result = Decisions.ByTimeout(current, now);
                Update(w, seq, result);
                w.Append(current.WorkspaceId, Actor.System, AuditData.CaseExpired, current.Id, AuditData.Expired(current.OnTimeout, result.Decision));
                expired.Add(result);
            }

            return expired;
        }, cancellationToken);
    }

    public async Task<DateTimeOffset?> GetNextExpiryAsync(CancellationToken cancellationToken = default) =>
        await ScalarAsync("SELECT min(expires_at) FROM cases WHERE expires_at IS NOT NULL", cancellationToken).ConfigureAwait(false) is string next
            ? DbValues.ParseTime(next)
            : null;
}

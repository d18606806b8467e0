using Handoff.Core.Cases;
using Handoff.Core.Routing;

namespace Handoff.Storage.Relational;

public abstract partial class RelationalHandoffStore
{
    // Every open status, taken-over conversations included: they count against their person's capacity.
    private const string OpenStatuses = "('pending', 'assigned', 'escalated', 'takenOver')";

    /// <inheritdoc />
    public Task<CaseUpdate> OfferCaseAsync(string workspaceId, string caseId, Actor to, DateTimeOffset at, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        ArgumentNullException.ThrowIfNull(caseId);
        ArgumentNullException.ThrowIfNull(to);
        return _writer.RunAsync(
            w => Transition(w, workspaceId, caseId, current => Offers.Offer(current, to, at, timeout), Actor.System, AuditData.CaseOffered, AuditData.Offered),
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<CaseUpdate> AcceptOfferAsync(string workspaceId, string caseId, Actor by, DateTimeOffset at, CapacityLimit capacity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        ArgumentNullException.ThrowIfNull(caseId);
        ArgumentNullException.ThrowIfNull(by);
        ArgumentNullException.ThrowIfNull(capacity);
        return _writer.RunAsync(w =>
        {
            if (ReadForUpdate(w, workspaceId, caseId) is not var (seq, current))
            {
                return CaseUpdate.NotFound;
            }

            if (Offers.Accept(current, by, at) is not { } accepted)
            {
                return new CaseUpdate(CaseUpdateStatus.Conflict, current);
            }

            // The load is read inside the write, a write of the whole store: no other acceptance or claim can slip in
            // between this count and the update.
            if (HeldLoad(w, workspaceId, by.Id, caseId, capacity) + Weight(accepted, capacity) > capacity.Capacity)
            {
                return new CaseUpdate(CaseUpdateStatus.OverCapacity, current);
            }

            Update(w, seq, accepted);
            w.Append(workspaceId, by, AuditData.CaseAccepted, caseId, AuditData.Assignment(accepted));
            return new CaseUpdate(CaseUpdateStatus.Updated, accepted);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<CaseUpdate> DeclineOfferAsync(string workspaceId, string caseId, Actor by, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        ArgumentNullException.ThrowIfNull(caseId);
        ArgumentNullException.ThrowIfNull(by);
        return _writer.RunAsync(
            w => Transition(w, workspaceId, caseId, current => Offers.Decline(current, by, at), by, AuditData.CaseDeclined, AuditData.Assignment),
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<HandoffCase>> LapseDueOffersAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default)
    {
        if (max <= 0)
        {
            return Task.FromResult<IReadOnlyList<HandoffCase>>([]);
        }

        return _writer.RunAsync<IReadOnlyList<HandoffCase>>(w =>
        {
            var due = ReadCases(w.Command("""
                SELECT seq, document FROM cases
                WHERE offer_due_at IS NOT NULL AND offer_due_at <= @now
                ORDER BY offer_due_at, seq LIMIT @max
                """).Bind("@now", DbValues.Time(now)).Bind("@max", max));
            var lapsed = new List<HandoffCase>(due.Count);
            foreach (var (seq, current) in due)
            {
                // A due row may be a live wait ending rather than an offer lapsing: that one is the fallback's to handle.
                if (Offers.Lapse(current, now) is { } changed)
                {
                    Update(w, seq, changed);
                    w.Append(current.WorkspaceId, Actor.System, AuditData.CaseOfferLapsed, current.Id, AuditData.Offered(current));
                    lapsed.Add(changed);
                }
            }

            return lapsed;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<HandoffCase>> ListLiveCasesDueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default)
    {
        var rows = await QueryAsync(
            "SELECT document FROM cases WHERE offer_due_at IS NOT NULL AND offer_due_at <= @now ORDER BY offer_due_at, seq LIMIT @max",
            static reader => reader.GetString(0), cancellationToken, ("@now", DbValues.Time(now)), ("@max", max)).ConfigureAwait(false);
        return [.. rows.Select(CaseDocument.Deserialize).Where(c => Offers.FallBack(c, now) is not null)];
    }

    /// <inheritdoc />
    public Task<CaseUpdate> FallBackLiveCaseAsync(string workspaceId, string caseId, DateTimeOffset at, TimeSpan? expectedWait, string basis, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        ArgumentNullException.ThrowIfNull(caseId);
        ArgumentNullException.ThrowIfNull(basis);
        var data = AuditData.LiveFallback(expectedWait, basis);
        return _writer.RunAsync(
            w => Transition(w, workspaceId, caseId, current => Offers.FallBack(current, at), Actor.System, AuditData.CaseLiveFallback, _ => data),
            cancellationToken);
    }

    /// <inheritdoc />
    public async Task<DateTimeOffset?> GetNextOfferDueAsync(CancellationToken cancellationToken = default) =>
        await ScalarAsync("SELECT min(offer_due_at) FROM cases WHERE offer_due_at IS NOT NULL", cancellationToken).ConfigureAwait(false) is string next
            ? DbValues.ParseTime(next)
            : null;

    /// <inheritdoc />
    public async Task<IReadOnlyList<HandoffCase>> ListRoutableCasesAsync(string workspaceId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        var rows = await QueryAsync(
            $"SELECT document FROM cases WHERE workspace_id = @ws AND status IN {OpenStatuses} ORDER BY seq",
            static reader => reader.GetString(0), cancellationToken, ("@ws", workspaceId)).ConfigureAwait(false);
        return [.. rows.Select(CaseDocument.Deserialize)];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<HandoffCase>> ListRecentPickupsAsync(string workspaceId, string team, DateTimeOffset since, int max, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        ArgumentNullException.ThrowIfNull(team);
        // A case keeps its assignee once decided, so closed cases count too. A case is taken before it is last
        // updated, so updated_at bounds the rows read; ix_cases_pickups reads the most recently updated first, and the
        // 4 × max of them are sorted by when they were taken. A pick-up whose case was not touched since can lose its
        // place to more than 3 × max cases taken earlier and updated later (decided, say): only a team that busy
        // would see its estimate lean on slightly older pick-ups.
        var rows = await QueryAsync(
            """
            SELECT document FROM cases
            WHERE workspace_id = @ws AND team = @team AND assigned_to_id IS NOT NULL AND updated_at >= @since
            ORDER BY updated_at DESC LIMIT @max
            """,
            static reader => reader.GetString(0), cancellationToken, ("@ws", workspaceId), ("@team", team), ("@since", DbValues.Time(since)), ("@max", max * 4))
            .ConfigureAwait(false);
        return [.. rows.Select(CaseDocument.Deserialize).Where(c => c.AssignedAt >= since).OrderByDescending(static c => c.AssignedAt).Take(max)];
    }
}

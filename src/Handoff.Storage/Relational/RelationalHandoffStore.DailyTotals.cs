using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Handoff.Core;
using Handoff.Core.Cases;
using Handoff.Core.Policy;
using Handoff.Core.Statistics;

namespace Handoff.Storage.Relational;

public abstract partial class RelationalHandoffStore
{
    // The entries that can close a case. Which one did is in its data (see ClosesTheCase): a closed case never opens
    // again, so each case has exactly one.
    private const string ClosingActions =
        $"'{AuditData.CaseCreated}', '{AuditData.CaseDecided}', '{AuditData.CaseExpired}', '{AuditData.CaseHandedBack}', '{AuditData.CaseSlaStep}'";

    /// <inheritdoc />
    /// <remarks>
    /// Reads the position and the next entries that can close a case (with their case's facts, as the overview reads
    /// them) beside the writes, then in one short write adds the cases they closed to their day's row and moves the
    /// position — unless another node moved it meanwhile, when it writes nothing — so a case is counted once whichever
    /// node rolls it up. It reads the sealed log only, which grows at its end alone and never changes behind it, and
    /// closed cases, which never change in what it counts: what it read is still true when it writes. Its write is
    /// scoped to the roll-ups (<see cref="WriteScope.RollUps"/>): submissions, claims and decisions never wait for it.
    /// The overview reads the cases closed by unsealed entries with the tail.
    /// </remarks>
    public async Task<int> RollUpClosedCasesAsync(int maxEntries, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEntries, 1);
        // The position, and the sealed log's end: every entry up to it is committed, and the sealer only adds after
        // it. One read, and an idle server's roll-up, every few seconds, stops here.
        var (position, end) = (await QueryAsync(
            "SELECT position, (SELECT coalesce(max(seq), 0) FROM audit) FROM daily_totals_position WHERE id = 1",
            static reader => (reader.GetInt64(0), reader.GetInt64(1)), cancellationToken).ConfigureAwait(false))[0];
        if (end <= position)
        {
            return 0;
        }

        var entries = await QueryAsync(
            ClosingEntriesSql("AND a.seq <= @end", "LIMIT @limit"), ReadClosingEntry, cancellationToken,
            ("@after", position), ("@end", end), ("@limit", maxEntries)).ConfigureAwait(false);
        var to = entries.Count == maxEntries ? entries[^1].Sequence : end;
        return await _writer.RunAsync(WriteScope.Of(WriteScope.RollUps), w =>
        {
            if (Convert.ToInt64(w.Command("SELECT position FROM daily_totals_position WHERE id = 1").ExecuteScalar(), CultureInfo.InvariantCulture) != position)
            {
                // Another node rolled these entries up first.
                return 0;
            }

            var days = new Dictionary<(string Workspace, DateOnly Day), DayTotals>();
            foreach (var entry in entries.Where(static e => e.Closed))
            {
                var key = (entry.WorkspaceId, DateOnly.FromDateTime(entry.Record.CreatedAt.UtcDateTime));
                if (!days.TryGetValue(key, out var totals))
                {
                    days[key] = totals = new DayTotals(key.Item2);
                }

                totals.Add(entry.Record);
            }

            foreach (var ((workspaceId, day), totals) in days)
            {
                var stored = w.Command("SELECT totals FROM daily_totals WHERE workspace_id = @ws AND day = @day")
                    .Bind("@ws", workspaceId).Bind("@day", DayText(day)).ExecuteScalar();
                if (stored is string json)
                {
                    totals.Add(ReadTotals(day, json));
                    w.Command("UPDATE daily_totals SET totals = @totals WHERE workspace_id = @ws AND day = @day")
                        .Bind("@totals", WriteTotals(totals)).Bind("@ws", workspaceId).Bind("@day", DayText(day)).ExecuteNonQuery();
                }
                else
                {
                    w.Command("INSERT INTO daily_totals (workspace_id, day, totals) VALUES (@ws, @day, @totals)")
                        .Bind("@ws", workspaceId).Bind("@day", DayText(day)).Bind("@totals", WriteTotals(totals)).ExecuteNonQuery();
                }
            }

            w.Command("UPDATE daily_totals_position SET position = @to WHERE id = 1").Bind("@to", to).ExecuteNonQuery();
            return (int)Math.Min(int.MaxValue, to - position);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>
    /// One read transaction, so the roll-ups and the records agree: the days' rows (closed cases the roll-up has
    /// reached), the cases closed by entries past its position (the tail, short while the roll-up keeps up), and the
    /// open cases, read through <c>ix_cases_open</c> and <c>ix_cases_status</c>. No case is read twice or missed.
    /// </remarks>
    public Task<OverviewFacts> GetOverviewFactsAsync(string workspaceId, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        return ReadAsync(() => GetOverviewFactsOnceAsync(workspaceId, since, cancellationToken));
    }

    private async Task<OverviewFacts> GetOverviewFactsOnceAsync(string workspaceId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await BeginSnapshotAsync(connection, cancellationToken).ConfigureAwait(false);

        var position = Convert.ToInt64(
            await ScalarOnAsync(connection, transaction, "SELECT position FROM daily_totals_position WHERE id = 1", cancellationToken).ConfigureAwait(false),
            CultureInfo.InvariantCulture);
        var closedDays = await QueryOnAsync(
            connection, transaction,
            "SELECT day, totals FROM daily_totals WHERE workspace_id = @ws AND day >= @day ORDER BY day",
            static reader => ReadTotals(DateOnly.ParseExact(reader.GetString(0), "yyyy-MM-dd", CultureInfo.InvariantCulture), reader.GetString(1)),
            cancellationToken,
            ("@ws", workspaceId), ("@day", DayText(DateOnly.FromDateTime(since.UtcDateTime)))).ConfigureAwait(false);
        var tail = await QueryOnAsync(
            connection, transaction, ClosingEntriesSql("AND c.created_at >= @since", "", unsealed: true), ReadClosingEntry, cancellationToken,
            ("@after", position), ("@since", DbValues.Time(since))).ConfigureAwait(false);

        var open = await QueryOnAsync(
            connection, transaction,
            $"""
            SELECT {CaseRecordColumns} FROM cases c {CaseDocumentSource}
            WHERE c.workspace_id = @ws AND status IN ('pending', 'assigned', 'escalated') AND c.created_at >= @since
            UNION ALL
            SELECT {CaseRecordColumns} FROM cases c {CaseDocumentSource}
            WHERE c.workspace_id = @ws AND status = 'takenOver' AND c.created_at >= @since
            """,
            ReadCaseRecord, cancellationToken, ("@ws", workspaceId), ("@since", DbValues.Time(since))).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);

        // The tail's workspace is checked here: in SQL, the workspace's index on the audit log would be walked whole
        // instead of the few entries past the position.
        return new OverviewFacts(
            closedDays, [.. tail.Where(e => e.Closed && e.WorkspaceId == workspaceId).Select(static e => e.Record), .. open], position);
    }

    /// <summary>Begins a read-only transaction on <paramref name="connection"/> whose reads all see one snapshot.</summary>
    private protected abstract ValueTask<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>
    /// The columns <see cref="ReadCaseRecord"/> reads, from the case <c>c</c>. The policy closes an auto or block case
    /// the moment it arrives, so such a case never ran out of time: its audit entries are not searched for an expiry.
    /// </summary>
    private string CaseRecordColumns
    {
        get
        {
            var (reasons, verdict, deciderKind, decidedAt) = CaseDocumentFields;
            var (slaDueAt, slaWarnAt) = CaseSlaFields;
            return $"""
                c.created_at, c.outcome, c.status, {reasons}, {verdict},
                CASE WHEN c.outcome IN ('auto', 'block') THEN 1 = 0
                    ELSE EXISTS (SELECT 1 FROM audit x WHERE x.workspace_id = c.workspace_id AND x.subject = c.id AND x.action = '{AuditData.CaseExpired}') END,
                COALESCE({deciderKind}, '{Actor.SystemKind}') NOT IN ('{Actor.SystemKind}', '{Actor.PolicyKind}'), {decidedAt},
                {slaDueAt}, {slaWarnAt}
                """;
        }
    }

    // The sealed entries after @after that can close a case — and the unsealed ones too when asked — with their case's
    // facts (columns 0–9) and their own (10–13).
    private string ClosingEntriesSql(string condition, string limit, bool unsealed = false) => $"""
        SELECT {CaseRecordColumns}, coalesce(a.seq, 0), a.workspace_id, a.action, a.data
        FROM audit a JOIN cases c ON c.workspace_id = a.workspace_id AND c.id = a.subject {CaseDocumentSource}
        WHERE {(unsealed ? UnsealedOrAfter : "a.seq > @after")} AND a.action IN ({ClosingActions}) {condition}
        ORDER BY a.seq {limit}
        """;

    private static ClosingEntry ReadClosingEntry(DbDataReader reader)
    {
        var record = ReadCaseRecord(reader);
        var action = reader.GetString(12);
        // Most entries are the submissions of cases the policy closed as they came: no need to read their data.
        var closed = (action == AuditData.CaseCreated && record.Outcome is Outcome.Auto or Outcome.Block) || ClosesTheCase(action, reader.GetString(13));
        return new(reader.GetInt64(10), reader.GetString(11), record, closed);
    }

    /// <summary>
    /// Whether the entry closed its case: a decision always does; an expiry unless it escalated; a submission, a
    /// handback or a ladder rung when the status it left is closed.
    /// </summary>
    private static bool ClosesTheCase(string action, string data)
    {
        if (action == AuditData.CaseDecided)
        {
            return true;
        }

        // Data Handoff did not write (a damaged or forged entry, which audit verify reports) closes nothing here:
        // one bad entry must not stop every workspace's overview.
        ClosingFields? fields;
        try
        {
            fields = JsonSerializer.Deserialize<ClosingFields>(data, HandoffJson.Options);
        }
        catch (JsonException)
        {
            return false;
        }

        return action == AuditData.CaseExpired
            ? fields is { Effect: { } effect } && effect != TimeoutEffect.Escalate
            : fields is { Status: { } status } && !status.IsOpen();
    }

    private static string DayText(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string WriteTotals(DayTotals totals) => JsonSerializer.Serialize(
        new TotalsDocument(
            totals.Counts,
            totals.EscalationsByRule.ToDictionary(StringComparer.Ordinal),
            totals.DecisionsByVerdict.ToDictionary(static p => DbValues.Name(p.Key), static p => p.Value, StringComparer.Ordinal),
            totals.TimesToDecision.Counts.ToDictionary(),
            totals.SlaMet,
            totals.SlaMissed),
        HandoffJson.Options);

    private static DayTotals ReadTotals(DateOnly day, string json)
    {
        var document = JsonSerializer.Deserialize<TotalsDocument>(json, HandoffJson.Options)
            ?? throw new InvalidDataException($"The totals of {DayText(day)} are null.");
        var totals = new DayTotals(day);
        totals.AddCounts(document.Counts);
        foreach (var (rule, count) in document.Rules)
        {
            totals.AddRule(rule, count);
        }

        foreach (var (verdict, count) in document.Verdicts)
        {
            totals.AddVerdict(DbValues.ParseName<Verdict>(verdict), count);
        }

        foreach (var (step, count) in document.Times)
        {
            totals.TimesToDecision.Add(step, count);
        }

        totals.AddSla(document.SlaMet, document.SlaMissed);
        return totals;
    }

    private sealed record ClosingEntry(long Sequence, string WorkspaceId, CaseRecord Record, bool Closed);

    private sealed record ClosingFields(CaseStatus? Status, TimeoutEffect? Effect);

    // A day's totals as stored: verdicts by their lowercase name, decision times by the start of their step in seconds.
    private sealed record TotalsDocument(
        CaseCounts Counts,
        Dictionary<string, int> Rules,
        Dictionary<string, int> Verdicts,
        Dictionary<long, int> Times,
        int SlaMet,
        int SlaMissed);
}

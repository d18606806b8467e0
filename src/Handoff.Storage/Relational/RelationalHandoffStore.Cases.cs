using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Handoff.Core.Cases;
using Handoff.Core.Routing;

namespace Handoff.Storage.Relational;

public abstract partial class RelationalHandoffStore
{
    private const string InsertCaseSql = """
        INSERT INTO cases (id, workspace_id, status, team, priority, outcome, created_at, updated_at, expires_at, idempotency_key, assigned_to_id, document,
            offer_due_at, sla_next_at)
        VALUES (@id, @ws, @status, @team, @priority, @outcome, @created, @updated, @expires, @key, @assigned, @document,
            @offerDue, @slaNext)
        ON CONFLICT (workspace_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
        """;

    // A person's claim is seen when it is made (its change's time) and keeps that until renewed; anything that ends
    // the claim, or a claim that is not a person's, clears it (see RelationalHandoffStore.Claims).
    private const string UpdateCaseSql = """
        UPDATE cases SET status = @status, priority = @priority, updated_at = @updated, expires_at = @expires, assigned_to_id = @assigned, document = @document,
            offer_due_at = @offerDue,
            claim_seen_at = CASE WHEN @personHolds = 1 THEN COALESCE(claim_seen_at, @updated) ELSE NULL END,
            team = @team, sla_next_at = @slaNext
        WHERE seq = @seq
        """;

    public async Task<CreateCaseResult> CreateCaseAsync(HandoffCase newCase, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(newCase);
        var stored = newCase.UpdatedAt == default ? newCase with { UpdatedAt = newCase.CreatedAt } : newCase;
        // Serializing outside the write lock keeps the lock for the database work only.
        var document = CaseDocument.Serialize(stored);
        var auditData = AuditData.Created(stored);
        return await _writer.RunAsync(SubmissionScope(stored), w =>
        {
            // A repeated idempotency key hits the unique index and inserts nothing. The scope's key makes concurrent
            // duplicates take turns, and the index keeps even another process from adding a second row.
            var inserted = w.Command(InsertCaseSql)
                .Bind("@id", stored.Id).Bind("@ws", stored.WorkspaceId).Bind("@status", DbValues.Status(stored.Status))
                .Bind("@team", stored.Evaluation.Team).Bind("@priority", (int)stored.Evaluation.Priority)
                .Bind("@outcome", DbValues.Outcome(stored.Evaluation.Outcome)).Bind("@created", DbValues.Time(stored.CreatedAt))
                .Bind("@updated", DbValues.Time(stored.UpdatedAt)).Bind("@expires", ExpiryColumn(stored))
                .Bind("@key", stored.IdempotencyKey).Bind("@assigned", stored.AssignedTo?.Id).Bind("@document", document)
                .Bind("@offerDue", DbValues.Time(Offers.NextDue(stored)))
                .Bind("@slaNext", SlaColumn(stored))
                .ExecuteNonQuery();
            if (inserted == 0)
            {
                var earlier = (string)w.Command("SELECT document FROM cases WHERE workspace_id = @ws AND idempotency_key = @key")
                    .Bind("@ws", stored.WorkspaceId).Bind("@key", stored.IdempotencyKey).ExecuteScalar()!;
                return new CreateCaseResult(CaseDocument.Deserialize(earlier), Created: false);
            }

            w.Append(stored.WorkspaceId, stored.SubmittedBy ?? Actor.System, AuditData.CaseCreated, stored.Id, auditData);
            EnqueueQa(w, stored);
            return new CreateCaseResult(stored, Created: true);
        }, cancellationToken).ConfigureAwait(false);
    }

    // A new case's own row, its idempotency key, and the load of whoever it is given to at once.
    private static WriteScope SubmissionScope(HandoffCase c)
    {
        var keys = new List<long>(3) { WriteScope.Case(c.WorkspaceId, c.Id) };
        if (c.IdempotencyKey is { } key)
        {
            keys.Add(WriteScope.Submission(c.WorkspaceId, key));
        }

        if (c.AssignedTo is { } holder)
        {
            keys.Add(WriteScope.Person(holder.Id));
        }

        return WriteScope.Of([.. keys]);
    }

    // A change of one case that gives it to nobody new: the case's row alone.
    private static WriteScope CaseScope(string workspaceId, string caseId) => WriteScope.Of(WriteScope.Case(workspaceId, caseId));

    // A change that may give the case to the person, who must have room for it.
    private static WriteScope CaseAndPersonScope(string workspaceId, string caseId, Actor person) =>
        WriteScope.Of(WriteScope.Case(workspaceId, caseId), WriteScope.Person(person.Id));

    public async Task<HandoffCase?> GetCaseAsync(string workspaceId, string caseId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        ArgumentNullException.ThrowIfNull(caseId);
        var document = await ScalarAsync("SELECT document FROM cases WHERE id = @id AND workspace_id = @ws", cancellationToken, ("@id", caseId), ("@ws", workspaceId))
            .ConfigureAwait(false);
        return document is string json ? CaseDocument.Deserialize(json) : null;
    }

    /// <inheritdoc />
    /// <remarks>Pages hold at most 10,000 cases whatever <paramref name="limit"/> asks.</remarks>
    public async Task<IReadOnlyList<HandoffCase>> ReadCasesAsync(string? afterId, int limit, CancellationToken cancellationToken = default)
    {
        if (limit <= 0)
        {
            return [];
        }

        var rows = await QueryAsync(
            "SELECT id, document, workspace_id, status, priority, assigned_to_id FROM cases WHERE id > @after ORDER BY id LIMIT @limit",
            static reader => new CaseRow(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4), DbValues.ReadString(reader, 5)),
            cancellationToken, ("@after", afterId ?? ""), ("@limit", Math.Min(limit, MaxAuditPage))).ConfigureAwait(false);
        return rows.ConvertAll(static row =>
        {
            HandoffCase read;
            try
            {
                read = CaseDocument.Deserialize(row.Document);
            }
            catch (JsonException e)
            {
                throw BrokenRecordException.Case(row.Id, $"its document is not a case: {e.Message}", e);
            }

            // The inbox, the filters and expiry read these columns, not the document: an edit to them alone changes
            // what people see, so they must say what the document says.
            var disagreement =
                row.WorkspaceId != read.WorkspaceId ? ("workspace_id", row.WorkspaceId, read.WorkspaceId)
                : row.Status != DbValues.Status(read.Status) ? ("status", row.Status, DbValues.Status(read.Status))
                : row.Priority != (long)read.Evaluation.Priority ? ("priority", row.Priority.ToString(CultureInfo.InvariantCulture), ((int)read.Evaluation.Priority).ToString(CultureInfo.InvariantCulture))
                : row.AssignedToId != read.AssignedTo?.Id ? ("assigned_to_id", row.AssignedToId ?? "null", read.AssignedTo?.Id ?? "null")
                : ((string Column, string Stored, string Document)?)null;
            return disagreement is { } d
                ? throw BrokenRecordException.Case(row.Id, $"its {d.Column} column says '{d.Stored}' but its document says '{d.Document}'")
                : read;
        });
    }

    private sealed record CaseRow(string Id, string Document, string WorkspaceId, string Status, long Priority, string? AssignedToId);

    public async Task<CasePage> ListCasesAsync(string workspaceId, CaseQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        ArgumentNullException.ThrowIfNull(query);
        var limit = Math.Clamp(query.Limit, 1, MaxPageSize);
        var after = query.Cursor is null ? (long?)null : CaseCursor.Decode(query.Cursor);

        // Only the parameters the statement uses: PostgreSQL refuses one it cannot give a type to.
        List<(string, object?)> parameters = [("@ws", workspaceId), ("@take", limit + 1)];
        if (query.Status is { } status)
        {
            parameters.Add(("@status", DbValues.Status(status)));
        }

        if (query.Team is not null)
        {
            parameters.Add(("@team", query.Team));
        }

        if (after is not null)
        {
            parameters.Add(("@after", after));
        }

        if (query.AwaitingExecution)
        {
            parameters.Add(("@approved", DbValues.Status(CaseStatus.Approved)));
        }

        // One row more than the page tells whether there is a next page without a count query.
        var (receipt, resultDigest) = CaseReceiptFields;
        var rows = await QueryAsync(
            $"""
            SELECT seq, document FROM cases c
            WHERE workspace_id = @ws
            {(query.Status is null ? "" : "AND status = @status")}
            {(query.AwaitingExecution ? $"AND status = @approved AND {receipt} IS NULL AND {resultDigest} IS NOT NULL" : "")}
            {(query.Team is null ? "" : "AND team = @team")}
            {(after is null ? "" : "AND seq < @after")}
            ORDER BY seq DESC LIMIT @take
            """,
            static reader => (Seq: reader.GetInt64(0), Document: reader.GetString(1)),
            cancellationToken,
            [.. parameters]).ConfigureAwait(false);
        var more = rows.Count > limit;
        var page = more ? rows[..limit] : rows;
        return new CasePage([.. page.Select(static row => CaseDocument.Deserialize(row.Document))], more ? CaseCursor.Encode(page[^1].Seq) : null);
    }

    /// <inheritdoc />
    /// <remarks>
    /// A pending case becomes <see cref="CaseStatus.Assigned"/>; an escalated one keeps <see cref="CaseStatus.Escalated"/>
    /// (and gets the assignee), so the queue still shows it was raised. Claiming a case one already holds changes and
    /// audits nothing and returns <see cref="CaseUpdateStatus.Updated"/>.
    /// </remarks>
    public Task<CaseUpdate> ClaimCaseAsync(string workspaceId, string caseId, Actor actor, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        ArgumentNullException.ThrowIfNull(caseId);
        ArgumentNullException.ThrowIfNull(actor);
        return _writer.RunAsync(
            CaseAndPersonScope(workspaceId, caseId, actor),
            w => Transition(w, workspaceId, caseId, current => CaseTransitions.Claim(current, actor, at), actor, AuditData.CaseClaimed, AuditData.Assignment),
            cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Only the holder may release; an assigned case goes back to <see cref="CaseStatus.Pending"/>, an escalated one stays escalated.</remarks>
    public Task<CaseUpdate> ReleaseCaseAsync(string workspaceId, string caseId, Actor actor, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        ArgumentNullException.ThrowIfNull(caseId);
        ArgumentNullException.ThrowIfNull(actor);
        return _writer.RunAsync(
            CaseScope(workspaceId, caseId),
            w => Transition(w, workspaceId, caseId, current => CaseTransitions.Release(current, actor, at), actor, AuditData.CaseReleased, AuditData.Assignment),
            cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// <paramref name="newStatus"/> must be a closed status (a decision that left the case open could be followed by
    /// another). The case keeps its assignee and loses its expiry; <see cref="HandoffCase.UpdatedAt"/> becomes the
    /// decision's time.
    /// </remarks>
    public Task<CaseUpdate> DecideCaseAsync(string workspaceId, string caseId, Decision decision, CaseStatus newStatus, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        ArgumentNullException.ThrowIfNull(caseId);
        ArgumentNullException.ThrowIfNull(decision);
        if (newStatus.IsOpen())
        {
            throw new ArgumentOutOfRangeException(nameof(newStatus), newStatus, "A decision closes the case.");
        }

        // An approval that leaves the case open for the next approver is logged as one; the decision that closes a
        // case is logged as it stands on the case (after several approvals, with the first approver's result).
        // A decision closes the case or leaves it to nobody (CaseTransitions.Decide): no one's load grows.
        return _writer.RunAsync(
            CaseScope(workspaceId, caseId),
            w => Transition(
                w, workspaceId, caseId, current => CaseTransitions.Decide(current, decision, newStatus), ActorOf(decision),
                static changed => changed.Status.IsOpen() ? AuditData.CaseApproval : AuditData.CaseDecided,
                static changed => changed.Status.IsOpen() ? AuditData.Approval(changed) : AuditData.Decided(changed.Decision!)),
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<CaseUpdate> TakeOverCaseAsync(string workspaceId, string caseId, Actor actor, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        ArgumentNullException.ThrowIfNull(caseId);
        ArgumentNullException.ThrowIfNull(actor);
        return _writer.RunAsync(
            CaseAndPersonScope(workspaceId, caseId, actor),
            w => Transition(w, workspaceId, caseId, current => CaseTransitions.TakeOver(current, actor, at), actor, AuditData.CaseTakenOver, AuditData.Assignment),
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<CaseUpdate> AddCaseMessageAsync(
        string workspaceId, string caseId, CaseMessageRole role, string text, Actor by, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        ArgumentNullException.ThrowIfNull(caseId);
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(by);
        return _writer.RunAsync(
            w => Transition(w, workspaceId, caseId, current => CaseTransitions.AddMessage(current, role, text, by, at), by, AuditData.CaseMessage,
                static changed => AuditData.Message(changed.Transcript![^1])),
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<CaseUpdate> HandBackCaseAsync(string workspaceId, string caseId, Actor actor, string note, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        ArgumentNullException.ThrowIfNull(caseId);
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(note);
        return _writer.RunAsync(
            w => Transition(w, workspaceId, caseId, current => CaseTransitions.HandBack(current, actor, note, at), actor, AuditData.CaseHandedBack, AuditData.HandedBack),
            cancellationToken);
    }

    // Read, check and write happen in one write transaction, which holds its scope's locks from its start (see
    // BatchWriter): no other write of the case, on this node or any other, runs between the read and the write, and
    // none that adds to the load of the person the change gives the case to (whom the scope must name).
    private static CaseUpdate Transition(
        BatchWriter w, string workspaceId, string caseId, Func<HandoffCase, HandoffCase?> change, Actor actor, string action, Func<HandoffCase, string> auditData) =>
        Transition(w, workspaceId, caseId, change, actor, _ => action, auditData);

    private static CaseUpdate Transition(
        BatchWriter w, string workspaceId, string caseId, Func<HandoffCase, HandoffCase?> change, Actor actor, Func<HandoffCase, string> action, Func<HandoffCase, string> auditData)
    {
        if (ReadForUpdate(w, workspaceId, caseId) is not var (seq, current))
        {
            return CaseUpdate.NotFound;
        }

        if (change(current) is not { } changed)
        {
            return new CaseUpdate(CaseUpdateStatus.Conflict, current);
        }

        if (ReferenceEquals(changed, current))
        {
            return new CaseUpdate(CaseUpdateStatus.Updated, changed);
        }

        if (!Fits(w, workspaceId, current, changed))
        {
            return new CaseUpdate(CaseUpdateStatus.OverCapacity, current);
        }

        Update(w, seq, changed);
        w.Append(workspaceId, actor, action(changed), caseId, auditData(changed));
        return new CaseUpdate(CaseUpdateStatus.Updated, changed);
    }

    private static (long Seq, HandoffCase Case)? ReadForUpdate(BatchWriter w, string workspaceId, string caseId)
    {
        using var reader = w.Command("SELECT seq, document FROM cases WHERE id = @id AND workspace_id = @ws")
            .Bind("@id", caseId).Bind("@ws", workspaceId).ExecuteReader();
        return reader.Read() ? (reader.GetInt64(0), CaseDocument.Deserialize(reader.GetString(1))) : null;
    }

    /// <summary>The rows of a <c>SELECT seq, document</c> inside a write, to change them in the same transaction.</summary>
    private static List<(long Seq, HandoffCase Case)> ReadCases(DbCommand command)
    {
        var cases = new List<(long Seq, HandoffCase Case)>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            cases.Add((reader.GetInt64(0), CaseDocument.Deserialize(reader.GetString(1))));
        }

        return cases;
    }

    private static void Update(BatchWriter w, long seq, HandoffCase updated)
    {
        UpdateRow(w, seq, updated);
        if (updated.Decision is not null)
        {
            // The ledger learning reads, in the decision's own transaction (once per case; see DecisionLedger).
            DecisionLedger.Insert(w.Later, updated);
        }
    }

    // Nothing in a write reads what the update returns, so it goes with the write's other statements (BatchWriter.Later).
    private static void UpdateRow(BatchWriter w, long seq, HandoffCase updated) =>
        w.Later(UpdateCaseSql)
            .Bind("@status", DbValues.Status(updated.Status)).Bind("@priority", (int)updated.Evaluation.Priority)
            .Bind("@updated", DbValues.Time(updated.UpdatedAt)).Bind("@expires", ExpiryColumn(updated))
            .Bind("@assigned", updated.AssignedTo?.Id).Bind("@document", CaseDocument.Serialize(updated)).Bind("@seq", seq)
            .Bind("@personHolds", updated.Status.IsOpen() && updated.AssignedTo?.IsDashboardUser() == true ? 1 : 0)
            .Bind("@offerDue", DbValues.Time(Offers.NextDue(updated)))
            .Bind("@team", updated.Evaluation.Team).Bind("@slaNext", SlaColumn(updated));

    // Only open cases carry an expiry in the indexed column, so the expiry index lists exactly the cases to expire.
    private static string? ExpiryColumn(HandoffCase c) => c.Status.IsOpen() ? DbValues.Time(c.ExpiresAt) : null;

    // Likewise the SLA index holds exactly the open cases with an SLA event still to come.
    private static string? SlaColumn(HandoffCase c) => DbValues.Time(SlaLadder.NextAt(c));
}

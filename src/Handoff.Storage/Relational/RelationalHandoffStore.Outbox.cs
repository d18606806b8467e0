using System.Data.Common;
using Handoff.Core.Cases;
using Handoff.Storage.Outbox;

namespace Handoff.Storage.Relational;

public abstract partial class RelationalHandoffStore
{
    private const string DeliveryColumns =
        "id, event_id, event_type, workspace_id, case_id, channel, target, body, status, attempts, next_at, leased_by, last_status, last_error, reference, created_at, updated_at";

    private const string DispatcherPosition = "dispatcher";

    /// <inheritdoc />
    public async Task<long> GetDispatchPositionAsync(CancellationToken cancellationToken = default) =>
        await ScalarAsync("SELECT position FROM outbox_position WHERE name = @name", cancellationToken, ("@name", DispatcherPosition)).ConfigureAwait(false) is { } position
            ? Convert.ToInt64(position, System.Globalization.CultureInfo.InvariantCulture)
            : 0;

    /// <inheritdoc />
    /// <remarks>
    /// The position is compared and moved inside the write, which is scoped to the dispatcher's position
    /// (<see cref="WriteScope.Outbox"/>; it only adds deliveries of its own): of two dispatchers that read the same
    /// entries, one enqueues them and the other is told it lost, and no case's write waits for either.
    /// </remarks>
    public Task<bool> EnqueueAsync(long from, long to, IReadOnlyList<NewDelivery> deliveries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deliveries);
        ArgumentOutOfRangeException.ThrowIfLessThan(to, from);
        return _writer.RunAsync(WriteScope.Of(WriteScope.Outbox), w =>
        {
            var current = w.Command("SELECT position FROM outbox_position WHERE name = @name").Bind("@name", DispatcherPosition).ExecuteScalar();
            if (current is null or DBNull || Convert.ToInt64(current, System.Globalization.CultureInfo.InvariantCulture) != from)
            {
                return false;
            }

            foreach (var d in deliveries)
            {
                InsertDelivery(w, d, w.Now);
            }

            w.Command("UPDATE outbox_position SET position = @to WHERE name = @name").Bind("@to", to).Bind("@name", DispatcherPosition).ExecuteNonQuery();
            return true;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task AddDeliveriesAsync(IReadOnlyList<NewDelivery> deliveries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deliveries);
        return deliveries.Count == 0
            ? Task.CompletedTask
            : _writer.RunAsync(w =>
            {
                foreach (var d in deliveries)
                {
                    InsertDelivery(w, d, w.Now);
                }

                return true;
            }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<Delivery>> LeaseDeliveriesAsync(string holder, DateTimeOffset now, TimeSpan lease, int max, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(holder);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);
        if (max <= 0)
        {
            return Task.FromResult<IReadOnlyList<Delivery>>([]);
        }

        // Scoped to the deliveries: leases and completions take turns with each other on every node, never with cases.
        return _writer.RunAsync<IReadOnlyList<Delivery>>(WriteScope.Of(WriteScope.Deliveries), w =>
        {
            var due = ReadDeliveries(w.Command($"""
                SELECT {DeliveryColumns} FROM outbox
                WHERE next_at IS NOT NULL AND next_at <= @now
                ORDER BY next_at, id LIMIT @max
                """).Bind("@now", DbValues.Time(now)).Bind("@max", max));
            var until = now + lease;
            var leased = new List<Delivery>(due.Count);
            foreach (var d in due)
            {
                // The next attempt time moves on by the lease: should this node die mid-attempt, the row falls due again
                // then, for any node to take.
                var taken = d with { Attempts = d.Attempts + 1, NextAt = until, LeasedBy = holder, UpdatedAt = now };
                w.Command("UPDATE outbox SET attempts = @attempts, next_at = @next, leased_by = @holder, updated_at = @now WHERE id = @id")
                    .Bind("@attempts", taken.Attempts).Bind("@next", DbValues.Time(until)).Bind("@holder", holder).Bind("@now", DbValues.Time(now))
                    .Bind("@id", d.Id).ExecuteNonQuery();
                leased.Add(taken);
            }

            return leased;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<Delivery?> CompleteDeliveryAsync(string deliveryId, string holder, DeliveryResult result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deliveryId);
        ArgumentNullException.ThrowIfNull(holder);
        ArgumentNullException.ThrowIfNull(result);
        // Scoped to the deliveries, as leases are; it changes its endpoint's health too, which only completions and
        // whole-store writes (an admin's) change.
        return _writer.RunAsync(WriteScope.Of(WriteScope.Deliveries), w =>
        {
            if (ReadDelivery(w, deliveryId) is not { } current)
            {
                return null;
            }

            var attempt = result.Attempt;
            // The attempt happened whatever became of the lease since, so it is logged; the row changes only while the
            // lease is still this attempt's (a node that outlived its lease must not undo what the next one did).
            w.Command("""
                INSERT INTO outbox_attempts (delivery_id, number, at, delivered, status_code, latency_ms, error, response_excerpt)
                VALUES (@id, @number, @at, @delivered, @status, @latency, @error, @excerpt)
                ON CONFLICT (delivery_id, number) DO NOTHING
                """).Bind("@id", deliveryId).Bind("@number", attempt.Number).Bind("@at", DbValues.Time(attempt.At)).Bind("@delivered", attempt.Delivered)
                .Bind("@status", attempt.StatusCode).Bind("@latency", attempt.LatencyMs).Bind("@error", Cut(attempt.Error, 500))
                .Bind("@excerpt", Cut(attempt.ResponseExcerpt, 500)).ExecuteNonQuery();
            if (current.Status != DeliveryStatus.Pending || current.LeasedBy != holder || current.Attempts != attempt.Number)
            {
                return current;
            }

            var status = attempt.Delivered ? DeliveryStatus.Delivered : result.NextAt is null ? DeliveryStatus.Failed : DeliveryStatus.Pending;
            var after = current with
            {
                Status = status,
                NextAt = status == DeliveryStatus.Pending ? result.NextAt : null,
                LastStatusCode = attempt.StatusCode,
                LastError = Cut(attempt.Error, 500),
                Reference = result.Reference ?? current.Reference,
                UpdatedAt = attempt.At,
            };
            w.Command("""
                UPDATE outbox SET status = @status, next_at = @next, last_status = @code, last_error = @error, reference = @reference, updated_at = @at
                WHERE id = @id
                """).Bind("@status", DbValues.Name(after.Status)).Bind("@next", DbValues.Time(after.NextAt)).Bind("@code", after.LastStatusCode)
                .Bind("@error", after.LastError).Bind("@reference", after.Reference).Bind("@at", DbValues.Time(after.UpdatedAt)).Bind("@id", deliveryId)
                .ExecuteNonQuery();

            if (current.Channel == DeliveryChannels.Webhook)
            {
                // The endpoint's health: failing since the first failure after its last delivered message.
                w.Command(attempt.Delivered
                        ? "UPDATE webhook_endpoints SET failing_since = NULL WHERE id = @id AND workspace_id = @ws"
                        : "UPDATE webhook_endpoints SET failing_since = coalesce(failing_since, @at) WHERE id = @id AND workspace_id = @ws")
                    .Bind("@at", DbValues.Time(attempt.At)).Bind("@id", current.Target).Bind("@ws", current.WorkspaceId).ExecuteNonQuery();
                if (result.DisableEndpoint is { } reason)
                {
                    DisableEndpoint(w, current.WorkspaceId, current.Target, reason, attempt.At);
                }
            }

            return after;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<DateTimeOffset?> GetNextDeliveryDueAsync(CancellationToken cancellationToken = default) =>
        await ScalarAsync("SELECT min(next_at) FROM outbox WHERE next_at IS NOT NULL", cancellationToken).ConfigureAwait(false) is string next
            ? DbValues.ParseTime(next)
            : null;

    /// <inheritdoc />
    public async Task<Delivery?> GetDeliveryAsync(string workspaceId, string deliveryId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        ArgumentNullException.ThrowIfNull(deliveryId);
        var rows = await QueryAsync($"SELECT {DeliveryColumns} FROM outbox WHERE id = @id AND workspace_id = @ws", ReadDelivery, cancellationToken,
            ("@id", deliveryId), ("@ws", workspaceId)).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Delivery>> ListDeliveriesAsync(string workspaceId, DeliveryQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        ArgumentNullException.ThrowIfNull(query);
        var (conditions, parameters) = Filters(query.Channel, query.Target, query.Status, null, null);
        if (query.Before is not null)
        {
            conditions += " AND id < @before";
            parameters.Add(("@before", query.Before));
        }

        parameters.Add(("@ws", workspaceId));
        parameters.Add(("@limit", Math.Clamp(query.Limit, 1, 500)));
        return await QueryAsync(
            $"SELECT {DeliveryColumns} FROM outbox WHERE workspace_id = @ws{conditions} ORDER BY id DESC LIMIT @limit",
            ReadDelivery, cancellationToken, [.. parameters]).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<DeliveryAttempt>> ListDeliveryAttemptsAsync(string workspaceId, string deliveryId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        ArgumentNullException.ThrowIfNull(deliveryId);
        return await QueryAsync(
            """
            SELECT a.delivery_id, a.number, a.at, a.delivered, a.status_code, a.latency_ms, a.error, a.response_excerpt
            FROM outbox_attempts a JOIN outbox o ON o.id = a.delivery_id
            WHERE a.delivery_id = @id AND o.workspace_id = @ws
            ORDER BY a.number
            """,
            static r => new DeliveryAttempt(
                r.GetString(0), r.GetInt32(1), DbValues.ParseTime(r.GetString(2)), r.GetBoolean(3), r.IsDBNull(4) ? null : r.GetInt32(4), r.GetInt32(5),
                DbValues.ReadString(r, 6), DbValues.ReadString(r, 7)),
            cancellationToken, ("@id", deliveryId), ("@ws", workspaceId)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<int> ReplayDeliveriesAsync(string workspaceId, DeliveryReplay replay, Actor actor, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        ArgumentNullException.ThrowIfNull(replay);
        ArgumentNullException.ThrowIfNull(actor);
        return _writer.RunAsync(w =>
        {
            // A replay starts the schedule afresh: attempts count from where the log is, and the first is due now.
            var (conditions, parameters) = Filters(replay.Channel, replay.Target, DeliveryStatus.Failed, replay.DeliveryId, replay.Since);
            var command = w.Command($"UPDATE outbox SET status = 'pending', next_at = @at, updated_at = @at WHERE workspace_id = @ws{conditions}")
                .Bind("@at", DbValues.Time(at)).Bind("@ws", workspaceId);
            foreach (var (name, value) in parameters)
            {
                command.Bind(name, value);
            }

            var count = command.ExecuteNonQuery();
            if (count > 0)
            {
                w.Append(workspaceId, actor, AuditData.DeliveriesReplayed, replay.DeliveryId ?? replay.Target ?? workspaceId,
                    AuditData.Replayed(count, replay.Channel, replay.Target, replay.DeliveryId, replay.Since));
            }

            return count;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<string?> GetDeliveryReferenceAsync(string workspaceId, string caseId, string channel, string target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        ArgumentNullException.ThrowIfNull(caseId);
        var rows = await QueryAsync(
            """
            SELECT reference FROM outbox
            WHERE case_id = @case AND channel = @channel AND workspace_id = @ws AND target = @target AND reference IS NOT NULL
            ORDER BY id LIMIT 1
            """,
            static r => r.GetString(0), cancellationToken, ("@case", caseId), ("@channel", channel), ("@ws", workspaceId), ("@target", target)).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    // Only the filters given become conditions: a NULL parameter has no type PostgreSQL can infer.
    private static (string Conditions, List<(string Name, object? Value)> Parameters) Filters(
        string? channel, string? target, DeliveryStatus? status, string? id, DateTimeOffset? since)
    {
        var conditions = new System.Text.StringBuilder();
        var parameters = new List<(string Name, object? Value)>();
        void Add(string condition, string name, object value)
        {
            conditions.Append(" AND ").Append(condition);
            parameters.Add((name, value));
        }

        if (channel is not null)
        {
            Add("channel = @channel", "@channel", channel);
        }

        if (target is not null)
        {
            Add("target = @target", "@target", target);
        }

        if (status is { } s)
        {
            Add("status = @status", "@status", DbValues.Name(s));
        }

        if (id is not null)
        {
            Add("id = @id", "@id", id);
        }

        if (since is { } from)
        {
            Add("created_at >= @since", "@since", DbValues.Time(from));
        }

        return (conditions.ToString(), parameters);
    }

    private static void InsertDelivery(BatchWriter w, NewDelivery d, DateTimeOffset now)
    {
        // An event fanned out again to a destination it already has (the same id, channel and target) adds nothing.
        w.Command($"""
            INSERT INTO outbox ({DeliveryColumns})
            VALUES (@id, @event, @type, @ws, @case, @channel, @target, @body, 'pending', 0, @due, NULL, NULL, NULL, NULL, @now, @now)
            ON CONFLICT (event_id, channel, target) DO NOTHING
            """).Bind("@id", $"dlv_{Guid.CreateVersion7(now):N}").Bind("@event", d.EventId).Bind("@type", d.EventType).Bind("@ws", d.WorkspaceId)
            .Bind("@case", d.CaseId).Bind("@channel", d.Channel).Bind("@target", d.Target).Bind("@body", d.Body).Bind("@now", DbValues.Time(now))
            .Bind("@due", DbValues.Time(d.DueAt is { } due && due > now ? due : now)).ExecuteNonQuery();
    }

    private static Delivery? ReadDelivery(BatchWriter w, string id)
    {
        var rows = ReadDeliveries(w.Command($"SELECT {DeliveryColumns} FROM outbox WHERE id = @id").Bind("@id", id));
        return rows.Count == 0 ? null : rows[0];
    }

    private static List<Delivery> ReadDeliveries(DbCommand command)
    {
        var rows = new List<Delivery>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            rows.Add(ReadDelivery(reader));
        }

        return rows;
    }

    private static Delivery ReadDelivery(DbDataReader r) => new()
    {
        Id = r.GetString(0),
        EventId = r.GetString(1),
        EventType = r.GetString(2),
        WorkspaceId = r.GetString(3),
        CaseId = DbValues.ReadString(r, 4),
        Channel = r.GetString(5),
        Target = r.GetString(6),
        Body = r.GetString(7),
        Status = DbValues.ParseName<DeliveryStatus>(r.GetString(8)),
        Attempts = r.GetInt32(9),
        NextAt = DbValues.ReadTime(r, 10),
        LeasedBy = DbValues.ReadString(r, 11),
        LastStatusCode = r.IsDBNull(12) ? null : r.GetInt32(12),
        LastError = DbValues.ReadString(r, 13),
        Reference = DbValues.ReadString(r, 14),
        CreatedAt = DbValues.ParseTime(r.GetString(15)),
        UpdatedAt = DbValues.ParseTime(r.GetString(16)),
    };

    private static string? Cut(string? text, int max) => text is { Length: var n } && n > max ? text[..max] : text;
}

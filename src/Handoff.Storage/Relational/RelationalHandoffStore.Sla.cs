using Handoff.Core.Cases;
using Handoff.Core.Policy;
using Handoff.Core.Routing;

namespace Handoff.Storage.Relational;

public abstract partial class RelationalHandoffStore
{
    /// <inheritdoc />
    /// <remarks>
    /// All due cases of one call change in one transaction, each event with its own entry by the system actor. The
    /// teams a rung needs (overflow team, supervisor) are read inside the same transaction, so a rung never acts on a
    /// team a concurrent write just changed.
    /// </remarks>
    public Task<IReadOnlyList<HandoffCase>> RunDueSlaEventsAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default)
    {
        if (max <= 0)
        {
            return Task.FromResult<IReadOnlyList<HandoffCase>>([]);
        }

        return _writer.RunAsync<IReadOnlyList<HandoffCase>>(w =>
        {
            var due = ReadCases(w.Command("""
                SELECT seq, document FROM cases
                WHERE sla_next_at IS NOT NULL AND sla_next_at <= @now
                ORDER BY sla_next_at, seq LIMIT @max
                """).Bind("@now", DbValues.Time(now)).Bind("@max", max));

            var changed = new List<HandoffCase>(due.Count);
            foreach (var (seq, current) in due)
            {
                var events = SlaLadder.Run(current, now, team => ReadSlaTeam(w, current.WorkspaceId, team, current));
                if (events.Count == 0)
                {
                    // The column said due but the document has nothing due: set the column from the document, so the
                    // case is not read again at every pass.
                    Update(w, seq, current);
                    continue;
                }

                foreach (var e in events)
                {
                    var (action, data) = e.Kind switch
                    {
                        SlaEventKind.Warning => (AuditData.CaseSlaWarning, AuditData.SlaWarning(e.After.Sla!)),
                        SlaEventKind.Breach => (AuditData.CaseSlaBreached, AuditData.SlaBreached(e.After.Sla!)),
                        _ when e.Action == BreachAction.Timeout => (AuditData.CaseExpired, AuditData.ExpiredBySla(e.Before.OnTimeout, e.After.Decision)),
                        _ => (AuditData.CaseSlaStep, AuditData.SlaStep(e)),
                    };
                    w.Append(current.WorkspaceId, Actor.System, action, current.Id, data);
                }

                var after = events[^1].After;
                Update(w, seq, after);
                changed.Add(after);
            }

            return changed;
        }, cancellationToken);
    }

    public async Task<DateTimeOffset?> GetNextSlaEventAsync(CancellationToken cancellationToken = default) =>
        await ScalarAsync("SELECT min(sla_next_at) FROM cases WHERE sla_next_at IS NOT NULL", cancellationToken).ConfigureAwait(false) is string next
            ? DbValues.ParseTime(next)
            : null;

    // A supervisor who was disabled supervises nothing: the rung then says the team has none. Whether they have room is
    // asked for c, whose weight the ladder does not change.
    private static SlaTeam? ReadSlaTeam(BatchWriter w, string workspaceId, string team, HandoffCase c)
    {
        using var reader = w.Command("""
            SELECT t.overflow_team, t.supervisor_id, u.name FROM teams t
            LEFT JOIN users u ON u.id = t.supervisor_id AND u.workspace_id = t.workspace_id AND u.disabled_at IS NULL
            WHERE t.workspace_id = @ws AND t.name = @team
            """).Bind("@ws", workspaceId).Bind("@team", team).ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        var overflow = DbValues.ReadString(reader, 0);
        var supervisorId = DbValues.ReadString(reader, 1);
        var supervisorName = DbValues.ReadString(reader, 2);
        reader.Close();
        if (supervisorId is null || supervisorName is null)
        {
            return new SlaTeam(overflow, null);
        }

        return new SlaTeam(overflow, new Actor(Actor.UserKind, supervisorId, supervisorName), HasRoom(w, workspaceId, supervisorId, c));
    }
}

using System.Data.Common;
using System.Text.Json;
using Handoff.Core;
using Handoff.Core.Cases;
using Handoff.Core.Routing;

namespace Handoff.Storage.Relational;

public abstract partial class RelationalHandoffStore
{
    private const string TeamColumns =
        "workspace_id, name, display_name, mode, working_hours, accept_timeout_ms, idle_claim_timeout_ms, overflow_team, supervisor_id, created_at, updated_at";

    /// <inheritdoc />
    /// <remarks>The name, the overflow team and the supervisor are checked inside the write transaction, so racing adds of one name add it once.</remarks>
    public Task<TeamResult> AddTeamAsync(Team team, Actor actor, CancellationToken cancellationToken = default)
    {
        CheckTeam(team);
        ArgumentNullException.ThrowIfNull(actor);
        return _writer.RunAsync(w =>
        {
            if (ReadTeam(w, team.WorkspaceId, team.Name) is not null)
            {
                return TeamResult.Of(TeamResultStatus.NameTaken);
            }

            if (CheckReferences(w, team) is { } refused)
            {
                return TeamResult.Of(refused);
            }

            var added = team with { CreatedAt = w.Now, UpdatedAt = w.Now };
            BindTeam(w.Command($"""
                INSERT INTO teams ({TeamColumns})
                VALUES (@ws, @name, @display, @mode, @hours, @accept, @idle, @overflow, @supervisor, @created, @updated)
                """), added).Bind("@created", DbValues.Time(added.CreatedAt)).ExecuteNonQuery();
            w.Append(added.WorkspaceId, actor, AuditData.TeamAdded, added.Name, AuditData.TeamSettings(added));
            return new TeamResult(TeamResultStatus.Done, added, []);
        }, cancellationToken);
    }

    public Task<TeamResult> UpdateTeamAsync(Team team, Actor actor, CancellationToken cancellationToken = default)
    {
        CheckTeam(team);
        ArgumentNullException.ThrowIfNull(actor);
        return _writer.RunAsync(w =>
        {
            if (ReadTeam(w, team.WorkspaceId, team.Name) is not { } current)
            {
                return TeamResult.Of(TeamResultStatus.NotFound);
            }

            var changed = ChangedSettings(current, team);
            if (changed.Count == 0)
            {
                return new TeamResult(TeamResultStatus.Done, current, []);
            }

            if (CheckReferences(w, team) is { } refused)
            {
                return TeamResult.Of(refused);
            }

            var after = team with { CreatedAt = current.CreatedAt, UpdatedAt = w.Now };
            BindTeam(w.Command("""
                UPDATE teams SET display_name = @display, mode = @mode, working_hours = @hours, accept_timeout_ms = @accept,
                    idle_claim_timeout_ms = @idle, overflow_team = @overflow, supervisor_id = @supervisor, updated_at = @updated
                WHERE workspace_id = @ws AND name = @name
                """), after).ExecuteNonQuery();
            w.Append(after.WorkspaceId, actor, AuditData.TeamChanged, after.Name, AuditData.TeamChange(changed, after));
            return new TeamResult(TeamResultStatus.Done, after, []);
        }, cancellationToken);
    }

    public async Task<Team?> GetTeamAsync(string workspaceId, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        ArgumentNullException.ThrowIfNull(name);
        return (await QueryAsync($"SELECT {TeamColumns} FROM teams WHERE workspace_id = @ws AND name = @name", ReadTeam, cancellationToken, ("@ws", workspaceId), ("@name", name))
            .ConfigureAwait(false)).SingleOrDefault();
    }

    public async Task<IReadOnlyList<Team>> ListTeamsAsync(string workspaceId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        return await QueryAsync($"SELECT {TeamColumns} FROM teams WHERE workspace_id = @ws ORDER BY name", ReadTeam, cancellationToken, ("@ws", workspaceId))
            .ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>
    /// People's team lists are rewritten in the same transaction, so no list names a team that is gone; the cases
    /// already routed to the team keep its name, as a case keeps every fact it was created with.
    /// </remarks>
    public Task<TeamResult> RemoveTeamAsync(string workspaceId, string name, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(actor);
        return _writer.RunAsync(w =>
        {
            if (ReadTeam(w, workspaceId, name) is not { } current)
            {
                return TeamResult.Of(TeamResultStatus.NotFound);
            }

            var overflowFrom = new List<string>();
            using (var reader = w.Command("SELECT name FROM teams WHERE workspace_id = @ws AND overflow_team = @name ORDER BY name")
                .Bind("@ws", workspaceId).Bind("@name", name).ExecuteReader())
            {
                while (reader.Read())
                {
                    overflowFrom.Add(reader.GetString(0));
                }
            }

            if (overflowFrom.Count > 0)
            {
                return new TeamResult(TeamResultStatus.InUse, null, overflowFrom);
            }

            var members = new List<(string Id, string[] Teams)>();
            using (var reader = w.Command("SELECT id, teams FROM users WHERE workspace_id = @ws ORDER BY id").Bind("@ws", workspaceId).ExecuteReader())
            {
                while (reader.Read())
                {
                    var teams = ReadNames(reader, 1, "teams");
                    if (teams.Contains(name, StringComparer.Ordinal))
                    {
                        members.Add((reader.GetString(0), teams));
                    }
                }
            }

            foreach (var (id, teams) in members)
            {
                w.Command("UPDATE users SET teams = @teams WHERE id = @id")
                    .Bind("@teams", JsonSerializer.Serialize(teams.Where(t => t != name).ToArray())).Bind("@id", id).ExecuteNonQuery();
            }

            w.Command("DELETE FROM teams WHERE workspace_id = @ws AND name = @name").Bind("@ws", workspaceId).Bind("@name", name).ExecuteNonQuery();
            w.Append(workspaceId, actor, AuditData.TeamRemoved, name, AuditData.TeamRemoval([.. members.Select(m => m.Id)]));
            return new TeamResult(TeamResultStatus.Done, current, []);
        }, cancellationToken);
    }

    private static void CheckTeam(Team team)
    {
        ArgumentNullException.ThrowIfNull(team);
        ArgumentException.ThrowIfNullOrWhiteSpace(team.WorkspaceId, nameof(team));
        ArgumentException.ThrowIfNullOrWhiteSpace(team.DisplayName, nameof(team));
        if (!RoutingNames.IsToken(team.Name))
        {
            throw new ArgumentException($"A team's name is a lowercase token, not '{team.Name}'.", nameof(team));
        }

        if (team.OverflowTeam is { } overflow && (overflow == team.Name || !RoutingNames.IsToken(overflow)))
        {
            throw new ArgumentException("A team's overflow team is another team's name.", nameof(team));
        }

        if (!Enum.IsDefined(team.Mode))
        {
            throw new ArgumentOutOfRangeException(nameof(team), team.Mode, "Unknown assignment mode.");
        }

        CheckMilliseconds(team.AcceptTimeout, nameof(team));
        if (team.IdleClaimTimeout is { } idle)
        {
            CheckMilliseconds(idle, nameof(team));
        }

        if (team.WorkingHours is { } hours && (string.IsNullOrWhiteSpace(hours.TimeZone) || hours.Week is null || hours.Closures is null))
        {
            throw new ArgumentException("Working hours have a time zone, a week and closures.", nameof(team));
        }
    }

    // Durations are kept to the millisecond; a finer one would not read back as it was written.
    private static void CheckMilliseconds(TimeSpan duration, string parameter)
    {
        if (duration <= TimeSpan.Zero || duration.Ticks % TimeSpan.TicksPerMillisecond != 0)
        {
            throw new ArgumentOutOfRangeException(parameter, duration, "A team's timeouts are positive whole milliseconds.");
        }
    }

    private static TeamResultStatus? CheckReferences(BatchWriter w, Team team)
    {
        if (team.OverflowTeam is { } overflow && ReadTeam(w, team.WorkspaceId, overflow) is null)
        {
            return TeamResultStatus.UnknownOverflow;
        }

        if (team.SupervisorId is { } supervisor
            && w.Command("SELECT 1 FROM users WHERE id = @id AND workspace_id = @ws").Bind("@id", supervisor).Bind("@ws", team.WorkspaceId).ExecuteScalar() is null)
        {
            return TeamResultStatus.UnknownSupervisor;
        }

        return null;
    }

    // Named as the API names them.
    private static List<string> ChangedSettings(Team current, Team next)
    {
        var changed = new List<string>();
        void Check(bool same, string name)
        {
            if (!same)
            {
                changed.Add(name);
            }
        }

        Check(current.DisplayName == next.DisplayName, "displayName");
        Check(current.Mode == next.Mode, "mode");
        Check(Equals(current.WorkingHours, next.WorkingHours), "workingHours");
        Check(current.AcceptTimeout == next.AcceptTimeout, "acceptTimeout");
        Check(current.IdleClaimTimeout == next.IdleClaimTimeout, "idleClaimTimeout");
        Check(current.OverflowTeam == next.OverflowTeam, "overflowTeam");
        Check(current.SupervisorId == next.SupervisorId, "supervisorId");
        return changed;
    }

    private static Team? ReadTeam(BatchWriter w, string workspaceId, string name)
    {
        using var reader = w.Command($"SELECT {TeamColumns} FROM teams WHERE workspace_id = @ws AND name = @name").Bind("@ws", workspaceId).Bind("@name", name).ExecuteReader();
        return reader.Read() ? ReadTeam(reader) : null;
    }

    private static DbCommand BindTeam(DbCommand command, Team team) =>
        command.Bind("@ws", team.WorkspaceId).Bind("@name", team.Name).Bind("@display", team.DisplayName).Bind("@mode", DbValues.Name(team.Mode))
            .Bind("@hours", team.WorkingHours is { } hours ? JsonSerializer.Serialize(hours, HandoffJson.Options) : null)
            .Bind("@accept", (long)team.AcceptTimeout.TotalMilliseconds)
            .Bind("@idle", team.IdleClaimTimeout is { } idle ? (long)idle.TotalMilliseconds : null)
            .Bind("@overflow", team.OverflowTeam).Bind("@supervisor", team.SupervisorId).Bind("@updated", DbValues.Time(team.UpdatedAt));

    private static Team ReadTeam(DbDataReader reader) => new()
    {
        WorkspaceId = reader.GetString(0),
        Name = reader.GetString(1),
        DisplayName = reader.GetString(2),
        Mode = DbValues.ParseName<AssignmentMode>(reader.GetString(3)),
        WorkingHours = DbValues.ReadString(reader, 4) is { } hours
            ? JsonSerializer.Deserialize<WorkingHours>(hours, HandoffJson.Options) ?? throw new InvalidDataException("A team's working hours are null in the database.")
            : null,
        AcceptTimeout = TimeSpan.FromMilliseconds(reader.GetInt64(5)),
        IdleClaimTimeout = reader.IsDBNull(6) ? null : TimeSpan.FromMilliseconds(reader.GetInt64(6)),
        OverflowTeam = DbValues.ReadString(reader, 7),
        SupervisorId = DbValues.ReadString(reader, 8),
        CreatedAt = DbValues.ParseTime(reader.GetString(9)),
        UpdatedAt = DbValues.ParseTime(reader.GetString(10)),
    };
}

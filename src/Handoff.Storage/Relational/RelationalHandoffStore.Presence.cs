using System.Data.Common;
using Handoff.Core.Cases;
using Handoff.Core.Routing;

namespace Handoff.Storage.Relational;

public abstract partial class RelationalHandoffStore
{
    private const string PresenceColumns = "workspace_id, id, presence, presence_at, last_seen_at";

    public async Task<PersonPresence?> GetPresenceAsync(string workspaceId, string userId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        ArgumentNullException.ThrowIfNull(userId);
        return (await QueryAsync($"SELECT {PresenceColumns} FROM users WHERE id = @id AND workspace_id = @ws", ReadPresence, cancellationToken, ("@id", userId), ("@ws", workspaceId))
            .ConfigureAwait(false)).SingleOrDefault();
    }

    public async Task<IReadOnlyList<PersonPresence>> ListPresenceAsync(string workspaceId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        return await QueryAsync($"SELECT {PresenceColumns} FROM users WHERE workspace_id = @ws ORDER BY name, id", ReadPresence, cancellationToken, ("@ws", workspaceId))
            .ConfigureAwait(false);
    }

    public Task<PersonPresence?> SetPresenceAsync(string workspaceId, string userId, Presence presence, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        ArgumentNullException.ThrowIfNull(userId);
        ArgumentNullException.ThrowIfNull(actor);
        if (!Enum.IsDefined(presence))
        {
            throw new ArgumentOutOfRangeException(nameof(presence), presence, null);
        }

        return _writer.RunAsync(w =>
        {
            PersonPresence current;
            using (var reader = w.Command($"SELECT {PresenceColumns} FROM users WHERE id = @id AND workspace_id = @ws").Bind("@id", userId).Bind("@ws", workspaceId).ExecuteReader())
            {
                if (!reader.Read())
                {
                    return null;
                }

                current = ReadPresence(reader);
            }

            // Saying where one is counts as being seen, so that a person working away from the dashboard stays
            // online by setting it again within away-after; a clock that went back never moves it backwards.
            var seen = current.LastSeenAt is { } last && last > w.Now ? last : w.Now;
            var after = current.Chosen == presence
                ? current with { LastSeenAt = seen }
                : current with { Chosen = presence, ChosenAt = w.Now, LastSeenAt = seen };
            w.Command("UPDATE users SET presence = @presence, presence_at = @at, last_seen_at = @seen WHERE id = @id")
                .Bind("@presence", DbValues.Name(after.Chosen)).Bind("@at", DbValues.Time(after.ChosenAt)).Bind("@seen", DbValues.Time(after.LastSeenAt)).Bind("@id", userId)
                .ExecuteNonQuery();
            if (current.Chosen != presence)
            {
                w.Append(workspaceId, actor, AuditData.PresenceChanged, userId, AuditData.Presence(presence, current.Chosen));
            }

            return after;
        }, cancellationToken);
    }

    /// <summary>Sets the person offline inside the current write, audited as <c>presence.changed</c> unless they already were.</summary>
    private static void GoOffline(BatchWriter w, string workspaceId, string userId, Actor actor)
    {
        var previous = DbValues.ParseName<Presence>((string)w.Command("SELECT presence FROM users WHERE id = @id").Bind("@id", userId).ExecuteScalar()!);
        if (previous == Presence.Offline)
        {
            return;
        }

        w.Command("UPDATE users SET presence = @presence, presence_at = @at WHERE id = @id")
            .Bind("@presence", DbValues.Name(Presence.Offline)).Bind("@at", DbValues.Time(w.Now)).Bind("@id", userId).ExecuteNonQuery();
        w.Append(workspaceId, actor, AuditData.PresenceChanged, userId, AuditData.Presence(Presence.Offline, previous));
    }

    public async Task<bool> MarkPersonSeenAsync(string workspaceId, string userId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        ArgumentNullException.ThrowIfNull(userId);
        // The person's own name: open dashboards renew it often, and no case's write waits for it.
        return await _writer.RunAsync(WriteScope.Of(WriteScope.Person(userId)), w => w.Command("""
            UPDATE users SET last_seen_at = @at
            WHERE id = @id AND workspace_id = @ws AND (last_seen_at IS NULL OR last_seen_at < @at)
            """).Bind("@at", DbValues.Time(at)).Bind("@id", userId).Bind("@ws", workspaceId).ExecuteNonQuery() > 0, cancellationToken).ConfigureAwait(false);
    }

    public async Task<RoutingSettings> GetRoutingSettingsAsync(string workspaceId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        return (await QueryAsync(
            "SELECT queued_weight, live_weight, away_after_ms FROM routing_settings WHERE workspace_id = @ws", ReadRoutingSettings, cancellationToken, ("@ws", workspaceId))
            .ConfigureAwait(false)).SingleOrDefault() ?? RoutingSettings.Default;
    }

    public Task<RoutingSettings> SetRoutingSettingsAsync(string workspaceId, RoutingSettings settings, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(actor);
        if (!settings.IsValid || settings.AwayAfter.Ticks % TimeSpan.TicksPerMillisecond != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(settings), settings, "Weights are 1..100 and away-after 30 s..1 day, in whole milliseconds.");
        }

        return _writer.RunAsync(w =>
        {
            RoutingSettings current;
            using (var reader = w.Command("SELECT queued_weight, live_weight, away_after_ms FROM routing_settings WHERE workspace_id = @ws").Bind("@ws", workspaceId).ExecuteReader())
            {
                current = reader.Read() ? ReadRoutingSettings(reader) : RoutingSettings.Default;
            }

            if (current == settings)
            {
                return current;
            }

            w.Command("""
                INSERT INTO routing_settings (workspace_id, queued_weight, live_weight, away_after_ms, changed_at) VALUES (@ws, @queued, @live, @away, @at)
                ON CONFLICT (workspace_id) DO UPDATE SET
                    queued_weight = excluded.queued_weight, live_weight = excluded.live_weight, away_after_ms = excluded.away_after_ms, changed_at = excluded.changed_at
                """)
                .Bind("@ws", workspaceId).Bind("@queued", settings.QueuedWeight).Bind("@live", settings.LiveWeight)
                .Bind("@away", (long)settings.AwayAfter.TotalMilliseconds).Bind("@at", DbValues.Time(w.Now))
                .ExecuteNonQuery();
            w.Append(workspaceId, actor, AuditData.RoutingChanged, workspaceId, AuditData.Routing(settings));
            return settings;
        }, cancellationToken);
    }

    private static PersonPresence ReadPresence(DbDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), DbValues.ParseName<Presence>(reader.GetString(2)), DbValues.ReadTime(reader, 3), DbValues.ReadTime(reader, 4));

    private static RoutingSettings ReadRoutingSettings(DbDataReader reader) =>
        new(reader.GetInt32(0), reader.GetInt32(1), TimeSpan.FromMilliseconds(reader.GetInt64(2)));
}

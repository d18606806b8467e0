using System.Threading.Channels;
using Handoff.Server.Auth;
using Handoff.Server.Policies;
using Handoff.Storage.Postgres;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Handoff.Server.Events;

/// <summary>
/// Carries changes between the nodes of one PostgreSQL database over LISTEN/NOTIFY: a case changed on this node (so
/// long-polls, event streams and dashboards on the others wake at once), a policy published or autonomy switched (so
/// the others stop evaluating with their cached copy), and an API key revoked (so the others stop accepting it). The NOTIFY is sent here, after the change committed, on a
/// connection of its own, never inside the write transaction: a NOTIFY in a transaction takes a database-wide lock
/// at commit, and every write would queue behind it. Signals carry no state, only ids; a node that hears one reads
/// the store, so a lost or doubled signal can never show wrong state. When the listening connection is lost and
/// opened again, every waiter on this node is woken to read its case again, and every dashboard page on it reloads,
/// since some signals may have gone by.
/// A node that dies between a commit and its NOTIFY leaves the waiters elsewhere to find the change when their wait
/// is renewed (a long-poll's <c>wait</c>, an event stream's keep-alive).
/// </summary>
internal sealed partial class PostgresEventRelay : BackgroundService
{
    public const string Channel = "handoff_events";

    // Enough for a burst, bounded so that a database that is down for long cannot grow the queue without end: the
    // oldest signals go first, and the waiters they were for re-read on their next renewal.
    private const int Capacity = 10_000;
    private const int MaxBatch = 200;

    private readonly NpgsqlDataSource _dataSource;
    private readonly CaseNotifier _notifier;
    private readonly ApiKeyCache _keys;
    private readonly PolicyService _policies;
    private readonly ILogger<PostgresEventRelay> _logger;
    private readonly string _node = Guid.NewGuid().ToString("N")[..12];
    private readonly Channel<string> _outbound = System.Threading.Channels.Channel.CreateBounded<string>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    public PostgresEventRelay(PostgresHandoffStore store, CaseNotifier notifier, ApiKeyCache keys, PolicyService policies, ILogger<PostgresEventRelay> logger)
    {
        _dataSource = store.DataSource;
        _notifier = notifier;
        _keys = keys;
        _policies = policies;
        _logger = logger;
        notifier.AttachRelay((workspaceId, caseId) => _outbound.Writer.TryWrite($"c|{_node}|{workspaceId}|{caseId}"));
        keys.AttachRelay(keyId => _outbound.Writer.TryWrite($"k|{_node}|{keyId}"));
        policies.AttachRelay(workspaceId => _outbound.Writer.TryWrite($"p|{_node}|{workspaceId}"));
    }

    /// <summary>Whether the listening connection is up now (tests wait for it before they count on cross-node signals).</summary>
    public bool Listening { get; private set; }

    /// <summary>How many times the listening connection was lost and opened again.</summary>
    public int Reconnects { get; private set; }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(SendAsync(stoppingToken), ListenAsync(stoppingToken));

    private async Task SendAsync(CancellationToken stoppingToken)
    {
        var batch = new List<string>(MaxBatch);
        NpgsqlConnection? connection = null;
        try
        {
            while (await _outbound.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                while (batch.Count < MaxBatch && _outbound.Reader.TryRead(out var payload))
                {
                    batch.Add(payload);
                }

                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        connection ??= await _dataSource.OpenConnectionAsync(stoppingToken).ConfigureAwait(false);
                        await using var command = new NpgsqlCommand("SELECT pg_notify(@channel, payload) FROM unnest(@payloads) AS payload", connection);
                        command.Parameters.AddWithValue("channel", Channel);
                        command.Parameters.AddWithValue("payloads", batch.ToArray());
                        await command.ExecuteNonQueryAsync(stoppingToken).ConfigureAwait(false);
                        break;
                    }
                    catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException && !stoppingToken.IsCancellationRequested)
                    {
                        LogSendFailed(_logger, attempt, e);
                        if (connection is not null)
                        {
                            await connection.DisposeAsync().ConfigureAwait(false);
                            connection = null;
                        }

                        await Task.Delay(Backoff(attempt), stoppingToken).ConfigureAwait(false);
                    }
                }

                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        var everConnected = false;
        for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                await using var connection = await _dataSource.OpenConnectionAsync(stoppingToken).ConfigureAwait(false);
                connection.Notification += (_, e) => Received(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken).ConfigureAwait(false);
                }

                Listening = true;
                if (everConnected)
                {
                    Reconnects++;
                    // Signals sent while we were not listening are gone; whoever waits reads the store again, and so
                    // do the next case's policy and the next request's key.
                    _policies.ForgetAll();
                    _keys.ForgetAll();
                    _notifier.WakeAll();
                    LogListening(_logger);
                }

                everConnected = true;
                attempt = 0;
                while (true)
                {
                    await connection.WaitAsync(stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
            {
                Listening = false;
                LogListenFailed(_logger, attempt, e);
                await Task.Delay(Backoff(attempt), stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private void Received(string payload)
    {
        var parts = payload.Split('|');
        if (parts.Length < 3 || parts[1] == _node)
        {
            return;
        }

        switch (parts[0])
        {
            case "c" when parts.Length == 4:
                _notifier.ChangedElsewhere(parts[2], parts[3]);
                break;
            case "k":
                _keys.Refuse(parts[2]);
                break;
            case "p":
                _policies.ChangedElsewhere(parts[2]);
                break;
        }
    }

    private static TimeSpan Backoff(int attempt) => TimeSpan.FromMilliseconds(Math.Min(100 * (1 << Math.Min(attempt, 5)), 3_000));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not send change signals to the other nodes (attempt {Attempt}); retrying")]
    private static partial void LogSendFailed(ILogger logger, int attempt, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the connection that listens for other nodes' changes (attempt {Attempt}); reconnecting")]
    private static partial void LogListenFailed(ILogger logger, int attempt, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Listening for other nodes' changes again; woke every waiter and dashboard page to read again")]
    private static partial void LogListening(ILogger logger);
}

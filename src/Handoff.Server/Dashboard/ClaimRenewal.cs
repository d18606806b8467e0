using Handoff.Storage;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.Extensions.Options;

namespace Handoff.Server.Dashboard;

/// <summary>
/// Tells the store, while a dashboard circuit is connected, that its person is still there: the cases they hold stay
/// theirs (once no circuit of theirs renews for <see cref="HandoffServerOptions.ClaimGracePeriod"/>, the
/// <see cref="Workers.ClaimReleaseWorker"/> hands them back), and they are seen, so that a person who chose online stays
/// online (without a live dashboard for the workspace's away-after, they count as away; see
/// <see cref="Storage.PersonPresence"/>). Each runs at most once per <see cref="HandoffServerOptions.ClaimRenewalInterval"/>
/// per circuit; renewing claims writes only when the person holds a case.
/// </summary>
internal sealed partial class ClaimRenewal(
    DashboardSession session, IHandoffStore store, TimeProvider time, IOptions<HandoffServerOptions> options, ILogger<ClaimRenewal> logger)
    : CircuitHandler, IDisposable
{
    private readonly Lock _lock = new();
    private readonly TimeSpan _interval = options.Value.ClaimRenewalInterval;
    private ITimer? _timer;
    private DateTimeOffset? _renewed;

    public override async Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _timer ??= time.CreateTimer(_ => _ = RenewAsync(), null, _interval, _interval);
        }

        // A connection back after a short drop was renewed recently enough; after a long one, at once.
        await RenewAsync().ConfigureAwait(false);
    }

    public override Task OnConnectionDownAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        Stop();
        return Task.CompletedTask;
    }

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        Stop();
        return Task.CompletedTask;
    }

    public void Dispose() => Stop();

    private void Stop()
    {
        lock (_lock)
        {
            _timer?.Dispose();
            _timer = null;
        }
    }

    private async Task RenewAsync()
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (_renewed + _interval > now)
            {
                return;
            }

            _renewed = now;
        }

        try
        {
            if (await session.UserAsync().ConfigureAwait(false) is { } user)
            {
                await store.MarkPersonSeenAsync(user.WorkspaceId, user.Id, now).ConfigureAwait(false);
                await store.RenewClaimsAsync(user.WorkspaceId, user.Id, now).ConfigureAwait(false);
            }
        }
#pragma warning disable CA1031 // A failed renewal is tried again at the next tick; the grace period and away-after cover a few.
        catch (Exception e)
#pragma warning restore CA1031
        {
            lock (_lock)
            {
                _renewed = null;
            }

            LogFailed(logger, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not renew a dashboard person's claims or presence; trying again")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}

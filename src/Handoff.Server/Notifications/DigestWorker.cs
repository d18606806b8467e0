using System.Globalization;
using Handoff.Core.Notifications;
using Handoff.Storage;
using Handoff.Storage.Outbox;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Handoff.Server.Notifications;

/// <summary>
/// The daily digest: once a day, at the time each person chose (their zone), an e-mail of the cases waiting for them —
/// open ones of their teams nobody holds, and those they hold. Every node may run it: each digest is one outbox
/// message whose id names the person and their local date, which the outbox takes once however many nodes add it.
/// Nobody gets an empty digest.
/// </summary>
internal sealed partial class DigestWorker(
    IHandoffStore store,
    IEmailComposer email,
    DeliverySignal signal,
    IOptions<HandoffServerOptions> options,
    TimeProvider time,
    ILogger<DigestWorker> logger) : BackgroundService
{
    /// <summary>How many waiting cases one digest lists.</summary>
    public const int MaxCases = 50;

    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    // (person, local date) digests this node already looked at: each is read once a day here, not every minute.
    private readonly HashSet<(string Person, DateOnly Date)> _done = [];

    /// <summary>Adds the digests due at <paramref name="now"/>; returns how many were added (or were already there).</summary>
    public async Task<int> RunAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var added = 0;
        foreach (var workspace in await store.ListWorkspacesAsync(cancellationToken).ConfigureAwait(false))
        {
            foreach (var person in await store.ListUsersAsync(workspace.Id, cancellationToken).ConfigureAwait(false))
            {
                var prefs = person.NotificationsOrDefault;
                if (person.DisabledAt is not null || !prefs.Email || !prefs.DigestDue(now))
                {
                    continue;
                }

                var date = prefs.LocalDate(now);
                if (_done.Contains((person.Id, date)))
                {
                    continue;
                }

                var open = await store.ListOpenCasesAsync(workspace.Id, person.Teams, MaxCases * 2, cancellationToken).ConfigureAwait(false);
                var waiting = open.Where(c => c.AssignedTo is null || c.AssignedTo.Id == person.Id).Take(MaxCases)
                    .Select(c => CaseNotices.From(EventTypes.CaseEscalated, c, options.Value.Notifications.CaseLink(c.Id), now)).ToList();
                if (waiting.Count == 0)
                {
                    _done.Add((person.Id, date));
                    continue;
                }

                var id = $"digest_{person.Id}_{date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";
                await store.AddDeliveriesAsync(
                    [new NewDelivery(id, "digest", workspace.Id, null, DeliveryChannels.Email, person.Email, email.ComposeDigest(waiting, person, date))],
                    cancellationToken).ConfigureAwait(false);
                _done.Add((person.Id, date));
                added++;
            }
        }

        if (added > 0)
        {
            signal.Set();
        }

        // Yesterday's marks are of no use any more.
        _done.RemoveWhere(d => d.Date < DateOnly.FromDateTime(now.UtcDateTime).AddDays(-2));
        return added;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunAsync(time.GetUtcNow(), stoppingToken).ConfigureAwait(false);
                await Task.Delay(Interval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A failed pass must not stop the digests for good; it is logged and tried again.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogFailed(logger, e);
                await Task.Delay(Interval, time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Adding the daily digests failed; retrying")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}

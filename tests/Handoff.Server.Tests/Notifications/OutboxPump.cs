using Handoff.Server.Notifications;
using Handoff.Server.Tests.Infrastructure;
using Handoff.Storage.Outbox;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Handoff.Server.Tests.Notifications;

/// <summary>
/// Moves a test server's outbox by hand, one step at a time, through the real pieces: the dispatcher fans the audit
/// log out through one route (as <see cref="OutboxDispatcher"/> does in a running server) into the real store, then
/// every due delivery is leased, sent once through the channel under test and completed with its outcome — what the
/// delivery worker does, without its retries or timers, so a test sees each attempt.
/// </summary>
internal static class OutboxPump
{
    private const string Holder = "tests";

    /// <summary>Dispatches everything not yet dispatched through <paramref name="route"/>; then attempts what is due once through <paramref name="channel"/>.</summary>
    public static async Task<IReadOnlyList<(Delivery Delivery, DeliveryOutcome Outcome)>> RunAsync(TestServer server, IEventRoute route, IDeliveryChannel channel)
    {
        await DispatchAsync(server, route);
        return await SendDueAsync(server, channel);
    }

    /// <summary>Fans out every audit entry not yet dispatched through <paramref name="route"/> into the outbox.</summary>
    public static async Task DispatchAsync(TestServer server, IEventRoute route)
    {
        var options = server.App.Services.GetRequiredService<IOptions<HandoffServerOptions>>();
        var dispatcher = new OutboxDispatcher(server.Store, [route], new DeliverySignal(), options, server.Time, NullLogger<OutboxDispatcher>.Instance);
        while (await dispatcher.DispatchOnceAsync(TestContext.Current.CancellationToken) > 0)
        {
        }
    }

    /// <summary>Attempts every due delivery once through <paramref name="channel"/> and completes it with the outcome.</summary>
    public static async Task<IReadOnlyList<(Delivery Delivery, DeliveryOutcome Outcome)>> SendDueAsync(TestServer server, IDeliveryChannel channel)
    {
        var ct = TestContext.Current.CancellationToken;
        var now = server.Time.GetUtcNow();
        var sent = new List<(Delivery, DeliveryOutcome)>();
        foreach (var d in await server.Store.LeaseDeliveriesAsync(Holder, now, TimeSpan.FromMinutes(1), 100, ct))
        {
            Assert.Equal(channel.Channel, d.Channel);
            // The channels never read the message's own id.
            var message = new OutboundMessage(default!, d.EventId, d.EventType, d.WorkspaceId, d.CaseId, d.Channel, d.Target, d.Body, d.Attempts, d.CreatedAt);
            var outcome = await channel.SendAsync(message, ct);
            var attempt = new DeliveryAttempt(d.Id, d.Attempts, now, outcome.Delivered, outcome.StatusCode, 0, outcome.Error, outcome.ResponseExcerpt);
            var next = outcome.Delivered || outcome.Permanent ? (DateTimeOffset?)null : now + (outcome.RetryAfter ?? TimeSpan.FromMinutes(1));
            await server.Store.CompleteDeliveryAsync(d.Id, Holder, new DeliveryResult(attempt, next, outcome.Reference), ct);
            sent.Add((d, outcome));
        }

        return sent;
    }
}

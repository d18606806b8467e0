using Handoff.Browser.Tests.Infrastructure;
using Handoff.Core.Cases;
using Handoff.Core.Notifications;
using Handoff.Server.Notifications;
using Handoff.Storage.Outbox;

namespace Handoff.Browser.Tests.Dashboard;

/// <summary>
/// The outbox as the delivery worker leaves it, made through the store: messages enqueued as the dispatcher enqueues
/// them (the real payload of the real audit entry), leased and completed attempt by attempt as a worker would.
/// </summary>
public sealed partial class WebhooksPageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<WebhookEndpoint> AddEndpointAsync(string workspaceId, string url, string? description)
    {
        var now = TimeProvider.System.GetUtcNow();
        return await Server.Store.AddWebhookEndpointAsync(new WebhookEndpoint
        {
            Id = "",
            WorkspaceId = workspaceId,
            Url = url,
            Description = description,
            EventTypes = [EventTypes.CaseEscalated],
            Secrets = [new WebhookSecretEntry(WebhookSecrets.Generate(), now)],
            CreatedAt = now,
            UpdatedAt = now,
        }, Actor.Cli("browser tests"), Ct);
    }

    /// <summary>Waits (bounded) until the server's dispatcher has read past every audit entry of the cases.</summary>
    private async Task UntilDispatchedAsync(TestWorkspace workspace, IReadOnlyList<string> caseIds)
    {
        long last = 0;
        foreach (var id in caseIds)
        {
            last = Math.Max(last, (await workspace.HistoryAsync(id)).Max(e => e.Sequence));
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(Chromium.Patience);
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        while (await Server.Store.GetDispatchPositionAsync(Ct) < last)
        {
            Assert.True(await tick.WaitForNextTickAsync(CancellationToken.None) && !timeout.IsCancellationRequested,
                $"the dispatcher did not reach audit entry {last} within {Chromium.Patience.TotalSeconds} s");
        }
    }

    /// <summary>
    /// Five messages, each about one case's escalation: to the endpoint, one delivered, one failed after two attempts
    /// (503, then 500), one pending its retry after a timeout, one failed at once (connection refused); to
    /// <paramref name="goneId"/>, one answered 410 Gone, which disables that endpoint.
    /// </summary>
    private async Task<Seeded> SeedDeliveriesAsync(TestWorkspace workspace, string endpointId, string goneId, string refund, string legal, string unsure, string small)
    {
        var delivered = await EnqueueAsync(workspace, endpointId, refund);
        var failedTwice = await EnqueueAsync(workspace, endpointId, legal);
        var pending = await EnqueueAsync(workspace, endpointId, unsure);
        var failedOnce = await EnqueueAsync(workspace, endpointId, small);
        var gone = await EnqueueAsync(workspace, goneId, refund);

        var now = TimeProvider.System.GetUtcNow();
        var leased = await LeaseAsync(now, delivered, failedTwice, pending, failedOnce, gone);
        // The delivered one first: an endpoint is failing since the first failure after its last delivered message.
        await CompleteAsync(leased[delivered], now, 200, 84, null, "ok", next: null);
        await CompleteAsync(leased[failedTwice], now, 503, 1210, "HTTP 503 Service Unavailable", "upstream overloaded, try again later", next: now);
        await CompleteAsync(leased[pending], now, null, 10_000, "timed out after 10 s", null, next: now + TimeSpan.FromMinutes(10));
        await CompleteAsync(leased[failedOnce], now, null, 3, "connection refused (ops.example.com:443)", null, next: null);
        await CompleteAsync(leased[gone], now, 410, 95, "HTTP 410 Gone", "this hook was removed", next: null, disable: "the endpoint answered 410 Gone");

        var later = TimeProvider.System.GetUtcNow();
        var again = await LeaseAsync(later, failedTwice);
        await CompleteAsync(again[failedTwice], later, 500, 420, "HTTP 500 Internal Server Error", """{"error":"database is locked"}""", next: null);
        return new Seeded(delivered, failedTwice, pending, failedOnce, gone);
    }

    /// <summary>
    /// Enqueues the case's escalation for the endpoint under the id the dispatcher gives it, at the dispatcher's
    /// position (moving it nowhere); tried again when the server's own dispatcher moved the position meanwhile.
    /// </summary>
    private async Task<string> EnqueueAsync(TestWorkspace workspace, string endpointId, string caseId)
    {
        var entry = (await workspace.HistoryAsync(caseId)).First(e => e.Action == "case.created");
        var submitted = await Server.Store.GetCaseAsync(workspace.Id, caseId, Ct);
        var eventId = $"evt_{entry.Sequence}_1";
        var body = EventPayload.Build(
            new OutboxEvent(eventId, EventTypes.CaseEscalated, entry, _ => Task.FromResult(submitted)), submitted, TimeProvider.System.GetUtcNow());
        NewDelivery[] message = [new(eventId, EventTypes.CaseEscalated, workspace.Id, caseId, DeliveryChannels.Webhook, endpointId, body)];
        for (var tries = 1; ; tries++)
        {
            var position = await Server.Store.GetDispatchPositionAsync(Ct);
            if (await Server.Store.EnqueueAsync(position, position, message, Ct))
            {
                break;
            }

            Assert.True(tries < 100, "the dispatcher's position moved on every one of 100 tries");
        }

        var listed = await Server.Store.ListDeliveriesAsync(workspace.Id, new DeliveryQuery(DeliveryChannels.Webhook, endpointId, Limit: 500), Ct);
        return listed.Single(d => d.EventId == eventId).Id;
    }

    /// <summary>
    /// Leases what is due, as a worker does, and checks the given deliveries are among it. A lease takes whatever is
    /// due in the whole server; this class's other tests leave nothing due, so that is only these.
    /// </summary>
    private async Task<Dictionary<string, Delivery>> LeaseAsync(DateTimeOffset now, params string[] ids)
    {
        var leased = (await Server.Store.LeaseDeliveriesAsync(Holder, now, TimeSpan.FromMinutes(5), 500, Ct)).ToDictionary(d => d.Id);
        Assert.All(ids, id => Assert.True(leased.ContainsKey(id), $"delivery {id} was not due"));
        return leased;
    }

    private async Task CompleteAsync(
        Delivery leased, DateTimeOffset at, int? status, int latencyMs, string? error, string? excerpt, DateTimeOffset? next, string? disable = null)
    {
        var attempt = new DeliveryAttempt(leased.Id, leased.Attempts, at, status is >= 200 and < 300, status, latencyMs, error, excerpt);
        var after = await Server.Store.CompleteDeliveryAsync(leased.Id, Holder, new DeliveryResult(attempt, next, DisableEndpoint: disable), Ct);
        Assert.Equal(attempt.Delivered ? DeliveryStatus.Delivered : next is null ? DeliveryStatus.Failed : DeliveryStatus.Pending, after!.Status);
    }

    /// <summary>The deliveries <see cref="SeedDeliveriesAsync"/> made, by what became of them.</summary>
    private sealed record Seeded(string Delivered, string FailedTwice, string Pending, string FailedOnce, string Gone);
}

using System.Text.Json;
using Handoff.Core.Cases;
using Handoff.Storage.Outbox;

namespace Handoff.Storage.Tests;

public abstract partial class StoreConformanceTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    private static NewDelivery Message(string workspaceId, int n, string channel = DeliveryChannels.Email, string target = "ana@example.com", string? caseId = null) =>
        new($"evt_{n}", "case.escalated", workspaceId, caseId, channel, target, $$"""{"n":{{n}}}""");

    private static DeliveryResult Attempted(Delivery d, DateTimeOffset at, bool delivered, DateTimeOffset? nextAt = null, int? status = null, string? disable = null) =>
        new(new DeliveryAttempt(d.Id, d.Attempts, at, delivered, status ?? (delivered ? 200 : 500), 12, delivered ? null : "HTTP 500", "oops"),
            delivered ? null : nextAt, delivered ? "ref-1" : null, disable);

    [Fact]
    public virtual async Task Enqueue_FromTheCurrentPosition_AddsTheMessagesOnce_AndAStalePositionAddsNothing()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var from = await store.GetDispatchPositionAsync(Ct);

        Assert.True(await store.EnqueueAsync(from, from + 2, [Message(workspace.Id, 1), Message(workspace.Id, 2)], Ct));
        // Another dispatcher that read from the same position lost: nothing of its is added, the position stays.
        Assert.False(await store.EnqueueAsync(from, from + 3, [Message(workspace.Id, 3)], Ct));
        // The same event for the same destination again (a dispatcher that fanned out twice) adds nothing.
        Assert.True(await store.EnqueueAsync(from + 2, from + 3, [Message(workspace.Id, 2), Message(workspace.Id, 2, target: "ben@example.com")], Ct));

        Assert.Equal(from + 3, await store.GetDispatchPositionAsync(Ct));
        var listed = await store.ListDeliveriesAsync(workspace.Id, new DeliveryQuery(), Ct);
        Assert.Equal(["evt_1", "evt_2", "evt_2"], listed.Select(static d => d.EventId).Order());
        Assert.All(listed, d => Assert.Equal((DeliveryStatus.Pending, 0, (DateTimeOffset?)Start), (d.Status, d.Attempts, d.NextAt)));
        Assert.Equal(Start, await store.GetNextDeliveryDueAsync(Ct));
    }

    [Fact]
    public virtual async Task LeaseDeliveries_ByTwoHoldersAtOnce_GiveEachMessageToOne_AndALapsedLeaseMakesItDueAgain()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var from = await store.GetDispatchPositionAsync(Ct);
        await store.EnqueueAsync(from, from + 1, [.. Enumerable.Range(1, 20).Select(n => Message(workspace.Id, n))], Ct);

        var leases = await Task.WhenAll(
            store.LeaseDeliveriesAsync("node-a", Start, Lease, 15, Ct),
            store.LeaseDeliveriesAsync("node-b", Start, Lease, 15, Ct));

        var all = leases.SelectMany(static l => l).ToList();
        Assert.Equal(20, all.Count);
        Assert.Equal(20, all.Select(static d => d.Id).Distinct().Count());
        Assert.All(all, d => Assert.Equal((1, (DateTimeOffset?)Start + Lease), (d.Attempts, d.NextAt)));
        Assert.Empty(await store.LeaseDeliveriesAsync("node-c", Start.AddSeconds(29), Lease, 50, Ct));
        Assert.Equal(Start + Lease, await store.GetNextDeliveryDueAsync(Ct));

        // node-a and node-b died: after the lease every message is due again, for another attempt.
        var again = await store.LeaseDeliveriesAsync("node-c", Start + Lease, Lease, 50, Ct);
        Assert.Equal(20, again.Count);
        Assert.All(again, d => Assert.Equal((2, "node-c"), (d.Attempts, d.LeasedBy)));
    }

    [Fact]
    public virtual async Task CompleteDelivery_LogsEachAttempt_RetriesThenDelivers_AndIgnoresAHolderWhoseLeaseWasTaken()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var from = await store.GetDispatchPositionAsync(Ct);
        await store.EnqueueAsync(from, from + 1, [Message(workspace.Id, 1)], Ct);

        var first = Assert.Single(await store.LeaseDeliveriesAsync("node-a", Start, Lease, 10, Ct));
        var retry = await store.CompleteDeliveryAsync(first.Id, "node-a", Attempted(first, Start.AddSeconds(1), false, Start.AddSeconds(5)), Ct);
        Assert.Equal((DeliveryStatus.Pending, (DateTimeOffset?)Start.AddSeconds(5), (int?)500, "HTTP 500"), (retry!.Status, retry.NextAt, retry.LastStatusCode, retry.LastError));

        var second = Assert.Single(await store.LeaseDeliveriesAsync("node-a", Start.AddSeconds(5), Lease, 10, Ct));
        // node-a stalls past its lease; node-b takes the message and delivers it.
        var third = Assert.Single(await store.LeaseDeliveriesAsync("node-b", Start.AddSeconds(5) + Lease, Lease, 10, Ct));
        var delivered = await store.CompleteDeliveryAsync(third.Id, "node-b", Attempted(third, Start.AddSeconds(36), true), Ct);
        var late = await store.CompleteDeliveryAsync(second.Id, "node-a", Attempted(second, Start.AddSeconds(40), false, Start.AddMinutes(5)), Ct);

        Assert.Equal((DeliveryStatus.Delivered, (DateTimeOffset?)null, "ref-1"), (delivered!.Status, delivered.NextAt, delivered.Reference));
        Assert.Equal(DeliveryStatus.Delivered, late!.Status);
        var attempts = await store.ListDeliveryAttemptsAsync(workspace.Id, first.Id, Ct);
        Assert.Equal([(1, false), (2, false), (3, true)], attempts.Select(static a => (a.Number, a.Delivered)));
        Assert.Equal(("oops", 12), (attempts[0].ResponseExcerpt, attempts[0].LatencyMs));
        Assert.Null(await store.GetNextDeliveryDueAsync(Ct));
    }

    [Fact]
    public virtual async Task CompleteDelivery_WithNoNextAttempt_LeavesADeadLetter_ThatReplayMakesDueAgain()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var from = await store.GetDispatchPositionAsync(Ct);
        await store.EnqueueAsync(from, from + 1, [Message(workspace.Id, 1), Message(workspace.Id, 2, target: "ben@example.com")], Ct);
        foreach (var d in await store.LeaseDeliveriesAsync("node-a", Start, Lease, 10, Ct))
        {
            await store.CompleteDeliveryAsync(d.Id, "node-a", Attempted(d, Start.AddSeconds(1), false), Ct);
        }

        var failed = await store.ListDeliveriesAsync(workspace.Id, new DeliveryQuery(Status: DeliveryStatus.Failed), Ct);
        Assert.Equal(2, failed.Count);
        Assert.Null(await store.GetNextDeliveryDueAsync(Ct));

        var one = await store.ReplayDeliveriesAsync(workspace.Id, new DeliveryReplay(Target: "ben@example.com"), Alice, Start.AddMinutes(1), Ct);
        var none = await store.ReplayDeliveriesAsync(workspace.Id, new DeliveryReplay(Since: Start.AddHours(1)), Alice, Start.AddMinutes(1), Ct);
        var elsewhere = await store.ReplayDeliveriesAsync("ws_other", new DeliveryReplay(), Alice, Start.AddMinutes(1), Ct);

        Assert.Equal((1, 0, 0), (one, none, elsewhere));
        var replayed = Assert.Single(await store.LeaseDeliveriesAsync("node-a", Start.AddMinutes(1), Lease, 10, Ct));
        Assert.Equal(("ben@example.com", 2), (replayed.Target, replayed.Attempts));
        var entry = (await store.ReadSealedAuditAsync(0, 1000, Ct)).Last();
        Assert.Equal((AuditData.DeliveriesReplayed, Alice.Id), (entry.Action, entry.ActorId));
        Assert.Equal(1, JsonDocument.Parse(entry.Data).RootElement.GetProperty("count").GetInt32());
    }

    [Fact]
    public virtual async Task WebhookEndpoints_AddChangeRemove_AreAuditedWithoutSecrets_AndStayInTheirWorkspace()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var other = await store.EnsureWorkspaceAsync("other", Actor.Cli("ops"), Ct);
        var added = await store.AddWebhookEndpointAsync(Endpoint(workspace.Id), Alice, Ct);

        Assert.StartsWith("whe_", added.Id, StringComparison.Ordinal);
        Assert.Equal(added with { Secrets = [], EventTypes = [] }, (await store.GetWebhookEndpointAsync(workspace.Id, added.Id, Ct))! with { Secrets = [], EventTypes = [] });
        Assert.Null(await store.GetWebhookEndpointAsync(other.Id, added.Id, Ct));
        Assert.Empty(await store.ListWebhookEndpointsAsync(other.Id, Ct));

        var rotated = added with
        {
            EventTypes = ["case.decided"],
            Secrets = [new WebhookSecretEntry("whsec_bmV3bmV3bmV3bmV3bmV3bmV3bmV3bmV3", Start), added.Secrets[0] with { ExpiresAt = Start.AddDays(1) }],
        };
        var changed = await store.UpdateWebhookEndpointAsync(rotated, Alice, Ct);
        Assert.Equal(["case.decided"], changed!.EventTypes);
        Assert.Equal(["whsec_bmV3bmV3bmV3bmV3bmV3bmV3bmV3bmV3", "whsec_b2xkb2xkb2xkb2xkb2xkb2xkb2xkb2xk"], changed.ActiveSecrets(Start));
        Assert.Equal(["whsec_bmV3bmV3bmV3bmV3bmV3bmV3bmV3bmV3"], changed.ActiveSecrets(Start.AddDays(1)));
        Assert.Null(await store.UpdateWebhookEndpointAsync(rotated with { WorkspaceId = other.Id }, Alice, Ct));

        Assert.False(await store.RemoveWebhookEndpointAsync(other.Id, added.Id, Alice, Ct));
        Assert.True(await store.RemoveWebhookEndpointAsync(workspace.Id, added.Id, Alice, Ct));
        Assert.Empty(await store.ListWebhookEndpointsAsync(workspace.Id, Ct));

        var entries = (await store.ReadSealedAuditAsync(0, 1000, Ct)).Where(static e => e.Action.StartsWith("webhook.", StringComparison.Ordinal)).ToList();
        Assert.Equal([AuditData.WebhookAdded, AuditData.WebhookChanged, AuditData.WebhookRemoved], entries.Select(static e => e.Action));
        Assert.All(entries, e => Assert.DoesNotContain("whsec_", e.Data, StringComparison.Ordinal));
    }

    [Fact]
    public virtual async Task CompleteDelivery_ThatDisablesItsEndpoint_FailsItsPendingMessages_AndLogsItByTheSystem()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var endpoint = await store.AddWebhookEndpointAsync(Endpoint(workspace.Id), Alice, Ct);
        var from = await store.GetDispatchPositionAsync(Ct);
        await store.EnqueueAsync(from, from + 1,
            [Message(workspace.Id, 1, DeliveryChannels.Webhook, endpoint.Id), Message(workspace.Id, 2, DeliveryChannels.Webhook, endpoint.Id)], Ct);
        var leased = await store.LeaseDeliveriesAsync("node-a", Start, Lease, 1, Ct);

        var d = Assert.Single(leased);
        await store.CompleteDeliveryAsync(d.Id, "node-a", Attempted(d, Start.AddSeconds(1), false, Start.AddSeconds(6)), Ct);
        Assert.Equal(Start.AddSeconds(1), (await store.GetWebhookEndpointAsync(workspace.Id, endpoint.Id, Ct))!.FailingSince);
        var again = Assert.Single(await store.LeaseDeliveriesAsync("node-a", Start.AddSeconds(6), Lease, 1, Ct));
        await store.CompleteDeliveryAsync(again.Id, "node-a", Attempted(again, Start.AddSeconds(7), false, null, 410, "the endpoint answered 410 Gone"), Ct);

        var disabled = (await store.GetWebhookEndpointAsync(workspace.Id, endpoint.Id, Ct))!;
        Assert.Equal(((DateTimeOffset?)Start.AddSeconds(7), "the endpoint answered 410 Gone"), (disabled.DisabledAt, disabled.DisabledReason));
        Assert.All(await store.ListDeliveriesAsync(workspace.Id, new DeliveryQuery(Target: endpoint.Id), Ct), m => Assert.Equal(DeliveryStatus.Failed, m.Status));
        Assert.Null(await store.GetNextDeliveryDueAsync(Ct));
        var entry = (await store.ReadSealedAuditAsync(0, 1000, Ct)).Single(static e => e.Action == AuditData.WebhookDisabled);
        Assert.Equal((Actor.System.Id, endpoint.Id), (entry.ActorId, entry.Subject));

        // Enabled again by an admin: healthy, and its dead letters can be sent again.
        var enabled = await store.UpdateWebhookEndpointAsync(disabled with { DisabledAt = null }, Alice, Ct);
        Assert.Equal(((DateTimeOffset?)null, (string?)null, (DateTimeOffset?)null), (enabled!.DisabledAt, enabled.DisabledReason, enabled.FailingSince));
        Assert.Equal(2, await store.ReplayDeliveriesAsync(workspace.Id, new DeliveryReplay(Channel: DeliveryChannels.Webhook, Target: endpoint.Id), Alice, Start.AddMinutes(1), Ct));
    }

    [Fact]
    public virtual async Task RemoveWebhookEndpoint_CancelsItsUnsentMessages()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var endpoint = await store.AddWebhookEndpointAsync(Endpoint(workspace.Id), Alice, Ct);
        var from = await store.GetDispatchPositionAsync(Ct);
        await store.EnqueueAsync(from, from + 1, [Message(workspace.Id, 1, DeliveryChannels.Webhook, endpoint.Id)], Ct);

        await store.RemoveWebhookEndpointAsync(workspace.Id, endpoint.Id, Alice, Ct);

        Assert.Equal(DeliveryStatus.Cancelled, Assert.Single(await store.ListDeliveriesAsync(workspace.Id, new DeliveryQuery(), Ct)).Status);
        Assert.Empty(await store.LeaseDeliveriesAsync("node-a", Start.AddDays(1), Lease, 10, Ct));
    }

    [Fact]
    public virtual async Task Deliveries_OfAnotherWorkspace_AreNeitherReadNorListed()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var from = await store.GetDispatchPositionAsync(Ct);
        await store.EnqueueAsync(from, from + 1, [Message(workspace.Id, 1)], Ct);
        var d = Assert.Single(await store.LeaseDeliveriesAsync("node-a", Start, Lease, 10, Ct));
        await store.CompleteDeliveryAsync(d.Id, "node-a", Attempted(d, Start, true), Ct);

        Assert.NotNull(await store.GetDeliveryAsync(workspace.Id, d.Id, Ct));
        Assert.Null(await store.GetDeliveryAsync("ws_other", d.Id, Ct));
        Assert.Empty(await store.ListDeliveryAttemptsAsync("ws_other", d.Id, Ct));
        Assert.Empty(await store.ListDeliveriesAsync("ws_other", new DeliveryQuery(), Ct));
    }

    [Fact]
    public virtual async Task ListDeliveries_PagesNewestFirstByTheLastIdSeen()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var from = await store.GetDispatchPositionAsync(Ct);
        await store.EnqueueAsync(from, from + 1, [.. Enumerable.Range(1, 5).Select(n => Message(workspace.Id, n))], Ct);

        var first = await store.ListDeliveriesAsync(workspace.Id, new DeliveryQuery(Limit: 3), Ct);
        var second = await store.ListDeliveriesAsync(workspace.Id, new DeliveryQuery(Before: first[^1].Id, Limit: 3), Ct);

        Assert.Equal((3, 2), (first.Count, second.Count));
        var ids = first.Concat(second).Select(static d => d.Id).ToList();
        Assert.Equal(ids.OrderDescending(StringComparer.Ordinal), ids);
        Assert.Equal(5, ids.Distinct().Count());
    }

    [Fact]
    public virtual async Task GetDeliveryReference_IsTheFirstDeliveredMessageAboutTheCaseOnThatChannelAndTarget()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var from = await store.GetDispatchPositionAsync(Ct);
        await store.EnqueueAsync(from, from + 1, [Message(workspace.Id, 1, caseId: "cs_1"), Message(workspace.Id, 2, DeliveryChannels.Slack, "C123", caseId: "cs_1")], Ct);
        Assert.Null(await store.GetDeliveryReferenceAsync(workspace.Id, "cs_1", DeliveryChannels.Email, "ana@example.com", Ct));

        foreach (var d in await store.LeaseDeliveriesAsync("node-a", Start, Lease, 10, Ct))
        {
            await store.CompleteDeliveryAsync(d.Id, "node-a", Attempted(d, Start, true) with { Reference = $"{d.Channel}-ref" }, Ct);
        }

        Assert.Equal("email-ref", await store.GetDeliveryReferenceAsync(workspace.Id, "cs_1", DeliveryChannels.Email, "ana@example.com", Ct));
        Assert.Equal("slack-ref", await store.GetDeliveryReferenceAsync(workspace.Id, "cs_1", DeliveryChannels.Slack, "C123", Ct));
        Assert.Null(await store.GetDeliveryReferenceAsync("ws_other", "cs_1", DeliveryChannels.Slack, "C123", Ct));
    }

    [Fact]
    public virtual async Task Integrations_SetReadAndRemoved_AreAuditedWithTheSummaryOnly()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();

        await store.SetIntegrationAsync(workspace.Id, "slack", """{"botToken":"xoxb-secret"}""", "bot token set, channel C123", Alice, cancellationToken: Ct);
        // Only if absent: what is there stays, and is what the caller gets back.
        Assert.Equal("""{"botToken":"xoxb-secret"}""", await store.SetIntegrationAsync(workspace.Id, "slack", "{}", "again", Alice, replace: false, Ct));
        Assert.Equal("""{"botToken":"xoxb-secret"}""", await store.GetIntegrationAsync(workspace.Id, "slack", Ct));
        Assert.Null(await store.GetIntegrationAsync("ws_other", "slack", Ct));
        Assert.Null(await store.SetIntegrationAsync(workspace.Id, "slack", null, "removed", Alice, cancellationToken: Ct));
        Assert.Null(await store.GetIntegrationAsync(workspace.Id, "slack", Ct));

        var entries = (await store.ReadSealedAuditAsync(0, 1000, Ct)).Where(static e => e.Action == AuditData.IntegrationChanged).ToList();
        Assert.Equal(2, entries.Count);
        Assert.All(entries, e => Assert.DoesNotContain("xoxb", e.Data, StringComparison.Ordinal));
    }

    [Fact]
    public virtual async Task AddDeliveries_AddsEachMessageOnce_AndOneHeldBackIsNotLeasedBeforeItsTime()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var digest = new NewDelivery("digest_usr_1_2026-01-02", "digest", workspace.Id, null, DeliveryChannels.Email, "ana@example.com", "{}", Start.AddHours(8));

        await Task.WhenAll(store.AddDeliveriesAsync([digest], Ct), store.AddDeliveriesAsync([digest], Ct));

        Assert.Single(await store.ListDeliveriesAsync(workspace.Id, new DeliveryQuery(), Ct));
        Assert.Equal(Start.AddHours(8), await store.GetNextDeliveryDueAsync(Ct));
        Assert.Empty(await store.LeaseDeliveriesAsync("node-a", Start.AddHours(7), Lease, 10, Ct));
        Assert.Single(await store.LeaseDeliveriesAsync("node-a", Start.AddHours(8), Lease, 10, Ct));
    }

    [Fact]
    public virtual async Task UpdateUser_NotificationPreferences_AreKeptAndAudited()
    {
        var (store, workspace) = await CreateStoreWithWorkspaceAsync();
        var user = await store.AddUserAsync(NewUser(workspace.Id, "quiet@example.com"), Alice, Ct);
        Assert.Null(user!.Notifications);
        var prefs = new Core.Notifications.NotificationPreferences
        {
            Email = false, TimeZone = "Europe/Berlin", QuietHours = new Core.Notifications.QuietHours(new(20, 0), new(7, 30)), Digest = true, DigestAt = new(9, 15),
        };

        var changed = await store.UpdateUserAsync(workspace.Id, user.Id, new UserChanges { Notifications = prefs }, Alice, Ct);

        Assert.Equal(prefs, changed!.Notifications);
        Assert.Equal(prefs, (await store.GetUserAsync(workspace.Id, user.Id, Ct))!.Notifications);
        var entry = (await store.ReadSealedAuditAsync(0, 1000, Ct)).Last();
        Assert.Equal(AuditData.UserChanged, entry.Action);
        Assert.Equal("07:30:00", JsonDocument.Parse(entry.Data).RootElement.GetProperty("notifications").GetProperty("quietHours").GetProperty("to").GetString());
    }

    [Fact]
    public virtual async Task ListWorkspaces_IsEveryWorkspaceByName()
    {
        var (store, acme) = await CreateStoreWithWorkspaceAsync("acme");
        var beta = await store.EnsureWorkspaceAsync("beta", Actor.Cli("ops"), Ct);
        var able = await store.EnsureWorkspaceAsync("able", Actor.Cli("ops"), Ct);

        Assert.Equal([able.Id, acme.Id, beta.Id], (await store.ListWorkspacesAsync(Ct)).Select(static w => w.Id));
    }

    private static WebhookEndpoint Endpoint(string workspaceId) => new()
    {
        Id = "",
        WorkspaceId = workspaceId,
        Url = "https://hooks.example.com/handoff",
        Description = "Ops pipeline",
        EventTypes = ["case.escalated", "case.decided"],
        Secrets = [new WebhookSecretEntry("whsec_b2xkb2xkb2xkb2xkb2xkb2xkb2xkb2xk", Start)],
        CreatedAt = Start,
        UpdatedAt = Start,
    };
}

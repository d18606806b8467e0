using System.Globalization;
using Bunit;
using Handoff.Server.Dashboard.Layout;
using Handoff.Server.Events;
using Handoff.Server.Notifications;
using Handoff.Storage.Outbox;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Handoff.Server.Tests.Dashboard.Layout;

/// <summary>The bell's read and unread marks, with the real store and signal, and the browser's storage played by bUnit.</summary>
public sealed class NotificationBellTests
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    [Fact]
    public async Task Bell_ClosedAfterANoticeArrivedWhileOpen_MarksReadOnlyWhatItListedWhenOpened()
    {
        await using var context = await CreateAsync();
        var first = await DeliverAsync(context, "Refund 2,500 for a broken espresso machine");
        // Nothing kept in this browser yet.
        context.JSInterop.Setup<string?>("handoff.bell.seen", _ => true).SetResult(null);
        var bell = context.Render<NotificationBell>();
        bell.WaitForAssertion(() => Assert.Equal("1", bell.Find("#bell-count").TextContent));

        await bell.Find("#bell-button").ClickAsync(new());
        context.Time.Advance(TimeSpan.FromSeconds(5));
        await DeliverAsync(context, "Customer threatens a lawsuit over a late delivery");
        bell.WaitForAssertion(() => Assert.Equal(2, bell.FindAll("#bell-list li.unread").Count));
        await bell.Find("#bell-button").ClickAsync(new());

        bell.WaitForAssertion(() => Assert.Equal("1", bell.Find("#bell-count").TextContent));
        Assert.Empty(bell.FindAll("#bell-panel"));
        var kept = context.JSInterop.Invocations["handoff.bell.see"].Single();
        Assert.Equal([context.User.Id, first.CreatedAt.ToString("O", CultureInfo.InvariantCulture)], kept.Arguments);
    }

    [Fact]
    public async Task Bell_WithAMarkKeptByTheBrowser_CountsOnlyWhatCameAfterIt_AndMarkAllReadMovesItToTheNewest()
    {
        var context = await CreateAsync();
        await using (context)
        {
            var old = await DeliverAsync(context, "Seen before");
            context.Time.Advance(TimeSpan.FromSeconds(5));
            var fresh = await DeliverAsync(context, "New since");
            context.JSInterop.Setup<string?>("handoff.bell.seen", _ => true).SetResult(old.CreatedAt.ToString("O", CultureInfo.InvariantCulture));

            var bell = context.Render<NotificationBell>();
            bell.WaitForAssertion(() => Assert.Equal("1", bell.Find("#bell-count").TextContent));
            Assert.Equal("Notifications, 1 unread", bell.Find("#bell-button").GetAttribute("aria-label"));
            await bell.Find("#bell-button").ClickAsync(new());
            await bell.Find("#bell-read-all").ClickAsync(new());

            bell.WaitForAssertion(() => Assert.Empty(bell.FindAll("#bell-count")));
            Assert.Empty(bell.FindAll("#bell-list li.unread"));
            Assert.Equal(fresh.CreatedAt.ToString("O", CultureInfo.InvariantCulture), context.JSInterop.Invocations["handoff.bell.see"].Last().Arguments[1]);
        }
    }

    private static async Task<DashboardTestContext> CreateAsync()
    {
        var context = await DashboardTestContext.CreateAsync(Storage.UserRole.Reviewer);
        context.Services.AddSingleton<CaseNotifier>();
        context.Services.AddSingleton<PersonSignal>();
        context.Services.AddSingleton<IHostApplicationLifetime, Running>();
        context.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        return context;
    }

    // A notice sent as the delivery worker sends one: added, leased, sent through the dashboard channel (which wakes
    // the person's bell), completed as delivered.
    private static async Task<Delivery> DeliverAsync(DashboardTestContext context, string title)
    {
        var notice = new DashboardNotice("case.escalated", "Needs a person", title, "cs_1", "/cases/cs_1", context.Time.GetUtcNow());
        await context.Store.AddDeliveriesAsync(
            [new NewDelivery($"evt_{Guid.NewGuid():N}", notice.EventType, context.WorkspaceId, notice.CaseId, DashboardChannel.Name, context.User.Id, notice.ToJson())], Ct);
        var now = context.Time.GetUtcNow();
        var leased = Assert.Single(await context.Store.LeaseDeliveriesAsync("node-1", now, TimeSpan.FromMinutes(1), 10, Ct));
        await new DashboardChannel(context.Services.GetRequiredService<PersonSignal>()).SendAsync(
            new OutboundMessage(leased.Id, leased.EventId, leased.EventType, leased.WorkspaceId, leased.CaseId, leased.Channel, leased.Target, leased.Body, leased.Attempts, leased.CreatedAt), Ct);
        return (await context.Store.CompleteDeliveryAsync(leased.Id, "node-1", new DeliveryResult(new DeliveryAttempt(leased.Id, leased.Attempts, now, true, null, 0), null), Ct))!;
    }

    private sealed class Running : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication()
        {
        }
    }
}

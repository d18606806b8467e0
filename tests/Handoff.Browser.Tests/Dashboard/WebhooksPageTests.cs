using System.Text.RegularExpressions;
using Deque.AxeCore.Playwright;
using Handoff.Browser.Tests.Infrastructure;
using Handoff.Server.Notifications;
using Handoff.Storage;
using Handoff.Storage.Outbox;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Handoff.Browser.Tests.Dashboard;

/// <summary>
/// The admin's webhook pages (/settings/webhooks) in a real browser over a real server: adding an endpoint, its
/// deliveries as the outbox holds them, the delivery log with attempts and body, and replaying dead letters.
/// </summary>
[Collection(OutboxTests.Name)]
public sealed partial class WebhooksPageTests(Chromium chromium, DashboardServer server)
    : DashboardTest(chromium, server), IClassFixture<DashboardServer>
{
    private const string Holder = "browser-tests";

    [Fact]
    public async Task WebhooksPages_AdminAddsAnEndpoint_ReadsItsDeliveryLog_AndReplaysTheFailedOnes()
    {
        var workspace = await NewWorkspaceAsync();
        var admin = await workspace.AddPersonAsync("Ada Admin", UserRole.Admin);
        // The cases come first, and the server's dispatcher is let past them, so that it routes none of their events to
        // the endpoint added below: every delivery the pages show is one this test made.
        var refund = await workspace.SubmitPendingAsync(Cases.Refund(2500));
        var legal = await workspace.SubmitPendingAsync(Cases.Legal());
        var unsure = await workspace.SubmitPendingAsync(Cases.Unsure());
        var small = await workspace.SubmitPendingAsync(Cases.Refund(1450, "Ann Perkins", "B-2077"));
        await UntilDispatchedAsync(workspace, [refund, legal, unsure, small]);
        var browser = await SignedInAsync(admin, width: 1280);
        var page = browser.Page;

        await page.GetByRole(AriaRole.Link, new() { Name = "Webhooks", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/settings/webhooks$"));
        await Expect(page.Locator("#no-endpoints")).ToBeVisibleAsync();
        await page.Locator("#add-url").FillAsync("https://ops.example.com/handoff");
        await page.Locator("#add-description").FillAsync("Ops alerting: escalations, decisions and SLA breaches");
        foreach (var type in new[] { "case.escalated", "case.decided", "sla.breached" })
        {
            await page.Locator($"#webhook-add input[value='{type}']").CheckAsync();
        }

        await page.Locator("#webhook-add-submit").ClickAsync();

        var shown = page.Locator("#new-secret-value");
        await Expect(shown).ToHaveTextAsync(new Regex("^whsec_[A-Za-z0-9+/]{43}=$"));
        await Expect(page.Locator("#new-secret")).ToContainTextAsync("shown only this once");
        await page.Locator("#new-secret").ScreenshotAsync(new() { Path = Path.Combine(Artifacts.Screenshots, "webhooks-secret.png") });
        var endpoint = Assert.Single(await Server.Store.ListWebhookEndpointsAsync(workspace.Id, TestContext.Current.CancellationToken));
        var secret = await shown.TextContentAsync();
        Assert.Equal(endpoint.Secrets.Single().Secret, secret);
        Assert.Equal(["case.escalated", "case.decided", "sla.breached"], endpoint.EventTypes);
        var row = page.Locator($"#endpoints tr[data-endpoint-id='{endpoint.Id}']");
        await Expect(row).ToContainTextAsync("https://ops.example.com/handoff");
        await Expect(row).ToContainTextAsync("Enabled");
        await Expect(row).ToContainTextAsync("None yet");
        await page.Locator("#new-secret-done").ClickAsync();
        await Expect(page.Locator("#new-secret")).ToHaveCountAsync(0);

        var gone = await AddEndpointAsync(workspace.Id, "https://legacy.example.net/hooks/handoff", "Old CRM bridge (retired)");
        var seeded = await SeedDeliveriesAsync(workspace, endpoint.Id, gone.Id, refund, legal, unsure, small);

        await browser.OpenAsync("/settings/webhooks");
        await Expect(row).ToContainTextAsync("1 delivered");
        await Expect(row).ToContainTextAsync("1 pending");
        await Expect(row).ToContainTextAsync("2 failed");
        await Expect(row.Locator(".failing")).ToContainTextAsync("Failing since");
        var goneRow = page.Locator($"#endpoints tr[data-endpoint-id='{gone.Id}']");
        await Expect(goneRow).ToContainTextAsync("Disabled by Handoff: the endpoint answered 410 Gone");
        await Expect(page.GetByText(secret!)).ToHaveCountAsync(0);
        await AssertNoSeriousViolationsAsync(page);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Artifacts.Screenshots, "webhooks-list.png"), FullPage = true });

        await row.Locator("a.endpoint-url").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/settings/webhooks/{endpoint.Id}$"));
        var log = page.Locator("#deliveries > tbody > tr[data-delivery-id]");
        await Expect(log).ToHaveCountAsync(4);
        await page.Locator("[data-filter=failed]").ClickAsync();
        await Expect(log).ToHaveCountAsync(2);
        await Expect(page.Locator("#deliveries tr[data-status=failed]")).ToHaveCountAsync(2);
        await page.Locator("[data-filter=all]").ClickAsync();
        await Expect(log).ToHaveCountAsync(4);

        var failed = page.Locator($"#deliveries tr[data-delivery-id='{seeded.FailedTwice}']");
        await Expect(failed).ToHaveAttributeAsync("data-status", "failed");
        await Expect(failed).ToContainTextAsync("Customer threatens a lawsuit over a late delivery");
        await Expect(failed.Locator(".num").Nth(0)).ToHaveTextAsync("2");
        await Expect(failed).ToContainTextAsync("HTTP 500 Internal Server Error");
        await failed.Locator($"button[data-toggle='{seeded.FailedTwice}']").ClickAsync();
        var detail = page.Locator($"#detail-{seeded.FailedTwice}");
        await Expect(detail.Locator("tr[data-attempt]")).ToHaveCountAsync(2);
        await Expect(detail.Locator("tr[data-attempt='1']")).ToContainTextAsync("503");
        await Expect(detail.Locator("tr[data-attempt='1']")).ToContainTextAsync("1210 ms");
        await Expect(detail.Locator("tr[data-attempt='1']")).ToContainTextAsync("upstream overloaded");
        await Expect(detail.Locator("tr[data-attempt='2']")).ToContainTextAsync("database is locked");
        // Indented, so read as JSON is read: "type": on a line of its own.
        await Expect(detail.Locator("pre.json")).ToContainTextAsync("\n  \"type\": \"case.escalated\",");
        await Expect(detail.Locator("pre.json")).ToContainTextAsync(legal);
        await AssertNoSeriousViolationsAsync(page);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Artifacts.Screenshots, "webhooks-detail.png"), FullPage = true });

        await failed.Locator($"button[data-replay='{seeded.FailedTwice}']").ClickAsync();

        await Expect(failed).ToHaveAttributeAsync("data-status", "pending");
        await Expect(failed).ToContainTextAsync("due now");
        await Expect(page.Locator("#log-message")).ToContainTextAsync("pending");
        await Expect(page.Locator($"#deliveries tr[data-delivery-id='{seeded.FailedOnce}']")).ToHaveAttributeAsync("data-status", "failed");
        Assert.Equal(DeliveryStatus.Pending, (await Server.Store.GetDeliveryAsync(workspace.Id, seeded.FailedTwice, TestContext.Current.CancellationToken))!.Status);

        // Every failed one since a day ago (the field's default): the other dead letter; the disabled endpoint's stays.
        await Expect(page.Locator("#replay-since")).Not.ToHaveValueAsync("");
        await page.Locator("#replay-all").ClickAsync();

        await Expect(page.Locator("#log-message")).ToContainTextAsync("Replaying 1 failed delivery");
        await Expect(page.Locator($"#deliveries tr[data-delivery-id='{seeded.FailedOnce}']")).ToHaveAttributeAsync("data-status", "pending");
        Assert.Equal(DeliveryStatus.Failed, (await Server.Store.GetDeliveryAsync(workspace.Id, seeded.Gone, TestContext.Current.CancellationToken))!.Status);
        var replays = (await Server.Store.SearchAuditAsync(workspace.Id, new AuditQuery { Text = "deliveries.replayed" }, TestContext.Current.CancellationToken))
            .Where(e => e.Action == "deliveries.replayed").ToList();
        Assert.Equal(2, replays.Count);
        Assert.All(replays, e => Assert.Equal("Ada Admin", e.ActorName));
    }

    [Fact]
    public async Task EndpointPage_EditsDisablesRotatesAndDeletes_OnlyItsOwnWorkspacesEndpoint()
    {
        var workspace = await NewWorkspaceAsync();
        var other = await NewWorkspaceAsync();
        var admin = await workspace.AddPersonAsync("Ada Admin", UserRole.Admin);
        var endpoint = await AddEndpointAsync(workspace.Id, "https://ops.example.com/handoff", "Ops alerting");
        var elsewhere = await AddEndpointAsync(other.Id, "https://other-tenant.example.org/hook", null);
        var browser = await SignedInAsync(admin);
        var page = browser.Page;

        await browser.OpenAsync($"/settings/webhooks/{elsewhere.Id}");
        await Expect(page.Locator("#webhook-missing")).ToBeVisibleAsync();
        await Expect(page.GetByText("other-tenant.example.org")).ToHaveCountAsync(0);

        await browser.OpenAsync($"/settings/webhooks/{endpoint.Id}");
        await page.Locator("#edit-url").FillAsync("https://user:pw@ops.example.com/handoff");
        await page.Locator("#webhook-save").ClickAsync();
        await Expect(page.Locator("#edit-url ~ .field-error")).ToContainTextAsync("without user info");
        Assert.Equal("https://ops.example.com/handoff", (await Server.Store.GetWebhookEndpointAsync(workspace.Id, endpoint.Id, Ct))!.Url);

        await page.Locator("#edit-url").FillAsync("https://ops.example.com/v2/handoff");
        await page.Locator("#webhook-edit input[value='case.decided']").CheckAsync();
        await page.Locator("#webhook-save").ClickAsync();
        await Expect(page.Locator("#webhook-message")).ToContainTextAsync("Saved");
        await Expect(page.Locator("h1")).ToHaveTextAsync("https://ops.example.com/v2/handoff");
        var saved = (await Server.Store.GetWebhookEndpointAsync(workspace.Id, endpoint.Id, Ct))!;
        Assert.Equal(["case.escalated", "case.decided"], saved.EventTypes);

        await page.Locator("#webhook-disable").ClickAsync();
        await page.Locator("#webhook-disable-confirm").ClickAsync();
        await Expect(page.Locator("#webhook-status")).ToContainTextAsync("Disabled by Ada Admin");
        Assert.Equal("disabled by Ada Admin", (await Server.Store.GetWebhookEndpointAsync(workspace.Id, endpoint.Id, Ct))!.DisabledReason);
        await page.Locator("#webhook-enable").ClickAsync();
        await Expect(page.Locator("#webhook-status")).ToContainTextAsync("Enabled");
        Assert.True((await Server.Store.GetWebhookEndpointAsync(workspace.Id, endpoint.Id, Ct))!.Enabled);

        await page.GetByLabel("keeps signing for 1 hour").CheckAsync();
        await page.Locator("#webhook-rotate").ClickAsync();
        await Expect(page.Locator("#new-secret-value")).ToHaveTextAsync(new Regex("^whsec_"));
        var rotated = (await Server.Store.GetWebhookEndpointAsync(workspace.Id, endpoint.Id, Ct))!;
        Assert.Equal(2, rotated.Secrets.Count);
        Assert.Equal(rotated.Secrets[0].Secret, await page.Locator("#new-secret-value").TextContentAsync());
        Assert.Equal(endpoint.Secrets[0].Secret, rotated.Secrets[1].Secret);
        Assert.Equal(rotated.Secrets[0].CreatedAt + TimeSpan.FromHours(1), rotated.Secrets[1].ExpiresAt);
        await Expect(page.Locator("#webhook-secrets li")).ToHaveCountAsync(2);

        await page.Locator("#webhook-delete").ClickAsync();
        await page.Locator("#webhook-delete-confirm").ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("/settings/webhooks$"));
        await Expect(page.Locator("#webhooks-message")).ToContainTextAsync("Deleted the endpoint https://ops.example.com/v2/handoff");
        await Expect(page.Locator("#no-endpoints")).ToBeVisibleAsync();
        Assert.Empty(await Server.Store.ListWebhookEndpointsAsync(workspace.Id, Ct));
        Assert.NotNull(await Server.Store.GetWebhookEndpointAsync(other.Id, elsewhere.Id, Ct));
    }

    [Fact]
    public async Task WebhooksPages_AtPhoneWidth_DoNotScrollSideways()
    {
        var workspace = await NewWorkspaceAsync();
        var admin = await workspace.AddPersonAsync("Ada Admin", UserRole.Admin);
        var refund = await workspace.SubmitPendingAsync(Cases.Refund(2500));
        var legal = await workspace.SubmitPendingAsync(Cases.Legal());
        var unsure = await workspace.SubmitPendingAsync(Cases.Unsure());
        var small = await workspace.SubmitPendingAsync(Cases.Refund(1450, "Ann Perkins", "B-2077"));
        await UntilDispatchedAsync(workspace, [refund, legal, unsure, small]);
        var endpoint = await AddEndpointAsync(workspace.Id, "https://ops.example.com/handoff/a-rather-long-path/that-must-wrap?tenant=support-eu", "Ops alerting");
        var gone = await AddEndpointAsync(workspace.Id, "https://legacy.example.net/hooks/handoff", null);
        var seeded = await SeedDeliveriesAsync(workspace, endpoint.Id, gone.Id, refund, legal, unsure, small);
        var browser = await SignedInAsync(admin, width: 390, height: 844);
        var page = browser.Page;

        await browser.OpenAsync("/settings/webhooks");
        await Expect(page.Locator($"#endpoints tr[data-endpoint-id='{endpoint.Id}']")).ToContainTextAsync("2 failed");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Artifacts.Screenshots, "webhooks-list-phone.png"), FullPage = true });
        Assert.False(await browser.OverflowsAsync(), "the webhooks list is wider than a 390 px phone");

        await browser.OpenAsync($"/settings/webhooks/{endpoint.Id}");
        await page.Locator($"button[data-toggle='{seeded.FailedTwice}']").ClickAsync();
        await Expect(page.Locator($"#detail-{seeded.FailedTwice} tr[data-attempt]")).ToHaveCountAsync(2);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Artifacts.Screenshots, "webhooks-detail-phone.png"), FullPage = true });
        Assert.False(await browser.OverflowsAsync(), "the endpoint page is wider than a 390 px phone");
    }

    [Fact]
    public async Task WebhooksPages_AsReviewer_AreRefused()
    {
        var workspace = await NewWorkspaceAsync();
        var endpoint = await AddEndpointAsync(workspace.Id, "https://private.example.com/handoff-hook", "Not for reviewers");
        var reviewer = await workspace.AddPersonAsync("Rita Reviewer", UserRole.Reviewer);
        var browser = await SignedInAsync(reviewer);
        var page = browser.Page;
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Webhooks", Exact = true })).ToHaveCountAsync(0);

        foreach (var path in new[] { "/settings/webhooks", $"/settings/webhooks/{endpoint.Id}" })
        {
            await page.GotoAsync(path);

            await Expect(page).ToHaveURLAsync(new Regex(@"/denied(\?|$)"));
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not allowed" })).ToBeVisibleAsync();
            await Expect(page.GetByText("private.example.com")).ToHaveCountAsync(0);
        }
    }

    [Fact]
    public async Task AddForm_WithBadInput_ShowsTheProblemNextToItsField_AndAddsNothing()
    {
        var workspace = await NewWorkspaceAsync();
        var admin = await workspace.AddPersonAsync("Ada Admin", UserRole.Admin);
        var browser = await SignedInAsync(admin);
        var page = browser.Page;
        await browser.OpenAsync("/settings/webhooks");

        await page.Locator("#add-url").FillAsync("ftp://ops.example.com/handoff");
        await page.Locator("#webhook-add input[value='case.decided']").CheckAsync();
        await page.Locator("#webhook-add-submit").ClickAsync();

        await Expect(page.Locator("#add-url ~ .field-error")).ToContainTextAsync("Must be an absolute http or https URL");
        await Expect(page.Locator("#add-url")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator("#add-url")).ToHaveAttributeAsync("aria-describedby", new Regex(@"\badd-url-error\b"));
        await Expect(page.Locator("#add-url")).ToHaveValueAsync("ftp://ops.example.com/handoff");
        await AssertNoSeriousViolationsAsync(page);

        // A good URL and no event type: the URL's problem goes, the types' problem shows beside them.
        await page.Locator("#add-url").FillAsync("https://ops.example.com/handoff");
        await page.Locator("#webhook-add input[value='case.decided']").UncheckAsync();
        await page.Locator("#webhook-add-submit").ClickAsync();

        await Expect(page.Locator("#add-types .field-error")).ToHaveTextAsync("At least one event type.");
        await Expect(page.Locator("#add-url-error")).ToHaveCountAsync(0);
        await Expect(page.Locator("#new-secret")).ToHaveCountAsync(0);
        await Expect(page.Locator("#no-endpoints")).ToBeVisibleAsync();
        Assert.Empty(await Server.Store.ListWebhookEndpointsAsync(workspace.Id, TestContext.Current.CancellationToken));
    }

    private static async Task AssertNoSeriousViolationsAsync(IPage page)
    {
        var results = await page.RunAxe();
        var serious = results.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, string.Join(Environment.NewLine, serious.Select(v =>
            $"{v.Impact} {v.Id}: {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}")));
    }
}

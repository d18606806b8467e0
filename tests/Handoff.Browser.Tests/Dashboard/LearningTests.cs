using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Deque.AxeCore.Playwright;
using Handoff.Browser.Tests.Infrastructure;
using Handoff.Storage;
using static Microsoft.Playwright.Assertions;

namespace Handoff.Browser.Tests.Dashboard;

/// <summary>
/// What learning shows people in a real browser: similar cases beside a case, the agreement page, the learned gate's
/// prediction on a case, and the QA page where a person checks what the gate approved alone.
/// </summary>
public sealed class LearningTests(Chromium chromium, DashboardServer server)
    : DashboardTest(chromium, server), IClassFixture<DashboardServer>
{
    [Fact]
    public async Task ACaseLikeOneJustDecided_ShowsHowItWent_AndTheAgreementPageCountsIt()
    {
        var workspace = await NewWorkspaceAsync();
        var reviewer = await workspace.AddPersonAsync("Rita Reviewer", UserRole.Reviewer, "sales");
        var admin = await workspace.AddPersonAsync("Ada Admin", UserRole.Admin, "sales");
        var first = await workspace.SubmitPendingAsync(Cases.Refund(2500, customer: "Tom Baker"));
        var second = await workspace.SubmitPendingAsync(Cases.Refund(1450, customer: "Lea Park"));
        var browser = await SignedInAsync(reviewer, width: 1280);
        var page = browser.Page;
        await browser.OpenAsync($"/cases/{first}");
        await Expect(page.Locator("#precedents-none")).ToBeVisibleAsync();
        await Expect(page.Locator("#approve")).ToBeEnabledAsync();

        await page.Keyboard.PressAsync("a");

        // The next case opens, and beside it the one just decided, as its precedent.
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/cases/{second}$"));
        var precedent = page.Locator("#precedents li").First;
        await Expect(precedent.Locator("a")).ToHaveAttributeAsync("href", $"/cases/{first}");
        await Expect(precedent.Locator(".chip.verdict")).ToHaveTextAsync("approve");
        await Expect(precedent).ToContainTextAsync("Rita Reviewer");
        await Expect(precedent).ToContainTextAsync("same action");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Artifacts.Screenshots, "case-precedents.png"), FullPage = true });

        var supervisor = await SignedInAsync(admin, width: 1280);
        await supervisor.OpenAsync("/learning");
        var row = supervisor.Page.Locator("#agreement tbody tr").First;
        await Expect(row).ToHaveAttributeAsync("data-key", "high-value");
        await Expect(row.Locator(".rate")).ToHaveTextAsync("100%");
        await supervisor.Page.ScreenshotAsync(new() { Path = Path.Combine(Artifacts.Screenshots, "agreement.png"), FullPage = true });
        BellTests.AssertNoSeriousViolations(await supervisor.Page.RunAxe());

        await supervisor.Page.Locator("#agreement-by").SelectOptionAsync("Action");

        await Expect(supervisor.Page.Locator("#agreement tbody tr").First).ToHaveAttributeAsync("data-key", "issue_refund");
    }

    [Fact]
    public async Task Replay_OnThePolicyPage_ShowsWhatACandidateWouldChange()
    {
        var workspace = await NewWorkspaceAsync();
        var reviewer = await workspace.AddPersonAsync("Rita Reviewer", UserRole.Reviewer, "sales");
        var admin = await workspace.AddPersonAsync("Ada Admin", UserRole.Admin, "sales");
        var first = await workspace.SubmitPendingAsync(Cases.Refund(1500, customer: "Tom Baker"));
        await workspace.SubmitPendingAsync(Cases.Refund(1200, customer: "Lea Park"));
        var browser = await SignedInAsync(reviewer, width: 1280);
        await browser.OpenAsync($"/cases/{first}");
        await Expect(browser.Page.Locator("#approve")).ToBeEnabledAsync();
        await browser.Page.Keyboard.PressAsync("a");
        await Expect(browser.Page.Locator("#precedents li")).ToHaveCountAsync(1);

        var supervisor = await SignedInAsync(admin, width: 1280);
        var page = supervisor.Page;
        await supervisor.OpenAsync("/admin/policy");
        await Expect(page.Locator("#policy-source")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("rules:"));
        await page.Locator("#policy-source").FillAsync(Core.Policy.BuiltInPolicy.Yaml.Replace("gt: 1000", "gt: 2000", StringComparison.Ordinal));
        await page.Locator("#replay-run").ClickAsync();

        await Expect(page.Locator("#replay-summary")).ToContainTextAsync("2 of 2 cases would change.");
        await Expect(page.Locator("#replay-workload tr[data-team=sales]")).ToContainTextAsync("-2");
        await page.Locator("#replay-title").ScrollIntoViewIfNeededAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(Artifacts.Screenshots, "policy-replay.png") });
    }

    [Fact]
    public async Task TheLearnedGatesApprovals_AreCheckedOnTheQaPage_AndEachCheckIsStored()
    {
        var workspace = await NewWorkspaceAsync();
        var reviewer = await workspace.AddPersonAsync("Rita Reviewer", UserRole.Reviewer, "support");
        var (admin, tool) = await TeachTheGateAsync(workspace);
        await PublishAsync(admin, "auto");
        var gate = await TrainAsync(admin);
        Assert.True(gate.GetProperty("acting").GetBoolean(), gate.GetProperty("status").GetString());

        // Asked like the 60 the reviewer approved unchanged: the gate approves them alone, and QA samples every one (qaSample: 1).
        var first = await workspace.SubmitAsync(Cases.Unsure(customer: "Amy Pond"));
        var second = await workspace.SubmitAsync(Cases.Unsure(customer: "Rory Williams"));
        foreach (var approved in new[] { first, second })
        {
            Assert.Equal("approved", approved.GetProperty("status").GetString());
            Assert.True(approved.GetProperty("learned").GetProperty("approved").GetBoolean());
        }

        var (agreed, disputed) = (first.GetProperty("id").GetString()!, second.GetProperty("id").GetString()!);
        Assert.Equal([agreed, disputed], await QaQueueAsync(tool));
        var browser = await SignedInAsync(reviewer, width: 1280);
        var page = browser.Page;
        await browser.OpenAsync("/learning/qa");
        var items = page.Locator("#qa-cases > li");
        await Expect(items).ToHaveCountAsync(2);
        await Expect(items.Nth(0)).ToHaveAttributeAsync("data-id", agreed);
        await Expect(items.Nth(1)).ToHaveAttributeAsync("data-id", disputed);
        await Expect(items.Nth(0)).ToContainTextAsync("approved by the learned gate");
        await Expect(items.Nth(0).Locator(".proposal")).ToHaveTextAsync("Yes, I have changed the address to your office.");
        await Expect(page.Locator("#gate-title")).ToHaveTextAsync("Learned gate · approving");
        await Expect(page.Locator("#gate-live")).ToContainTextAsync("Live check: none of its approvals checked yet; error bound");
        // The score's chip stands apart from the time before it (it ran into it: "15:41:13 UTC100%").
        var when = await items.Nth(0).Locator("p > span.muted").BoundingBoxAsync();
        var chip = await items.Nth(0).Locator(".chip").BoundingBoxAsync();
        Assert.True(chip!.X >= when!.X + when.Width + 4, $"the score's chip starts at {chip.X}, {chip.X - when.X - when.Width} px after the time");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Artifacts.Screenshots, "qa.png"), FullPage = true });
        BellTests.AssertNoSeriousViolations(await page.RunAxe());

        await items.Nth(0).GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Would approve unchanged" }).ClickAsync();

        await Expect(page.Locator("#qa-banner")).ToHaveTextAsync("Checked.");
        await Expect(items).ToHaveCountAsync(1);
        await Expect(items.Nth(0)).ToHaveAttributeAsync("data-id", disputed);

        await items.Nth(0).GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Would not" }).ClickAsync();

        await Expect(page.Locator("#qa-empty")).ToHaveTextAsync("Nothing waits for a check.");
        await Expect(page.Locator("#gate-live")).ToContainTextAsync("Live check: 1 of 2 checked approvals were not approved unchanged (50%)");
        // 1 error in 2 checks: tested at this policy's 10 % budget spent over the looks (10 % / 6 at the second), the
        // approvals err at least 0.8 %, below its maxError of 20 %.
        await Expect(page.Locator("#gate-live")).ToContainTextAsync("QA alone shows at least 0.8%");
        await Expect(page.Locator("#gate-live")).ToContainTextAsync("(the gate stops itself when that passes 20%)");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Artifacts.Screenshots, "qa-checked.png"), FullPage = true });
        var rita = await workspace.UserAsync(reviewer);
        foreach (var (id, verdict) in new[] { (agreed, true), (disputed, false) })
        {
            var qa = (await CaseAsync(tool, id)).GetProperty("qa");
            Assert.Equal((verdict, rita.Id, "Rita Reviewer"), (qa.GetProperty("agreed").GetBoolean(), qa.GetProperty("by").GetProperty("id").GetString(), qa.GetProperty("by").GetProperty("name").GetString()));
        }

        Assert.Empty(await QaQueueAsync(tool));
    }

    [Fact]
    public async Task ACaseTheGateAdvisesOn_ShowsItsPredictionInTheCaseView()
    {
        var workspace = await NewWorkspaceAsync();
        var reviewer = await workspace.AddPersonAsync("Rita Reviewer", UserRole.Reviewer, "support");
        var (admin, _) = await TeachTheGateAsync(workspace);
        var gate = await TrainAsync(admin);
        Assert.False(gate.GetProperty("acting").GetBoolean());
        Assert.Equal(JsonValueKind.Object, gate.GetProperty("threshold").ValueKind);

        // In advise mode every case still goes to a person; the gate only says what it makes of each.
        var likely = await workspace.SubmitAsync(Cases.Unsure(customer: "Amy Pond"));
        var unlikely = await workspace.SubmitAsync(Cases.Billing(customer: "Rory Williams"));
        var browser = await SignedInAsync(reviewer, width: 1280);
        var page = browser.Page;
        foreach (var (submitted, verdict) in new[] { (likely, "the gate would approve it"), (unlikely, "below the gate's threshold") })
        {
            Assert.Equal("pending", submitted.GetProperty("status").GetString());
            var learned = submitted.GetProperty("learned");
            Assert.False(learned.GetProperty("approved").GetBoolean());
            var (score, threshold) = (learned.GetProperty("score").GetDouble(), learned.GetProperty("threshold").GetDouble());
            Assert.Equal(verdict == "the gate would approve it", score >= threshold);

            await browser.OpenAsync($"/cases/{submitted.GetProperty("id").GetString()}");

            await Expect(page.Locator("#learned-prediction")).ToHaveTextAsync(string.Create(CultureInfo.InvariantCulture,
                $"Learned gate: {score:0%} likely to be approved unchanged · {verdict} ({threshold:0.#####})"));
            if (submitted.Equals(likely))
            {
                await page.ScreenshotAsync(new() { Path = Path.Combine(Artifacts.Screenshots, "case-learned.png"), FullPage = true });
            }
        }
    }

    /// <summary>
    /// Gives the workspace's learned gate a history to learn from, as a reviewer builds one while the gate only advises:
    /// an admin publishes the built-in policy with learning in advise mode over the API, the agent sends 60 unsure answers
    /// to a delivery question that the reviewer approves unchanged and 40 to a double charge that they answer themselves,
    /// each decided over the API with the reviewer's key. Every case is alike within its group, so the gate's scores
    /// split in two and the threshold it certifies lies at the approved group's, however the cases fall into training
    /// and calibration — as long as training holds a few double charges: 70 % of the sample is held out by a hash of the
    /// random case id, and with 12 of them the model saw at most one in about 1 run of 12 and scored a double charge as
    /// likely as a delivery question; with 40, about 1 run in 80,000. Returns the admin's and the reviewer's clients.
    /// </summary>
    private static async Task<(HttpClient Admin, HttpClient Reviewer)> TeachTheGateAsync(TestWorkspace workspace)
    {
        var admin = await workspace.KeyedClientAsync(ApiKeyRole.Admin, "Ada's admin script");
        var tool = await workspace.KeyedClientAsync(ApiKeyRole.Reviewer, "Rita's review tool");
        await PublishAsync(admin, "advise");
        for (var i = 0; i < 100; i++)
        {
            var approve = i % 5 is not (1 or 3);
            var id = await workspace.SubmitPendingAsync(approve ? Cases.Unsure(customer: $"Customer {i}") : Cases.Billing(customer: $"Customer {i}"));
            using var response = await tool.PostAsJsonAsync($"/v1/cases/{id}/decision",
                approve ? new { verdict = "approve", text = (string?)null } : new { verdict = "respond", text = (string?)"I am sorry: I have refunded the second charge." },
                TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        return (admin, tool);
    }

    /// <summary>
    /// Publishes the built-in policy with the learned gate in <paramref name="mode"/>: an error of at most 20 % with 90 %
    /// confidence (a history of 100 can certify that), and every approval of the gate checked by a person.
    /// </summary>
    private static async Task PublishAsync(HttpClient admin, string mode)
    {
        var yaml = Core.Policy.BuiltInPolicy.Yaml + $"""
            learning:
              mode: {mode}
              maxError: 0.2
              confidence: 0.9
              minDecisions: 40
              qaSample: 1

            """;
        using var response = await admin.PutAsync("/v1/policy", new StringContent(yaml), TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    /// <summary>Trains the gate now, as an admin does over the API, and returns where it stands.</summary>
    private static async Task<JsonElement> TrainAsync(HttpClient admin)
    {
        using var response = await admin.PostAsync("/v1/learning/gate/train", null, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
    }

    private static async Task<string[]> QaQueueAsync(HttpClient reviewer)
    {
        var queue = await reviewer.GetFromJsonAsync<JsonElement>("/v1/learning/qa", TestContext.Current.CancellationToken);
        return [.. queue.GetProperty("cases").EnumerateArray().Select(static c => c.GetProperty("caseId").GetString()!)];
    }

    private static Task<JsonElement> CaseAsync(HttpClient reviewer, string id) =>
        reviewer.GetFromJsonAsync<JsonElement>($"/v1/cases/{id}", TestContext.Current.CancellationToken);
}

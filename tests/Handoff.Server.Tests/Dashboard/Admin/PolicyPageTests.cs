using Bunit;
using Handoff.Core.Cases;
using Handoff.Core.Policy;
using Handoff.Server.Dashboard.Admin;
using Handoff.Storage;

namespace Handoff.Server.Tests.Dashboard.Admin;

public sealed class PolicyPageTests
{
    private const string Valid = """
        defaults:
          team: support
        rules:
          - id: big-refund
            when:
              facts.amount: { gt: 500 }
            outcome: review
            team: billing
            priority: high
            reason: Refunds above 500 need a person.
        """;

    // Line 7 names an outcome that does not exist.
    private const string Invalid = """
        defaults:
          team: support
        rules:
          - id: big-refund
            when:
              facts.amount: { gt: 500 }
            outcome: maybe
            reason: Refunds above 500 need a person.
        """;

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private static async Task<IRenderedComponent<PolicyPage>> OpenAsync(DashboardTestContext context)
    {
        var page = context.Render<PolicyPage>();
        await page.WaitForElementAsync("#policy-source");
        // Loaded: the editor holds the live policy (here the built-in one).
        page.WaitForAssertion(() => Assert.Contains("rules:", page.Find("#policy-source").GetAttribute("value") ?? "", StringComparison.Ordinal));
        return page;
    }

    private static async Task TypeAsync(DashboardTestContext context, IRenderedComponent<PolicyPage> page, string source)
    {
        await page.Find("#policy-source").InputAsync(source);
        // The draft compiles once typing has paused for the delay.
        context.Time.Advance(PolicyPage.CompileDelay);
    }

    [Fact]
    public async Task Typing_ABadPolicy_ShowsItsProblemWithTheLineAfterThePause()
    {
        await using var context = await DashboardTestContext.CreateAsync();
        var page = await OpenAsync(context);

        await page.Find("#policy-source").InputAsync(Invalid);
        // Before the pause nothing is compiled, so the old (good) draft's empty list still shows, but publishing waits.
        Assert.Empty(page.FindAll("#policy-problems li"));
        Assert.True(page.Find("#publish-policy").HasAttribute("disabled"));

        context.Time.Advance(PolicyPage.CompileDelay);

        page.WaitForAssertion(() =>
        {
            var problem = Assert.Single(page.FindAll("#policy-problems li"));
            Assert.StartsWith("line 7, column ", problem.TextContent, StringComparison.Ordinal);
            Assert.Contains("maybe", problem.TextContent, StringComparison.Ordinal);
        });
        Assert.Contains("bad", page.FindAll(".gutter li")[6].ClassList);
        Assert.DoesNotContain("bad", page.FindAll(".gutter li")[5].ClassList);
        Assert.True(page.Find("#publish-policy").HasAttribute("disabled"));
    }

    [Fact]
    public async Task Typing_APolicyNamingATeamTheWorkspaceLacks_WarnsWithTheFieldAndStillPublishes()
    {
        await using var context = await DashboardTestContext.CreateAsync();
        await context.Store.AddTeamAsync(new Team { WorkspaceId = context.WorkspaceId, Name = "support", DisplayName = "Support" }, Actor.Cli("tests"), Ct);
        var page = await OpenAsync(context);

        await TypeAsync(context, page, Valid);

        page.WaitForAssertion(() =>
        {
            var warning = Assert.Single(page.FindAll("#policy-warnings li"));
            Assert.StartsWith("line 8, rules[0].team: No team 'billing' in this workspace", warning.TextContent, StringComparison.Ordinal);
        });
        Assert.Equal("1 warning", page.Find("#policy-warnings-title").TextContent);
        Assert.Empty(page.FindAll("#policy-problems li"));
        Assert.False(page.Find("#publish-policy").HasAttribute("disabled"));

        await page.Find("#publish-policy").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Contains("Published version 1", page.Find("#policy-banner").TextContent, StringComparison.Ordinal));
        Assert.Single(page.FindAll("#policy-warnings li"));
    }

    [Fact]
    public async Task Publish_AValidPolicy_CreatesAVersionByThePerson()
    {
        await using var context = await DashboardTestContext.CreateAsync();
        var page = await OpenAsync(context);

        await TypeAsync(context, page, Invalid);
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("#policy-problems li")));
        await TypeAsync(context, page, Valid);
        page.WaitForAssertion(() => Assert.False(page.Find("#publish-policy").HasAttribute("disabled")));
        Assert.Empty(page.FindAll("#policy-problems li"));

        await page.Find("#publish-policy").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Contains("Published version 1", page.Find("#policy-banner").TextContent, StringComparison.Ordinal));
        var published = Assert.Single(await context.Store.ListPoliciesAsync(context.WorkspaceId, Ct));
        Assert.Equal(Valid, published.Source);
        Assert.Equal("Ada Admin", published.PublishedBy);
        Assert.Single(page.FindAll("#policy-history tbody tr"));
        // Unchanged since the version just published: nothing to publish.
        Assert.True(page.Find("#publish-policy").HasAttribute("disabled"));
    }

    [Fact]
    public async Task History_TwoVersions_ShowsTheLinesAddedAndRemoved()
    {
        await using var context = await DashboardTestContext.CreateAsync();
        await context.Store.PublishPolicyAsync(context.WorkspaceId, Valid, new("user", "u", "Ada"), Ct);
        await context.Store.PublishPolicyAsync(context.WorkspaceId, Valid.Replace("gt: 500", "gt: 800", StringComparison.Ordinal), new("user", "u", "Ada"), Ct);

        var page = await OpenAsync(context);

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("#policy-history tbody tr").Count));
        Assert.Equal(["+ " + "      facts.amount: { gt: 800 }"], page.FindAll("#policy-diff ins").Select(e => e.TextContent.Replace("added: ", "", StringComparison.Ordinal)));
        Assert.Equal(["- " + "      facts.amount: { gt: 500 }"], page.FindAll("#policy-diff del").Select(e => e.TextContent.Replace("removed: ", "", StringComparison.Ordinal)));
        Assert.Contains("1 added, 1 removed", page.Find("#diff-summary").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TryIt_TheExampleCase_ShowsWhatTheDraftDecides()
    {
        await using var context = await DashboardTestContext.CreateAsync();
        var page = await OpenAsync(context);
        await TypeAsync(context, page, Valid);

        await page.Find("#try-run").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Equal("review", page.Find("#try-outcome").TextContent));
        Assert.Equal("billing", page.Find("#try-team").TextContent);
        Assert.Equal("high", page.Find("#try-priority").TextContent);
        Assert.Equal(Show(PolicyDefaultsFloor), page.Find("#try-floor").TextContent);
        Assert.Equal(["big-refund"], page.FindAll("#try-reasons .chip").Select(c => c.TextContent));
    }

    [Theory]
    [InlineData("""{"kind":"poem"}""", "kind: 'poem' is not one of")]
    [InlineData("""{"kind":"reply","colour":"red"}""", "colour: ")]
    [InlineData("""{"kind":"reply","proposal":{"text":"Hi","confidence":"0.9"}}""", "proposal.confidence: ")]
    [InlineData("""{"kind":"reply","proposal":{"text":"Hi","confidence":1.5}}""", "proposal.confidence: Must be between 0 and 1.")]
    [InlineData("""not json""", "body: Not valid JSON")]
    public async Task TryIt_ASampleTheApiWouldRefuse_NamesTheField(string sample, string expected)
    {
        await using var context = await DashboardTestContext.CreateAsync();
        var page = await OpenAsync(context);

        await page.Find("#try-sample").ChangeAsync(new() { Value = sample });
        await page.Find("#try-run").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Contains(page.FindAll("#try-problems li"), li => li.TextContent.StartsWith(expected, StringComparison.Ordinal)));
        Assert.Empty(page.FindAll("#try-outcome"));
    }

    private const double PolicyDefaultsFloor = 0.75;

    private static string Show(double value) => value.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Replay_JudgesThePeriodsCasesByTheEditorsPolicy_AndListsTheErrorsItWouldLetThrough()
    {
        await using var context = await DashboardTestContext.CreateAsync();
        var cases = await Handoff.Server.Tests.Dashboard.Pages.DashboardCases.AddCaseLoopAsync(context);
        var person = new Actor("user", context.User.Id, context.User.Name);
        var rejected = "";
        foreach (var (amount, verdict) in new[] { (1500, Verdict.Approve), (1200, Verdict.Reject) })
        {
            var c = await Handoff.Server.Tests.Dashboard.Pages.DashboardCases.SubmitRefundAsync(cases, context, amount);
            var decision = new Decision { Verdict = verdict, Text = "Not yet.", ProposalDigest = new string('a', 64), DecidedBy = person, DecidedAt = c.CreatedAt };
            await context.Store.DecideCaseAsync(context.WorkspaceId, c.Id, decision, CaseStatus.Approved, Ct);
            rejected = verdict == Verdict.Reject ? c.Id : rejected;
        }

        var page = await OpenAsync(context);
        await page.Find("#policy-source").InputAsync(BuiltInPolicy.Yaml.Replace("gt: 1000", "gt: 2000", StringComparison.Ordinal));
        await page.Find("#replay-run").ClickAsync(new());

        page.WaitForAssertion(() => Assert.StartsWith("2 of 2 cases would change.", page.Find("#replay-summary").TextContent.Trim(), StringComparison.Ordinal));
        Assert.Equal("1 was not approved as proposed", page.Find("#replay-let-through").TextContent);
        Assert.Equal(["sales", "2", "0", "-2"], page.FindAll("#replay-workload tr[data-team=sales] td").Select(static td => td.TextContent));
        Assert.Equal($"/cases/{rejected}", page.Find("#replay-errors a").GetAttribute("href"));
        Assert.Equal(0, (await context.Store.ListPoliciesAsync(context.WorkspaceId, Ct)).Count(v => v.Source.Contains("gt: 2000", StringComparison.Ordinal)));
    }
}

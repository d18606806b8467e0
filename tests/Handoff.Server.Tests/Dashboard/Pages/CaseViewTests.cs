using Bunit;
using Handoff.Core.Cases;
using Handoff.Server.Dashboard.Pages;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace Handoff.Server.Tests.Dashboard.Pages;

public sealed class CaseViewTests
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    [Fact]
    public async Task Open_AFreeCase_ClaimsItAndShowsWhyItCame()
    {
        await using var context = await DashboardTestContext.CreateAsync();
        var cases = await context.AddCaseLoopAsync();
        var refund = await cases.SubmitRefundAsync(context, 2500);

        var page = context.Render<CaseView>(p => p.Add(c => c.Id, refund.Id));

        page.WaitUntilClaimed();
        var stored = await context.Store.GetCaseAsync(context.WorkspaceId, refund.Id, Ct);
        Assert.Equal(context.User.Id, stored!.AssignedTo?.Id);
        Assert.Contains("Deals above 1,000 need a person's review.", page.Find("ul.reasons").TextContent, StringComparison.Ordinal);
        Assert.Contains("issue_refund", page.Markup, StringComparison.Ordinal);
        Assert.Contains("Offer a replacement machine instead.", page.Find("ol.options").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_ACaseLikeOneDecidedBefore_ShowsHowThatOneWent()
    {
        await using var context = await DashboardTestContext.CreateAsync();
        var cases = await context.AddCaseLoopAsync();
        var first = await cases.SubmitRefundAsync(context, 2500);
        var second = await cases.SubmitRefundAsync(context, 1800);
        var page = context.Render<CaseView>(p => p.Add(c => c.Id, first.Id));
        page.WaitUntilClaimed();
        Assert.Equal("No similar case has been decided yet.", page.Find("#precedents-none").TextContent);

        await page.InvokeAsync(() => page.Find("#approve").ClickAsync(new()));
        var next = context.Render<CaseView>(p => p.Add(c => c.Id, second.Id));

        next.WaitForAssertion(() => Assert.Equal($"/cases/{first.Id}", next.Find("#precedents li a").GetAttribute("href")));
        Assert.Equal("approve", next.Find("#precedents .chip.verdict").TextContent);
        Assert.Contains("same action", next.Find("#precedents li").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Approve_StoresThePersonsDecisionAndOpensTheNextCase()
    {
        await using var context = await DashboardTestContext.CreateAsync();
        var cases = await context.AddCaseLoopAsync();
        var first = await cases.SubmitRefundAsync(context, 2500);
        var second = await cases.SubmitRefundAsync(context, 1800);
        var page = context.Render<CaseView>(p => p.Add(c => c.Id, first.Id));
        page.WaitUntilClaimed();

        await page.InvokeAsync(() => page.Find("#approve").ClickAsync(new()));

        var decided = await context.Store.GetCaseAsync(context.WorkspaceId, first.Id, Ct);
        Assert.Equal(CaseStatus.Approved, decided!.Status);
        Assert.Equal(Verdict.Approve, decided.Decision?.Verdict);
        Assert.Equal(context.User.Name, decided.Decision?.DecidedBy?.Name);
        Assert.EndsWith($"/cases/{second.Id}", context.Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal);
    }

    // Finding an element and dispatching its event run together on the renderer (bUnit's advice): the claim's own
    // change notice may re-render the page between the two and retire the handler that was found.
    [Fact]
    public async Task Edit_ShowsTheChangeAsYouTypeAndApprovesTheEditedArguments()
    {
        await using var context = await DashboardTestContext.CreateAsync();
        var (cases, refund, page) = await OpenRefundAsync(context);

        await page.InvokeAsync(() => page.Find("#edit").ClickAsync(new()));
        await page.InvokeAsync(() => page.Find("#arg-amount").InputAsync(new ChangeEventArgs { Value = "900" }));
        page.WaitForAssertion(() => Assert.Contains("arguments.amount", page.Find("#edit-diff").TextContent, StringComparison.Ordinal));
        Assert.Equal("2500", page.Find("#edit-diff del").TextContent);
        Assert.Equal("900", page.Find("#edit-diff ins").TextContent);
        await page.InvokeAsync(() => page.Find("#approve-edit").ClickAsync(new()));

        var decided = await context.Store.GetCaseAsync(context.WorkspaceId, refund.Id, Ct);
        Assert.Equal(Verdict.Edit, decided!.Decision?.Verdict);
        Assert.Equal(900, decided.Decision!.Result!.Action!.Arguments.GetProperty("amount").GetInt32());
        Assert.Equal("A-1001", decided.Decision.Result.Action.Arguments.GetProperty("order").GetString());
    }

    [Theory]
    [InlineData("nine hundred", "amount must be a number")]
    [InlineData("1e400", "amount: A number is too large.")]
    public async Task Edit_WithANumberFieldThatIsNotANumber_SaysSoAndDecidesNothing(string typed, string problem)
    {
        await using var context = await DashboardTestContext.CreateAsync();
        var (cases, refund, page) = await OpenRefundAsync(context);

        await page.InvokeAsync(() => page.Find("#edit").ClickAsync(new()));
        await page.InvokeAsync(() => page.Find("#arg-amount").InputAsync(new ChangeEventArgs { Value = typed }));
        await page.InvokeAsync(() => page.Find("#approve-edit").ClickAsync(new()));

        Assert.Contains(problem, page.Find("#edit-diff").TextContent, StringComparison.Ordinal);
        Assert.True((await context.Store.GetCaseAsync(context.WorkspaceId, refund.Id, Ct))!.Status.IsOpen());
    }

    [Fact]
    public async Task Reject_WithoutAReason_IsRefusedAndWithOneIsStored()
    {
        await using var context = await DashboardTestContext.CreateAsync();
        var (cases, refund, page) = await OpenRefundAsync(context);

        await page.InvokeAsync(() => page.Find("#reject").ClickAsync(new()));
        await page.InvokeAsync(() => page.Find("#confirm-reject").ClickAsync(new()));
        Assert.Contains("Reject needs a reason", page.Find("p.error").TextContent, StringComparison.Ordinal);
        await page.InvokeAsync(() => page.Find("#reject-reason").InputAsync(new ChangeEventArgs { Value = "Out of warranty." }));
        await page.InvokeAsync(() => page.Find("#confirm-reject").ClickAsync(new()));

        var decided = await context.Store.GetCaseAsync(context.WorkspaceId, refund.Id, Ct);
        Assert.Equal(CaseStatus.Rejected, decided!.Status);
        Assert.Equal("Out of warranty.", decided.Decision?.Text);
    }

    [Fact]
    public async Task Open_ACaseSomeoneElseHolds_NamesThemAndOffersNoDecision()
    {
        await using var context = await DashboardTestContext.CreateAsync();
        var cases = await context.AddCaseLoopAsync();
        var refund = await cases.SubmitRefundAsync(context, 2500);
        await cases.ClaimAsync(context.WorkspaceId, refund.Id, new Actor("user", "u_sam", "Sam Second"), Ct);

        var page = context.Render<CaseView>(p => p.Add(c => c.Id, refund.Id));

        page.WaitForAssertion(() => Assert.Equal("Sam Second is working on this case.", page.Find("#case-banner").TextContent));
        Assert.Empty(page.FindAll("#approve"));
    }

    [Fact]
    public async Task Open_WhenSomeoneElseDecidesMeanwhile_ShowsWhoAtOnce()
    {
        await using var context = await DashboardTestContext.CreateAsync();
        var (cases, refund, page) = await OpenRefundAsync(context);
        // Another person cannot take it now, but an admin's release and a colleague's decision can still happen.
        await cases.ReleaseAsync(context.WorkspaceId, refund.Id, new Actor("user", context.User.Id, context.User.Name), Ct);

        await cases.DecideAsync(context.WorkspaceId, refund.Id, new DecisionRequest(Verdict.Reject, Text: "No."), new Actor("user", "u_sam", "Sam Second"), "reviewer", Ct);

        page.WaitForAssertion(() => Assert.Equal("Sam Second decided this case: reject.", page.Find("#case-banner").TextContent));
        Assert.Empty(page.FindAll("#approve"));
    }

    [Fact]
    public async Task Open_WhenADecisionElsewhereWentUnheard_ShowsItOnceSignalsMayHaveBeenLost()
    {
        await using var context = await DashboardTestContext.CreateAsync();
        var (_, refund, page) = await OpenRefundAsync(context);
        var otherNode = context.OtherNode();
        await otherNode.ReleaseAsync(context.WorkspaceId, refund.Id, new Actor("user", context.User.Id, context.User.Name), Ct);
        await otherNode.DecideAsync(context.WorkspaceId, refund.Id, new DecisionRequest(Verdict.Reject, Text: "No."), new Actor("user", "u_sam", "Sam Second"), "reviewer", Ct);
        Assert.NotEmpty(page.FindAll("#approve"));

        context.Services.GetRequiredService<Handoff.Server.Events.CaseNotifier>().WakeAll();

        page.WaitForAssertion(() => Assert.Equal("Sam Second decided this case: reject.", page.Find("#case-banner").TextContent));
    }

    [Fact]
    public async Task Open_ACaseWhereARuleOnlyAdjustedTheFloor_ListsThatRuleApartFromWhyItCame()
    {
        await using var context = await DashboardTestContext.CreateAsync();
        var cases = await context.AddCaseLoopAsync();
        // high-value asks for review; returning-customer fires too, but only lowers the floor.
        var refund = await cases.SubmitRefundAsync(context, 2500, returning: true);

        var page = context.Render<CaseView>(p => p.Add(c => c.Id, refund.Id));

        page.WaitForAssertion(() => Assert.Equal("high-value", page.Find("ul.reasons .chip").TextContent));
        Assert.Single(page.FindAll("ul.reasons li"));
        Assert.Equal("returning-customer", page.Find(".also-applied .chip").TextContent);
    }

    [Fact]
    public async Task Open_ACaseOfAnotherWorkspace_SaysNotFound()
    {
        await using var context = await DashboardTestContext.CreateAsync();
        var cases = await context.AddCaseLoopAsync();
        var other = await context.Store.EnsureWorkspaceAsync("other", Actor.Cli("tests"), Ct);
        await context.Store.PublishPolicyAsync(other.Id, Core.Policy.BuiltInPolicy.Yaml, Actor.System, Ct);
        var theirs = await cases.SubmitAsync(other.Id, new Handoff.Server.Api.SubmittedCase(new CaseContent { Kind = CaseKind.Question, Summary = "Theirs" }, null, TimeoutEffect.Reject), null, Actor.System, Ct);

        var page = context.Render<CaseView>(p => p.Add(c => c.Id, theirs.Case.Id));

        page.WaitForAssertion(() => Assert.Contains("Case not found", page.Markup, StringComparison.Ordinal));
        Assert.Null((await context.Store.GetCaseAsync(other.Id, theirs.Case.Id, Ct))!.AssignedTo);
    }

    /// <summary>A refund of 2,500 submitted by an agent and opened (so claimed) by the signed-in person.</summary>
    private static async Task<(Handoff.Server.Cases.CaseService Cases, HandoffCase Refund, IRenderedComponent<CaseView> Page)> OpenRefundAsync(DashboardTestContext context)
    {
        var cases = await context.AddCaseLoopAsync();
        var refund = await cases.SubmitRefundAsync(context, 2500);
        var page = context.Render<CaseView>(p => p.Add(c => c.Id, refund.Id));
        page.WaitUntilClaimed();
        return (cases, refund, page);
    }
}

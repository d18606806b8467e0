using Bunit;
using Handoff.Core.Cases;
using Handoff.Server.Dashboard.Admin;
using Microsoft.AspNetCore.Components;

namespace Handoff.Server.Tests.Dashboard.Admin;

public sealed class AuditPageTests
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    [Fact]
    public async Task Render_ShowsThisWorkspacesEntriesNewestFirstAndTheChainIntact()
    {
        await using var context = await DashboardTestContext.CreateAsync();
        context.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        await context.Store.PublishPolicyAsync(context.WorkspaceId, Core.Policy.BuiltInPolicy.Yaml, Actor.Cli("tests"), Ct);
        var other = await context.Store.EnsureWorkspaceAsync("other", Actor.Cli("tests"), Ct);
        await context.Store.PublishPolicyAsync(other.Id, Core.Policy.BuiltInPolicy.Yaml, new Actor("user", "u_x", "Someone Else"), Ct);

        var page = context.Render<AuditPage>();

        page.WaitForAssertion(() => Assert.Contains("Intact", page.Markup, StringComparison.Ordinal));
        var actions = page.FindAll("#audit-entries tbody tr td:nth-child(3) code").Select(c => c.TextContent).ToList();
        Assert.Equal("policy.published", actions[0]);
        Assert.Contains("user.added", actions);
        Assert.DoesNotContain("Someone Else", page.Find("#audit-entries").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_NarrowsTheEntriesToThoseThatMatch()
    {
        await using var context = await DashboardTestContext.CreateAsync();
        await context.Store.PublishPolicyAsync(context.WorkspaceId, Core.Policy.BuiltInPolicy.Yaml, Actor.Cli("tests"), Ct);
        // The first, static render: it lists entries but leaves the chain walk to the live page.
        context.SetRendererInfo(new RendererInfo("Static", isInteractive: false));
        var page = context.Render<AuditPage>();
        Assert.Contains("Checking the chain", page.Markup, StringComparison.Ordinal);
        page.WaitForAssertion(() => Assert.True(page.FindAll("#audit-entries tbody tr").Count >= 3));

        await page.Find("#audit-search").ChangeAsync(new ChangeEventArgs { Value = "policy.published" });
        await page.Find("form.search").SubmitAsync();

        page.WaitForAssertion(() => Assert.Equal(["policy.published"], page.FindAll("#audit-entries tbody tr td:nth-child(3) code").Select(c => c.TextContent)));
    }
}

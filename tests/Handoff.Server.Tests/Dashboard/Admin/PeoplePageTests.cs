using Bunit;
using Handoff.Core.Cases;
using Handoff.Server.Dashboard.Admin;
using Handoff.Storage;

namespace Handoff.Server.Tests.Dashboard.Admin;

public sealed class PeoplePageTests
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    [Fact]
    public async Task Edit_SetsSkillsLanguagesCapacityAndTeams_AndTheRowShowsThem()
    {
        await using var context = await DashboardTestContext.CreateAsync();
        await context.Store.AddTeamAsync(new Team { WorkspaceId = context.WorkspaceId, Name = "billing", DisplayName = "Billing" }, Actor.Cli("t"), Ct);
        var page = context.Render<PeoplePage>();
        await page.WaitForElementAsync("#people");

        await page.Find($"#people tr[data-user-id={context.User.Id}] .row-actions button").ClickAsync(new());
        await page.Find("#edit-teams").ChangeAsync(new() { Value = "billing" });
        await page.Find("#edit-skills").ChangeAsync(new() { Value = "refunds, tier-2" });
        await page.Find("#edit-languages").ChangeAsync(new() { Value = "en, de" });
        await page.Find("#edit-capacity").ChangeAsync(new() { Value = "4" });
        await page.Find("#edit-save").ClickAsync(new());

        page.WaitForAssertion(() => Assert.NotNull(page.Find("#people-message")));
        var user = await context.Store.GetUserAsync(context.WorkspaceId, context.User.Id, Ct);
        Assert.Equal(["refunds", "tier-2"], user!.Skills);
        Assert.Equal(["en", "de"], user.Languages);
        Assert.Equal(["billing"], user.Teams);
        Assert.Equal(4, user.Capacity);
        var row = page.Find($"#people tr[data-user-id={context.User.Id}]").TextContent;
        Assert.Contains("refunds, tier-2", row, StringComparison.Ordinal);
        Assert.Contains("en, de", row, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("#edit-teams", "nowhere", "nowhere")]
    [InlineData("#edit-skills", "Refunds", "Refunds")]
    [InlineData("#edit-capacity", "0", "1 to 100")]
    public async Task Edit_WithABadValue_ShowsWhyAndChangesNothing(string input, string value, string said)
    {
        await using var context = await DashboardTestContext.CreateAsync();
        var page = context.Render<PeoplePage>();
        await page.WaitForElementAsync("#people");

        await page.Find($"#people tr[data-user-id={context.User.Id}] .row-actions button").ClickAsync(new());
        await page.Find("#edit-teams").ChangeAsync(new() { Value = "" });
        await page.Find(input).ChangeAsync(new() { Value = value });
        await page.Find("#edit-save").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Contains(said, page.Find("#people-error").TextContent, StringComparison.Ordinal));
        var user = await context.Store.GetUserAsync(context.WorkspaceId, context.User.Id, Ct);
        Assert.Equal((5, 0), (user!.Capacity, user.Skills.Count));
    }

    [Fact]
    public async Task Presence_ShowsWhatRoutingActsOn()
    {
        await using var context = await DashboardTestContext.CreateAsync();
        await context.Store.SetPresenceAsync(context.WorkspaceId, context.User.Id, Core.Routing.Presence.Online, Actor.Cli("t"), Ct);
        context.Time.Advance(TimeSpan.FromMinutes(3));

        var page = context.Render<PeoplePage>();
        await page.WaitForElementAsync("#people");

        Assert.Equal("away", page.Find($"#people tr[data-user-id={context.User.Id}] td:nth-child(8)").TextContent);
    }
}

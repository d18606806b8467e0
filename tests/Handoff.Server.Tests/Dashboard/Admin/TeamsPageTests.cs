using Bunit;
using Handoff.Core.Cases;
using Handoff.Core.Routing;
using Handoff.Server.Dashboard.Admin;
using Handoff.Storage;

namespace Handoff.Server.Tests.Dashboard.Admin;

public sealed class TeamsPageTests
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    [Fact]
    public async Task Add_WithHoursOverflowAndSupervisor_StoresTheTeamAndListsIt()
    {
        await using var context = await DashboardTestContext.CreateAsync();
        await context.Store.AddTeamAsync(new Team { WorkspaceId = context.WorkspaceId, Name = "tier-2", DisplayName = "Tier 2" }, Actor.Cli("t"), Ct);
        var page = context.Render<TeamsPage>();
        await page.WaitForElementAsync("#team-form");

        await page.Find("#team-name").ChangeAsync(new() { Value = "billing" });
        await page.Find("#team-display").ChangeAsync(new() { Value = "Billing (EU)" });
        await page.Find("#team-mode").ChangeAsync(new() { Value = "pull" });
        await page.Find("#team-accept").ChangeAsync(new() { Value = "45" });
        await page.Find("#team-overflow").ChangeAsync(new() { Value = "tier-2" });
        await page.Find("#team-supervisor").ChangeAsync(new() { Value = context.User.Id });
        await page.Find("#team-zone").ChangeAsync(new() { Value = "Europe/Berlin" });
        await page.Find("#team-hours").ChangeAsync(new() { Value = "mon-fri 09:00-17:00\nsat 10:00-14:00" });
        await page.Find("#team-closed").ChangeAsync(new() { Value = "2026-12-25" });
        await page.Find("#team-form").SubmitAsync();

        page.WaitForAssertion(() => Assert.Equal("Team billing added.", page.Find("#teams-message").TextContent));
        var team = await context.Store.GetTeamAsync(context.WorkspaceId, "billing", Ct);
        Assert.Equal(("Billing (EU)", AssignmentMode.Pull, TimeSpan.FromSeconds(45), "tier-2", context.User.Id), (team!.DisplayName, team.Mode, team.AcceptTimeout, team.OverflowTeam, team.SupervisorId));
        Assert.Equal(6, team.WorkingHours!.Week.Count);
        Assert.Equal([new DateOnly(2026, 12, 25)], team.WorkingHours.Closures);
        var row = page.Find("#teams tr[data-team=billing]");
        Assert.Contains("mon-fri 09:00-17:00, sat 10:00-14:00 (Europe/Berlin)", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("Ada Admin", row.TextContent, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("#team-zone", "Mars/Olympus", "workingHours.timeZone")]
    [InlineData("#team-name", "Billing", "name")]
    [InlineData("#team-hours", "weekdays 9-5", "workingHours.week")]
    public async Task Add_WithABadField_ShowsTheProblemByFieldAndAddsNothing(string input, string value, string field)
    {
        await using var context = await DashboardTestContext.CreateAsync();
        var page = context.Render<TeamsPage>();
        await page.WaitForElementAsync("#team-form");

        await page.Find("#team-name").ChangeAsync(new() { Value = "billing" });
        await page.Find("#team-zone").ChangeAsync(new() { Value = "UTC" });
        await page.Find(input).ChangeAsync(new() { Value = value });
        await page.Find("#team-form").SubmitAsync();

        page.WaitForAssertion(() => Assert.NotNull(page.Find($"#team-errors li[data-field='{field}']")));
        Assert.Empty(await context.Store.ListTeamsAsync(context.WorkspaceId, Ct));
    }

    [Fact]
    public async Task Edit_ShowsTheMembersProfileAndSavesTheChange()
    {
        await using var context = await DashboardTestContext.CreateAsync();
        await context.Store.AddTeamAsync(new Team { WorkspaceId = context.WorkspaceId, Name = "support", DisplayName = "Support" }, Actor.Cli("t"), Ct);
        await context.Store.UpdateUserAsync(context.WorkspaceId, context.User.Id, new UserChanges { Skills = ["refunds"], Languages = ["en", "de"], Capacity = 3 }, Actor.Cli("t"), Ct);
        var page = context.Render<TeamsPage>();
        await page.WaitForElementAsync("#teams");
        Assert.Contains("Ada Admin (refunds · en, de · capacity 3)", page.Find("#teams tr[data-team=support]").TextContent, StringComparison.Ordinal);

        await page.Find("#teams tr[data-team=support] button").ClickAsync(new());
        await page.Find("#team-accept").ChangeAsync(new() { Value = "20" });
        await page.Find("#team-form").SubmitAsync();

        page.WaitForAssertion(() => Assert.Equal("Saved team support.", page.Find("#teams-message").TextContent));
        Assert.Equal(TimeSpan.FromSeconds(20), (await context.Store.GetTeamAsync(context.WorkspaceId, "support", Ct))!.AcceptTimeout);
    }

    [Fact]
    public async Task Remove_AfterConfirming_RemovesTheTeam_AndTheUnaddedPolicyTeamIsNamed()
    {
        await using var context = await DashboardTestContext.CreateAsync();
        await context.Store.AddTeamAsync(new Team { WorkspaceId = context.WorkspaceId, Name = "billing", DisplayName = "Billing" }, Actor.Cli("t"), Ct);
        var page = context.Render<TeamsPage>();
        await page.WaitForElementAsync("#teams");
        Assert.Contains("support", page.Find("#missing-teams").TextContent, StringComparison.Ordinal);

        await page.FindAll("#teams tr[data-team=billing] button")[1].ClickAsync(new());
        await page.Find("#team-remove-confirm").ClickAsync(new());

        page.WaitForAssertion(() => Assert.NotNull(page.Find("#no-teams")));
        Assert.Empty(await context.Store.ListTeamsAsync(context.WorkspaceId, Ct));
    }
}

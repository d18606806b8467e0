using Bunit;
using Handoff.Core.Routing;
using Handoff.Server.Dashboard.Layout;

namespace Handoff.Server.Tests.Dashboard.Layout;

public sealed class PresenceSwitchTests
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    [Fact]
    public async Task Switch_ShowsTheChosenPresence_AndAClickStoresTheNewOneAsThePerson()
    {
        await using var context = await DashboardTestContext.CreateAsync(Storage.UserRole.Reviewer);
        await context.Store.SetPresenceAsync(context.WorkspaceId, context.User.Id, Presence.Online, Handoff.Server.Dashboard.DashboardSession.ActorOf(context.User), Ct);
        var header = context.Render<PresenceSwitch>();
        await header.WaitForElementAsync("#presence-switch");
        Assert.Equal("true", header.Find("#presence-online").GetAttribute("aria-pressed"));

        await header.Find("#presence-away").ClickAsync(new());

        header.WaitForAssertion(() => Assert.Equal("away", header.Find("#presence-switch").GetAttribute("data-presence")));
        Assert.Equal("false", header.Find("#presence-online").GetAttribute("aria-pressed"));
        var stored = await context.Store.GetPresenceAsync(context.WorkspaceId, context.User.Id, Ct);
        Assert.Equal(Presence.Away, stored!.Chosen);
        var entry = (await context.Store.ReadAuditAsync(0, 1000, Ct)).Last(e => e.Action == "presence.changed");
        Assert.Equal((context.User.Id, "user"), (entry.ActorId, entry.ActorKind));
    }
}

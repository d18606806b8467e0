using System.Net;
using Handoff.Core.Routing;
using Handoff.Server.Tests.Infrastructure;

namespace Handoff.Server.Tests.Accounts;

public sealed partial class SignInTests
{
    [Fact]
    public async Task SignIn_MakesThePersonOnline_AndSignOut_Offline()
    {
        await using var server = await TestServer.StartAsync();
        var rita = await AccountServiceTests.AddAsync(server, "rita@example.com");
        using var browser = Browser(server, out _);
        var ct = TestContext.Current.CancellationToken;

        using var signIn = await SignInAsync(browser, "rita@example.com", "a long enough password", "/");
        var online = await server.Store.GetPresenceAsync(rita.WorkspaceId, rita.Id, ct);
        var page = await browser.GetStringAsync("/", ct);
        using var signOut = await browser.PostAsync("/signout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AntiforgeryField().Match(page).Groups[1].Value,
        }), ct);
        var offline = await server.Store.GetPresenceAsync(rita.WorkspaceId, rita.Id, ct);

        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal((Presence.Online, server.Time.GetUtcNow()), (online!.Chosen, online.LastSeenAt));
        Assert.Equal(Presence.Offline, offline!.Chosen);
        var changes = (await server.Store.ReadAuditAsync(0, 1000, ct)).Where(e => e.Action == "presence.changed").ToList();
        Assert.Equal(2, changes.Count);
        Assert.All(changes, e => Assert.Equal((rita.Id, "user"), (e.ActorId, e.ActorKind)));
    }
}

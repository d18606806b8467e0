using Bunit;
using Handoff.Server.Auth;
using Handoff.Server.Dashboard.Admin;
using Handoff.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Handoff.Server.Tests.Dashboard.Admin;

public sealed class KeysPageTests
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    [Fact]
    public async Task Create_ShowsTheSecretOnceAndStoresOnlyItsHash()
    {
        await using var context = await DashboardTestContext.CreateAsync();
        var page = context.Render<KeysPage>();
        await page.WaitForElementAsync("#key-name");

        await page.Find("#key-name").ChangeAsync(new() { Value = "support-bot" });
        await page.Find("form").SubmitAsync();

        var secret = (await page.WaitForElementAsync("#new-key-secret")).TextContent;
        Assert.StartsWith("hk_", secret, StringComparison.Ordinal);
        var key = Assert.Single(await context.Store.ListApiKeysAsync(context.WorkspaceId, Ct));
        Assert.Equal(("support-bot", ApiKeyRole.Agent, ApiKeys.Hash(secret)), (key.Name, key.Role, key.Hash));
        page.WaitForAssertion(() => Assert.Single(page.FindAll("#keys tbody tr")));

        await page.Find("#new-key-done").ClickAsync(new());

        Assert.DoesNotContain(secret, page.Markup, StringComparison.Ordinal);
        var again = context.Render<KeysPage>();
        again.WaitForAssertion(() => Assert.Single(again.FindAll("#keys tbody tr")));
        Assert.DoesNotContain(secret, again.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoke_ACachedKey_IsRefusedAtOnce()
    {
        await using var context = await DashboardTestContext.CreateAsync();
        var secret = ApiKeys.NewSecret();
        await context.Store.AddApiKeyAsync(new NewApiKey(context.WorkspaceId, "old bot", ApiKeyRole.Agent, ApiKeys.Hash(secret), context.Time.GetUtcNow()), new("cli", "cli", "tests"), Ct);
        var cache = context.Services.GetRequiredService<ApiKeyCache>();
        Assert.NotNull(await cache.FindAsync(secret, Ct));
        var page = context.Render<KeysPage>();
        await page.WaitForElementAsync("#keys");

        await page.Find("#keys tbody button").ClickAsync(new());
        await page.Find("#key-revoke-confirm").ClickAsync(new());

        page.WaitForAssertion(() => Assert.StartsWith("revoked", page.Find("#keys tbody tr td:nth-child(4)").TextContent, StringComparison.Ordinal));
        // No time has passed: the cached hit has not run out, yet the key is refused.
        Assert.Null(await cache.FindAsync(secret, Ct));
        var key = Assert.Single(await context.Store.ListApiKeysAsync(context.WorkspaceId, Ct));
        Assert.NotNull(key.RevokedAt);
    }
}

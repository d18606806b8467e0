using System.Net;
using System.Text.RegularExpressions;
using Handoff.Server.Tests.Infrastructure;
using Handoff.Server.Accounts;
using Handoff.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Handoff.Server.Tests.Accounts;

/// <summary>The dashboard's sign-in over real HTTP: the form, its antiforgery token, the cookie, and where it lets you in.</summary>
public sealed partial class SignInTests
{
    [Fact]
    public async Task Dashboard_WithoutSigningIn_RedirectsToTheSignInPageWithTheWayBack()
    {
        await using var server = await TestServer.StartAsync();
        using var browser = Browser(server, out _);

        using var response = await browser.GetAsync("/cases/cs_123", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/signin?ReturnUrl=%2Fcases%2Fcs_123", response.Headers.Location?.PathAndQuery);
    }

    [Fact]
    public async Task SignIn_WithTheRightPassword_SetsASessionThatOpensTheInbox()
    {
        await using var server = await TestServer.StartAsync();
        await AccountServiceTests.AddAsync(server, "rita@example.com");
        using var browser = Browser(server, out var cookies);

        using var signIn = await SignInAsync(browser, "rita@example.com", "a long enough password", "/cases/cs_1");
        var inbox = await browser.GetStringAsync("/", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal(new Uri(server.Address, "/cases/cs_1"), signIn.Headers.Location);
        Assert.Contains(cookies.GetCookies(server.Address), c => c.Name == "handoff.session" && c.HttpOnly);
        Assert.Contains("<h1 tabindex=\"-1\">Inbox</h1>", inbox, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Session_OfAPersonDisabledAfterSigningIn_StopsWorkingAtOnce()
    {
        await using var server = await TestServer.StartAsync();
        var rita = await AccountServiceTests.AddAsync(server, "rita@example.com");
        using var browser = Browser(server, out _);
        using var signIn = await SignInAsync(browser, "rita@example.com", "a long enough password", "/");
        using var before = await browser.GetAsync("/", TestContext.Current.CancellationToken);

        await server.Store.UpdateUserAsync(rita.WorkspaceId, rita.Id, new UserChanges { Disabled = true }, Core.Cases.Actor.Cli("tests"), TestContext.Current.CancellationToken);
        using var after = await browser.GetAsync("/", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/signin", after.Headers.Location?.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Session_OfAnAdminDemotedAfterSigningIn_NoLongerOpensAdminPages()
    {
        await using var server = await TestServer.StartAsync();
        var ada = await AccountServiceTests.AddAsync(server, "ada@example.com", UserRole.Admin);
        using var browser = Browser(server, out _);
        using var signIn = await SignInAsync(browser, "ada@example.com", "a long enough password", "/");
        using var before = await browser.GetAsync("/admin/people", TestContext.Current.CancellationToken);

        await server.Store.UpdateUserAsync(ada.WorkspaceId, ada.Id, new UserChanges { Role = UserRole.Reviewer }, Core.Cases.Actor.Cli("tests"), TestContext.Current.CancellationToken);
        using var after = await browser.GetAsync("/admin/people", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/signin", after.Headers.Location?.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignOut_WithoutTheAntiforgeryToken_IsRefusedAndWithItEndsTheSession()
    {
        await using var server = await TestServer.StartAsync();
        await AccountServiceTests.AddAsync(server, "rita@example.com");
        using var browser = Browser(server, out _);
        using var signIn = await SignInAsync(browser, "rita@example.com", "a long enough password", "/");

        using var forged = await browser.PostAsync("/signout", new FormUrlEncodedContent([]), TestContext.Current.CancellationToken);
        using var stillIn = await browser.GetAsync("/", TestContext.Current.CancellationToken);
        var page = await stillIn.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        using var signOut = await browser.PostAsync("/signout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AntiforgeryField().Match(page).Groups[1].Value,
        }), TestContext.Current.CancellationToken);
        using var signedOut = await browser.GetAsync("/", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, stillIn.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
    }

    [Fact]
    public async Task SetupLink_OnceUsed_NoLongerShowsTheForm()
    {
        await using var server = await TestServer.StartAsync();
        var token = await server.App.Services.GetRequiredService<SetupLink>().TokenIfNeededAsync(TestContext.Current.CancellationToken);
        using var browser = Browser(server, out var cookies);
        var url = $"/setup?token={token}";
        var form = await browser.GetStringAsync(url, TestContext.Current.CancellationToken);

        using var created = await browser.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "setup",
            ["__RequestVerificationToken"] = AntiforgeryField().Match(form).Groups[1].Value,
            ["token"] = token!,
            ["Input.Name"] = "Ada Admin",
            ["Input.Email"] = "ada@example.com",
            ["Input.Password"] = "a long enough password",
        }), TestContext.Current.CancellationToken);
        using var stranger = new HttpClient { BaseAddress = server.Address };
        var again = await stranger.GetStringAsync(url, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.Contains(cookies.GetCookies(server.Address), c => c.Name == "handoff.session");
        Assert.Equal(UserRole.Admin, (await server.Store.FindUserByEmailAsync("ada@example.com", TestContext.Current.CancellationToken))?.Role);
        Assert.Contains("This setup link is not valid", again, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"Input.Password\"", again, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_WithAWrongPassword_SaysSoAndSetsNoSession()
    {
        await using var server = await TestServer.StartAsync();
        await AccountServiceTests.AddAsync(server, "rita@example.com");
        using var browser = Browser(server, out var cookies);

        using var signIn = await SignInAsync(browser, "rita@example.com", "not the password", "/");
        var page = await signIn.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        Assert.Contains("Wrong email or password.", page, StringComparison.Ordinal);
        Assert.DoesNotContain(cookies.GetCookies(server.Address), c => c.Name == "handoff.session");
    }

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example/")]
    public async Task SignIn_WithAReturnUrlOffTheSite_GoesToTheInboxInstead(string returnUrl)
    {
        await using var server = await TestServer.StartAsync();
        await AccountServiceTests.AddAsync(server, "rita@example.com");
        using var browser = Browser(server, out _);

        using var signIn = await SignInAsync(browser, "rita@example.com", "a long enough password", returnUrl);

        Assert.Equal(new Uri(server.Address, "/"), signIn.Headers.Location);
    }

    [Fact]
    public async Task SignInForm_PostedWithoutTheAntiforgeryToken_IsRefused()
    {
        await using var server = await TestServer.StartAsync();
        await AccountServiceTests.AddAsync(server, "rita@example.com");
        using var browser = Browser(server, out var cookies);

        using var response = await browser.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "signin",
            ["Input.Email"] = "rita@example.com",
            ["Input.Password"] = "a long enough password",
        }), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(cookies.GetCookies(server.Address), c => c.Name == "handoff.session");
    }

    [Fact]
    public async Task ApiCall_WithOnlyTheDashboardCookie_IsUnauthorized()
    {
        await using var server = await TestServer.StartAsync();
        await AccountServiceTests.AddAsync(server, "ada@example.com", UserRole.Admin);
        using var browser = Browser(server, out _);
        using var signIn = await SignInAsync(browser, "ada@example.com", "a long enough password", "/");

        using var response = await browser.GetAsync("/v1/policy", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task SignIn_WhileAStrangerHammersTheAccountFromAnotherAddress_LetsThePersonInAtOnce()
    {
        await using var server = await TestServer.StartAsync();
        await AccountServiceTests.AddAsync(server, "rita@example.com");
        using var stranger = Browser(server, LocalAddress.Stranger, out _);
        using var rita = Browser(server, LocalAddress.Person, out var cookies);
        var limit = server.App.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<HandoffServerOptions>>().Value.SignInAttemptsPerAccount;

        var guesses = new List<HttpStatusCode>();
        for (var i = 0; i < limit + 2; i++)
        {
            using var guess = await SignInAsync(stranger, "rita@example.com", $"guess number {i}", "/");
            guesses.Add(guess.StatusCode);
        }

        using var refused = await SignInAsync(stranger, "rita@example.com", "a long enough password", "/");
        var refusal = await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        using var signIn = await SignInAsync(rita, "rita@example.com", "a long enough password", "/");

        // Rita, elsewhere, is let in at once; the stranger's guesses stop being checked after the limit, even a right one.
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Contains(cookies.GetCookies(server.Address), c => c.Name == "handoff.session");
        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.OK, limit), HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], guesses);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Contains("Too many sign-in attempts from your network. Try again in 15 minutes.", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_GuessesAtManyAccountsFromOneAddress_AreRefusedThereButNotElsewhere()
    {
        await using var server = await TestServer.StartAsync(o => o.FailedSignInsPerAddress = 4);
        await AccountServiceTests.AddAsync(server, "rita@example.com");
        using var stranger = Browser(server, LocalAddress.Stranger, out _);
        using var rita = Browser(server, LocalAddress.Person, out _);

        var guesses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            using var guess = await SignInAsync(stranger, $"person{i}@example.com", "a long enough password", "/");
            guesses.Add(guess.StatusCode);
        }

        using var rightButRefused = await SignInAsync(stranger, "rita@example.com", "a long enough password", "/");
        using var signIn = await SignInAsync(rita, "rita@example.com", "a long enough password", "/");

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], guesses);
        Assert.Equal(HttpStatusCode.TooManyRequests, rightButRefused.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
    }

    private static HttpClient Browser(TestServer server, out CookieContainer cookies) => Browser(server, LocalAddress.Person, out cookies);

    /// <summary>A browser whose connections come from <paramref name="from"/>: the server sees it as that client address.</summary>
    private static HttpClient Browser(TestServer server, IPAddress from, out CookieContainer cookies)
    {
        cookies = new CookieContainer();
        return new HttpClient(LocalAddress.Handler(from, cookies)) { BaseAddress = server.Address };
    }

    private static async Task<HttpResponseMessage> SignInAsync(HttpClient browser, string email, string password, string returnUrl)
    {
        var url = "/signin?ReturnUrl=" + Uri.EscapeDataString(returnUrl);
        var form = await browser.GetStringAsync(url, TestContext.Current.CancellationToken);
        var token = AntiforgeryField().Match(form).Groups[1].Value;
        return await browser.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "signin",
            ["__RequestVerificationToken"] = token,
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        }), TestContext.Current.CancellationToken);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}

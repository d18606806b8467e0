using System.Net;
using System.Text.RegularExpressions;
using Handoff.Core.Cases;
using Handoff.Server.Accounts;
using Handoff.Server.Tests.Infrastructure;
using Handoff.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Handoff.Server.Tests.Dashboard.Admin;

/// <summary>The admin pages over real HTTP: the cookie decides, before any page renders.</summary>
public sealed partial class AdminAccessTests
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    public static TheoryData<string> AdminPages => ["/admin/policy", "/admin/people", "/admin/teams", "/admin/keys", "/admin/autonomy", "/admin/audit"];

    [Theory]
    [MemberData(nameof(AdminPages))]
    public async Task Get_Anonymous_RedirectsToSignIn(string path)
    {
        await using var server = await TestServer.StartAsync();
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.Address };

        using var response = await client.GetAsync(path, Ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(DashboardAuth.SignInPath, response.Headers.Location!.AbsolutePath);
        Assert.Contains(Uri.EscapeDataString(path), response.Headers.Location.Query, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(AdminPages))]
    public async Task Get_AsReviewer_RedirectsToDenied(string path)
    {
        await using var server = await TestServer.StartAsync();
        using var client = await SignInAsync(server, UserRole.Reviewer);

        using var response = await client.GetAsync(path, Ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/denied", response.Headers.Location!.AbsolutePath);
    }

    [Fact]
    public async Task Get_AsAdmin_OpensThePage()
    {
        await using var server = await TestServer.StartAsync();
        using var client = await SignInAsync(server, UserRole.Admin);

        using var response = await client.GetAsync("/admin/policy", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task GetOverview_AsReviewer_RedirectsToDenied()
    {
        await using var server = await TestServer.StartAsync();
        using var client = await SignInAsync(server, UserRole.Reviewer);

        using var response = await client.GetAsync("/overview", Ct);

        Assert.Equal("/denied", response.Headers.Location?.AbsolutePath);
    }

    /// <summary>Signs in through the real form, antiforgery token and all; the client keeps the cookies.</summary>
    private static async Task<HttpClient> SignInAsync(TestServer server, UserRole role)
    {
        var workspace = await server.Store.EnsureWorkspaceAsync("default", Actor.Cli("tests"), Ct);
        const string password = "correct horse battery";
        var email = $"{role}@example.com".ToLowerInvariant();
        var (user, problem) = await server.App.Services.GetRequiredService<AccountService>().AddAsync(
            new NewAccount(workspace.Id, email, $"{role} person", role, ["support"], password), Actor.Cli("tests"), first: false, Ct);
        Assert.True(user is not null, problem);

        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = server.Address };
        var form = await client.GetStringAsync(DashboardAuth.SignInPath, Ct);
        var token = AntiforgeryToken().Match(form);
        Assert.True(token.Success, "the sign-in form has no antiforgery token");
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "signin",
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        });
        using var signedIn = await client.PostAsync(DashboardAuth.SignInPath, content, Ct);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        return client;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}

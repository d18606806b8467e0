using System.Net;
using System.Net.Http.Json;
using Handoff.Server.Tests.Infrastructure;

namespace Handoff.Server.Tests.Api;

/// <summary>
/// CORS (<c>Handoff:Cors</c>): off by default; with origins configured, a browser page on one of them may call the
/// API, MCP and the OpenAPI document (preflight answered before any key is checked), and never the dashboard.
/// </summary>
public sealed class CorsTests
{
    private const string Console = "https://console.example.com";

    [Fact]
    public async Task Off_ByDefault_APreflightIsNotAnswered_AndNoAnswerAllowsAnotherOrigin()
    {
        await using var server = await TestServer.StartAsync();

        using var preflight = await PreflightAsync(server, "/v1/cases", Console);
        using var created = await SubmitFromAsync(server, Console);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, preflight.StatusCode);
        Assert.False(preflight.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.False(created.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task AllowedOrigin_PreflightIsAnsweredWithoutAKey_AndTheAnswerLetsThePageReadTheHeadersItNeeds()
    {
        await using var server = await TestServer.StartAsync(null, $"--Handoff:Cors:AllowedOrigins:0={Console}");

        using var preflight = await PreflightAsync(server, "/v1/cases", Console, "authorization,content-type,idempotency-key");
        using var created = await SubmitFromAsync(server, Console);

        Assert.Equal(HttpStatusCode.NoContent, preflight.StatusCode);
        Assert.Equal(Console, Assert.Single(preflight.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.Contains("POST", string.Join(',', preflight.Headers.GetValues("Access-Control-Allow-Methods")), StringComparison.Ordinal);
        var allowed = string.Join(',', preflight.Headers.GetValues("Access-Control-Allow-Headers")).ToLowerInvariant();
        Assert.Contains("authorization", allowed, StringComparison.Ordinal);
        Assert.Contains("idempotency-key", allowed, StringComparison.Ordinal);
        Assert.Equal("600", Assert.Single(preflight.Headers.GetValues("Access-Control-Max-Age")));
        Assert.False(preflight.Headers.Contains("Access-Control-Allow-Credentials"));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(Console, Assert.Single(created.Headers.GetValues("Access-Control-Allow-Origin")));
        var exposed = string.Join(',', created.Headers.GetValues("Access-Control-Expose-Headers"));
        Assert.Contains("Location", exposed, StringComparison.Ordinal);
        Assert.Contains("Idempotent-Replayed", exposed, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/mcp")]
    [InlineData("/openapi/v1.json")]
    [InlineData("/v1/cases/nothing/decision")]
    public async Task AllowedOrigin_CoversMcpAndTheContract(string path)
    {
        await using var server = await TestServer.StartAsync(null, $"--Handoff:Cors:AllowedOrigins:0={Console}");

        using var preflight = await PreflightAsync(server, path, Console);

        Assert.Equal(HttpStatusCode.NoContent, preflight.StatusCode);
        Assert.Equal(Console, Assert.Single(preflight.Headers.GetValues("Access-Control-Allow-Origin")));
    }

    [Fact]
    public async Task AnotherOrigin_AndTheDashboard_GetNoAllowance()
    {
        await using var server = await TestServer.StartAsync(null, $"--Handoff:Cors:AllowedOrigins:0={Console}");

        using var stranger = await PreflightAsync(server, "/v1/cases", "https://evil.example.net");
        using var strangerCall = await SubmitFromAsync(server, "https://evil.example.net");
        using var dashboard = await PreflightAsync(server, "/login", Console);

        Assert.False(stranger.Headers.Contains("Access-Control-Allow-Origin"));
        // The call itself is the server's to answer; the browser keeps its answer from the page.
        Assert.Equal(HttpStatusCode.Created, strangerCall.StatusCode);
        Assert.False(strangerCall.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.False(dashboard.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task AnyOrigin_WhenTheOperatorSaysStar()
    {
        await using var server = await TestServer.StartAsync(null, "--Handoff:Cors:AllowedOrigins:0=*");

        using var preflight = await PreflightAsync(server, "/v1/cases", "http://localhost:5173");

        Assert.Equal(HttpStatusCode.NoContent, preflight.StatusCode);
        Assert.Equal("*", Assert.Single(preflight.Headers.GetValues("Access-Control-Allow-Origin")));
    }

    [Theory]
    [InlineData("console.example.com")]
    [InlineData("https://console.example.com/")]
    [InlineData("https://console.example.com/app")]
    [InlineData("ftp://console.example.com")]
    [InlineData("https://console.example.com:443")]
    [InlineData("https://Console.Example.com")]
    public async Task NotAnOrigin_StopsTheServerFromStarting_NamingTheSetting(string origin)
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => TestServer.StartAsync(null, $"--Handoff:Cors:AllowedOrigins:0={origin}"));

        Assert.Contains("Handoff:Cors:AllowedOrigins:0", error.Message, StringComparison.Ordinal);
        Assert.Contains(origin, error.Message, StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> PreflightAsync(TestServer server, string path, string origin, string headers = "authorization,content-type")
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", headers);
        return await server.Client(null).SendAsync(request, TestContext.Current.CancellationToken);
    }

    private static async Task<HttpResponseMessage> SubmitFromAsync(TestServer server, string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/cases") { Content = JsonContent.Create(TestCases.Auto()) };
        request.Headers.Add("Origin", origin);
        return await server.Client(server.AgentKey).SendAsync(request, TestContext.Current.CancellationToken);
    }
}

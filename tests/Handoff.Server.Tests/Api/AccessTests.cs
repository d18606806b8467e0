using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Handoff.Server.Tests.Infrastructure;

namespace Handoff.Server.Tests.Api;

public sealed class AccessTests
{
    public static TheoryData<string, string> IdEndpoints => new()
    {
        { "GET", "/v1/cases/{id}" },
        { "GET", "/v1/cases/{id}/decision" },
        { "GET", "/v1/cases/{id}/events" },
        { "POST", "/v1/cases/{id}/claim" },
        { "POST", "/v1/cases/{id}/release" },
        { "POST", "/v1/cases/{id}/decision" },
    };

    [Theory]
    [MemberData(nameof(IdEndpoints))]
    public async Task IdEndpoint_WithAnotherWorkspacesKey_AnswersNotFoundAndChangesNothing(string method, string template)
    {
        await using var server = await TestServer.StartAsync();
        var id = await TestCases.SubmitPendingAsync(server.Client(server.AgentKey));

        // The other workspace's admin can do everything in its own workspace, and nothing in this one.
        using var request = new HttpRequestMessage(new HttpMethod(method), template.Replace("{id}", id, StringComparison.Ordinal));
        if (method == "POST")
        {
            request.Content = JsonContent.Create(new { verdict = "approve" });
        }

        using var response = await server.Client(server.OtherAdminKey).SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var unchanged = await server.Client(server.ReviewerKey).GetFromJsonAsync<JsonElement>($"/v1/cases/{id}");
        Assert.Equal("pending", unchanged.GetProperty("status").GetString());
    }

    [Fact]
    public async Task List_OnlyShowsTheCallersWorkspace()
    {
        await using var server = await TestServer.StartAsync();
        await TestCases.SubmitPendingAsync(server.Client(server.AgentKey));

        var page = await server.Client(server.OtherReviewerKey).GetFromJsonAsync<JsonElement>("/v1/cases");

        Assert.Equal(0, page.GetProperty("items").GetArrayLength());
    }

    [Theory]
    [InlineData("agent", "POST", "/v1/cases/{id}/decision", HttpStatusCode.Forbidden)]
    [InlineData("agent", "POST", "/v1/cases/{id}/claim", HttpStatusCode.Forbidden)]
    [InlineData("agent", "POST", "/v1/cases/{id}/transfer", HttpStatusCode.Forbidden)]
    [InlineData("reviewer", "POST", "/v1/cases/{id}/reassign", HttpStatusCode.Forbidden)]
    [InlineData("agent", "GET", "/v1/cases", HttpStatusCode.Forbidden)]
    [InlineData("agent", "GET", "/v1/policy", HttpStatusCode.Forbidden)]
    [InlineData("agent", "GET", "/v1/autonomy", HttpStatusCode.Forbidden)]
    [InlineData("reviewer", "POST", "/v1/cases", HttpStatusCode.Forbidden)]
    [InlineData("reviewer", "PUT", "/v1/policy", HttpStatusCode.Forbidden)]
    [InlineData("reviewer", "PUT", "/v1/autonomy", HttpStatusCode.Forbidden)]
    [InlineData("none", "GET", "/v1/cases/{id}", HttpStatusCode.Unauthorized)]
    [InlineData("bogus", "GET", "/v1/cases/{id}", HttpStatusCode.Unauthorized)]
    [InlineData("none", "POST", "/v1/cases", HttpStatusCode.Unauthorized)]
    public async Task Endpoint_WithoutTheRole_IsRefusedWithProblem(string who, string method, string template, HttpStatusCode expected)
    {
        await using var server = await TestServer.StartAsync();
        var id = await TestCases.SubmitPendingAsync(server.Client(server.AgentKey));
        var key = who switch
        {
            "agent" => server.AgentKey,
            "reviewer" => server.ReviewerKey,
            "bogus" => "hk_not-a-real-key",
            _ => null,
        };

        using var request = new HttpRequestMessage(new HttpMethod(method), template.Replace("{id}", id, StringComparison.Ordinal))
        {
            Content = method == "GET" ? null : JsonContent.Create(new { verdict = "approve", enabled = false }),
        };
        using var response = await server.Client(key).SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()), problem.ToString());
        // A 401 says how to authenticate (RFC 9110, RFC 6750); a 403 is about the key's role, not about a missing one.
        Assert.Equal(expected == HttpStatusCode.Unauthorized ? ["Bearer"] : [], response.Headers.WwwAuthenticate.Select(h => h.ToString()));
    }

    [Fact]
    public async Task OpenApi_DescribesTheCaseEndpoints_AndScalarServesAPage()
    {
        await using var server = await TestServer.StartAsync();
        var anonymous = server.Client(null);

        var document = await anonymous.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        using var scalar = await anonymous.GetAsync("/scalar/");

        Assert.True(document.GetProperty("paths").TryGetProperty("/v1/cases/{id}/decision", out _));
        Assert.Equal("bearer", document.GetProperty("components").GetProperty("securitySchemes").GetProperty("apiKey").GetProperty("scheme").GetString());
        Assert.Equal(HttpStatusCode.OK, scalar.StatusCode);
    }
}

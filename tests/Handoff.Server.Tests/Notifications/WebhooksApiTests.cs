using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Handoff.Server.Notifications;
using Handoff.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Handoff.Server.Tests.Notifications;

public sealed class WebhooksApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // These look at what the outbox holds; the server's own delivery worker would attempt it meanwhile.
    private static void NotSent(HandoffServerOptions o) => o.Notifications.Deliver = false;

    [Fact]
    public async Task PostWebhook_ShowsTheSecretOnce_ThenListsAndReadsItWithout_AndOnlyForAdminsOfItsWorkspace()
    {
        await using var server = await TestServer.StartAsync();
        var admin = server.Client(server.AdminKey);

        using var created = await admin.PostAsJsonAsync("/v1/webhooks",
            new { url = "https://hooks.example.com/handoff", eventTypes = new[] { "case.escalated", "case.decided" }, description = "Ops" }, Ct);
        var endpoint = await created.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var id = endpoint.GetProperty("id").GetString()!;

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/v1/webhooks/{id}", created.Headers.Location?.OriginalString);
        Assert.StartsWith("whsec_", endpoint.GetProperty("secret").GetString(), StringComparison.Ordinal);
        var read = await admin.GetFromJsonAsync<JsonElement>($"/v1/webhooks/{id}", Ct);
        Assert.False(read.TryGetProperty("secret", out _));
        Assert.Equal((true, "Ops"), (read.GetProperty("enabled").GetBoolean(), read.GetProperty("description").GetString()));
        Assert.Equal(id, Assert.Single((await admin.GetFromJsonAsync<JsonElement>("/v1/webhooks", Ct)).EnumerateArray()).GetProperty("id").GetString());
        var secrets = await admin.GetFromJsonAsync<JsonElement>($"/v1/webhooks/{id}/secret", Ct);
        Assert.Equal(endpoint.GetProperty("secret").GetString(), Assert.Single(secrets.GetProperty("secrets").EnumerateArray()).GetProperty("secret").GetString());

        using var asReviewer = await server.Client(server.ReviewerKey).GetAsync("/v1/webhooks", Ct);
        Assert.Equal(HttpStatusCode.Forbidden, asReviewer.StatusCode);
        var other = server.Client(server.OtherAdminKey);
        foreach (var (method, path) in new[] { ("GET", ""), ("GET", "/secret"), ("PATCH", ""), ("DELETE", ""), ("POST", "/rotate") })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), $"/v1/webhooks/{id}{path}");
            if (method is "PATCH" or "POST")
            {
                request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
            }

            using var response = await other.SendAsync(request, Ct);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {path}: {response.StatusCode}");
        }

        Assert.Empty((await other.GetFromJsonAsync<JsonElement>("/v1/webhooks", Ct)).EnumerateArray());
    }

    [Theory]
    [InlineData("""{"eventTypes":["case.decided"]}""", "url")]
    [InlineData("""{"url":"/relative","eventTypes":["case.decided"]}""", "url")]
    [InlineData("""{"url":"ftp://example.com/x","eventTypes":["case.decided"]}""", "url")]
    [InlineData("""{"url":"https://user:pw@example.com/x","eventTypes":["case.decided"]}""", "url")]
    [InlineData("""{"url":"https://example.com/x"}""", "eventTypes")]
    [InlineData("""{"url":"https://example.com/x","eventTypes":[]}""", "eventTypes")]
    [InlineData("""{"url":"https://example.com/x","eventTypes":["case.decided","case.exploded"]}""", "eventTypes[1]")]
    [InlineData("""{"url":"https://example.com/x","eventTypes":["case.decided"],"secret":"mine"}""", "secret")]
    [InlineData("""{"url":42,"eventTypes":["case.decided"]}""", "url")]
    public async Task PostWebhook_WithBadInput_IsAProblemNamingTheField(string body, string field)
    {
        await using var server = await TestServer.StartAsync();

        using var response = await server.Client(server.AdminKey).PostAsync("/v1/webhooks", new StringContent(body, Encoding.UTF8, "application/json"), Ct);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Empty((await server.Client(server.AdminKey).GetFromJsonAsync<JsonElement>("/v1/webhooks", Ct)).EnumerateArray());
    }

    [Fact]
    public async Task Rotate_SignsWithBothSecretsDuringTheOverlap_ThenWithTheNewOneAlone()
    {
        await using var server = await TestServer.StartAsync();
        var admin = server.Client(server.AdminKey);
        var id = await AddEndpointAsync(admin, "case.decided");

        using var rotated = await admin.PostAsJsonAsync($"/v1/webhooks/{id}/rotate", new { overlapSeconds = 3600 }, Ct);
        var during = (await rotated.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("secrets").EnumerateArray().ToList();
        server.Time.Advance(TimeSpan.FromHours(1));
        var after = (await admin.GetFromJsonAsync<JsonElement>($"/v1/webhooks/{id}/secret", Ct)).GetProperty("secrets").EnumerateArray().ToList();
        using var bad = await admin.PostAsJsonAsync($"/v1/webhooks/{id}/rotate", new { overlapSeconds = -1 }, Ct);

        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        Assert.Equal(2, during.Count);
        Assert.Equal(server.Time.GetUtcNow(), during[1].GetProperty("expiresAt").GetDateTimeOffset());
        Assert.Equal(during[0].GetProperty("secret").GetString(), Assert.Single(after).GetProperty("secret").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task Dispatch_ACaseForAPerson_EnqueuesItsEventsForEverySubscribedEndpoint_WithTheCaseAndItsAuditEntry()
    {
        await using var server = await TestServer.StartAsync(NotSent);
        var admin = server.Client(server.AdminKey);
        var both = await AddEndpointAsync(admin, "case.created", "case.escalated");
        var decided = await AddEndpointAsync(admin, "case.decided");
        var caseId = await TestCases.SubmitPendingAsync(server.Client(server.AgentKey));
        await TestCases.SubmitAsync(server.Client(server.AgentKey), TestCases.Auto());

        await DispatchAllAsync(server);

        var page = await admin.GetFromJsonAsync<JsonElement>($"/v1/deliveries?channel=webhook&target={both}", Ct);
        var items = page.GetProperty("items").EnumerateArray().ToList();
        // The auto-approved case is news only to an endpoint that asked for case.created: this one did.
        Assert.Equal(["case.created", "case.created", "case.escalated"], items.Select(i => i.GetProperty("eventType").GetString()).Order());
        Assert.Empty((await admin.GetFromJsonAsync<JsonElement>($"/v1/deliveries?target={decided}", Ct)).GetProperty("items").EnumerateArray());

        var escalated = items.Single(i => i.GetProperty("eventType").GetString() == "case.escalated");
        Assert.Equal((caseId, "pending"), (escalated.GetProperty("caseId").GetString(), escalated.GetProperty("status").GetString()));
        var full = await admin.GetFromJsonAsync<JsonElement>($"/v1/deliveries/{escalated.GetProperty("id").GetString()}", Ct);
        using var body = JsonDocument.Parse(full.GetProperty("body").GetString()!);
        var data = body.RootElement.GetProperty("data");
        Assert.Equal("case.escalated", body.RootElement.GetProperty("type").GetString());
        Assert.Equal(caseId, data.GetProperty("case").GetProperty("id").GetString());
        Assert.Equal("case.created", data.GetProperty("audit").GetProperty("action").GetString());
        var sequence = data.GetProperty("audit").GetProperty("sequence").GetInt64();
        Assert.Equal($"evt_{sequence}_1", escalated.GetProperty("eventId").GetString());
        Assert.Empty(full.GetProperty("attemptLog").EnumerateArray());
    }

    [Fact]
    public async Task Dispatch_ADecisionOnACaseWithACallbackUrl_EnqueuesItForThatUrl()
    {
        await using var server = await TestServer.StartAsync(NotSent);
        var body = TestCases.HighValue();
        body["callbackUrl"] = "https://agent.example.com/decided?case=1";
        var caseId = await TestCases.SubmitPendingAsync(server.Client(server.AgentKey), body);
        using var decided = await TestCases.DecideAsync(server.Client(server.ReviewerKey), caseId, new { verdict = "approve" });

        await DispatchAllAsync(server);

        var item = Assert.Single((await server.Client(server.AdminKey).GetFromJsonAsync<JsonElement>("/v1/deliveries?channel=callback", Ct))
            .GetProperty("items").EnumerateArray());
        Assert.Equal(("case.decided", "https://agent.example.com/decided?case=1", caseId),
            (item.GetProperty("eventType").GetString(), item.GetProperty("target").GetString(), item.GetProperty("caseId").GetString()));
        var read = await server.Client(server.AgentKey).GetFromJsonAsync<JsonElement>($"/v1/cases/{caseId}", Ct);
        Assert.Equal("https://agent.example.com/decided?case=1", read.GetProperty("callbackUrl").GetString());
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("mailto:ops@example.com")]
    [InlineData("https://user:secret@example.com/hook")]
    public async Task Submit_WithABadCallbackUrl_IsAProblemNamingIt(string url)
    {
        await using var server = await TestServer.StartAsync();
        var body = TestCases.HighValue();
        body["callbackUrl"] = url;

        var problem = await TestCases.SubmitAsync(server.Client(server.AgentKey), body, HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty("callbackUrl", out _), problem.ToString());
    }

    [Theory]
    [InlineData("?status=lost", "status")]
    [InlineData("?channel=pigeon", "channel")]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=ten", "limit")]
    public async Task ListDeliveries_WithABadFilter_IsAProblemNamingIt(string query, string field)
    {
        await using var server = await TestServer.StartAsync();

        using var response = await server.Client(server.AdminKey).GetAsync($"/v1/deliveries{query}", Ct);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task Deliveries_OfAnotherWorkspace_AreNotFound_AndOnlyFailedOnesReplay()
    {
        await using var server = await TestServer.StartAsync(NotSent);
        var admin = server.Client(server.AdminKey);
        await AddEndpointAsync(admin, "case.escalated");
        await TestCases.SubmitPendingAsync(server.Client(server.AgentKey));
        await DispatchAllAsync(server);
        var id = Assert.Single((await admin.GetFromJsonAsync<JsonElement>("/v1/deliveries", Ct)).GetProperty("items").EnumerateArray()).GetProperty("id").GetString();

        using var elsewhere = await server.Client(server.OtherAdminKey).GetAsync($"/v1/deliveries/{id}", Ct);
        using var elsewhereReplay = await server.Client(server.OtherAdminKey).PostAsync($"/v1/deliveries/{id}/replay", null, Ct);
        using var notFailed = await admin.PostAsync($"/v1/deliveries/{id}/replay", null, Ct);

        Assert.Equal(HttpStatusCode.NotFound, elsewhere.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, elsewhereReplay.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, notFailed.StatusCode);
        Assert.Empty((await server.Client(server.OtherAdminKey).GetFromJsonAsync<JsonElement>("/v1/deliveries", Ct)).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task CallbackSecret_AskedForAtOnce_IsMadeOnce()
    {
        await using var server = await TestServer.StartAsync();
        var admin = server.Client(server.AdminKey);

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => admin.GetFromJsonAsync<JsonElement>("/v1/callbacks/secret", Ct)));

        var secrets = answers.Select(a => Assert.Single(a.GetProperty("secrets").EnumerateArray()).GetProperty("secret").GetString()).Distinct().ToList();
        Assert.StartsWith("whsec_", Assert.Single(secrets), StringComparison.Ordinal);
    }

    internal static async Task<string> AddEndpointAsync(HttpClient admin, params string[] eventTypes)
    {
        using var created = await admin.PostAsJsonAsync("/v1/webhooks", new { url = "https://hooks.example.com/handoff", eventTypes }, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString()!;
    }

    /// <summary>Dispatches until the log is read to its end (the server's own dispatcher runs too; whichever gets there first wins).</summary>
    internal static async Task DispatchAllAsync(TestServer server)
    {
        var dispatcher = server.App.Services.GetServices<IHostedService>().OfType<OutboxDispatcher>().Single();
        while (await dispatcher.DispatchOnceAsync(Ct) > 0)
        {
        }
    }
}

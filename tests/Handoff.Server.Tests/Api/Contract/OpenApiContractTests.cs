using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Handoff.Core.Cases;
using Handoff.Server.Tests.Infrastructure;
using Handoff.Storage;

namespace Handoff.Server.Tests.Api.Contract;

/// <summary>
/// The OpenAPI document is the contract clients generate code from (clients/typescript does): it must be the one in
/// the repository (docs/openapi.json), and every endpoint's real answers must be what it says.
/// </summary>
public sealed class OpenApiContractTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheServedContract_IsTheOneInTheRepository()
    {
        await using var server = await TestServer.StartAsync();
        var served = Normalized(await server.Client(null).GetStringAsync("/openapi/v1.json", Ct));
        var path = Path.Combine(RepositoryRoot(), "docs", "openapi.json");

        // HANDOFF_WRITE_CONTRACT=1 writes the served document into the repository (after changing the API on purpose).
        if (Environment.GetEnvironmentVariable("HANDOFF_WRITE_CONTRACT") == "1")
        {
            await File.WriteAllTextAsync(path, served, Ct);
        }

        Assert.True(File.Exists(path), $"{path} is missing; run this test with HANDOFF_WRITE_CONTRACT=1 to write it");
        Assert.True(served == await File.ReadAllTextAsync(path, Ct),
            "The server's OpenAPI document differs from docs/openapi.json: the API changed. If on purpose, run this test with "
            + "HANDOFF_WRITE_CONTRACT=1 to update the file, then regenerate clients/typescript (npm run generate).");
    }

    [Fact]
    public async Task EveryOperation_HasAnId_ATag_AndItsErrors()
    {
        await using var server = await TestServer.StartAsync();
        var document = JsonNode.Parse(await server.Client(null).GetStringAsync("/openapi/v1.json", Ct))!;

        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                var name = $"{method.ToUpperInvariant()} {path}";
                var responses = operation!["responses"]!.AsObject();
                Assert.False(string.IsNullOrEmpty((string?)operation["operationId"]), $"{name} has no operationId");
                Assert.Single(operation["tags"]!.AsArray());
                Assert.NotNull(responses["503"]);
                foreach (var (code, response) in responses.Where(r => r.Key[0] is '4' or '5'))
                {
                    Assert.Equal("#/components/schemas/Problem", (string?)response!["content"]?["application/problem+json"]?["schema"]?["$ref"]);
                }

                if (path.Contains('{', StringComparison.Ordinal))
                {
                    Assert.True(responses["404"] is not null, $"{name} does not say 404");
                }
            }
        }
    }

    /// <summary>
    /// Calls every operation the document lists, the way a client would (successes and the usual mistakes), through a
    /// handler that checks each answer against the document: status, media type, and body against its schema.
    /// </summary>
    [Fact]
    public async Task EveryEndpoint_AnswersAsTheContractSays()
    {
        await using var server = await TestServer.StartAsync(o => o.Notifications.Deliver = false, "--Handoff:Webhooks:AllowedNetworks:0=127.0.0.0/8");
        var contract = OpenApiContract.Parse(await server.Client(null).GetStringAsync("/openapi/v1.json", Ct));
        var agent = Client(server, contract, server.AgentKey);
        var reviewer = Client(server, contract, server.ReviewerKey);
        var admin = Client(server, contract, server.AdminKey);
        var anonymous = Client(server, contract, null);
        var workspace = await server.Store.EnsureWorkspaceAsync("default", Actor.Cli("t"), Ct);
        var ada = (await server.Store.AddUserAsync(new NewUser(workspace.Id, "ada@example.com", "Ada", UserRole.Reviewer, [], "hash"), Actor.Cli("t"), Ct))!;

        // Teams and people first: cases route to them.
        await Call(admin.PostAsync("/v1/teams", Json("""{"name":"billing","mode":"pull"}"""), Ct));
        await Call(admin.PostAsync("/v1/teams", Json("""{"name":"billing"}"""), Ct));                 // 409
        await Call(admin.PostAsync("/v1/teams", Json("""{"name":"Bad Name"}"""), Ct));               // 400
        await Call(reviewer.GetAsync("/v1/teams", Ct));
        await Call(reviewer.GetAsync("/v1/teams/billing", Ct));
        await Call(reviewer.GetAsync("/v1/teams/nowhere", Ct));                                      // 404
        await Call(admin.PutAsync("/v1/teams/billing", Json("""{"mode":"pull","acceptTimeout":"45s","workingHours":{"timeZone":"Europe/Berlin","week":[{"day":"monday","opens":"09:00","closes":"17:00"}],"closures":["2026-12-25"]}}"""), Ct));
        await Call(reviewer.GetAsync("/v1/routing/settings", Ct));
        await Call(admin.PutAsync("/v1/routing/settings", Json("""{"queuedWeight":2,"liveWeight":5,"awayAfter":"2m"}"""), Ct));
        await Call(reviewer.GetAsync("/v1/people", Ct));
        await Call(reviewer.GetAsync($"/v1/people/{ada.Id}", Ct));
        await Call(admin.PatchAsync($"/v1/people/{ada.Id}", Json("""{"skills":["refunds"],"languages":["en"],"capacity":3,"teams":["billing"]}"""), Ct));
        await Call(admin.PatchAsync($"/v1/people/{ada.Id}", Json("""{"capacity":"3"}"""), Ct));     // 400: a number is a number
        await Call(admin.PutAsync($"/v1/people/{ada.Id}/presence", Json("""{"presence":"online"}"""), Ct));
        await Call(admin.GetAsync($"/v1/people/{ada.Id}/notifications", Ct));
        await Call(admin.PutAsync($"/v1/people/{ada.Id}/notifications", Json("""{"email":true,"timeZone":"Europe/Berlin","quietHours":{"from":"20:00","to":"07:00"},"digest":true,"digestAt":"08:00"}"""), Ct));

        // A case's life: submitted, waited on, claimed, decided, carried out.
        var request = """{"kind":"action","summary":"Refund a damaged kettle","channel":"chat","subject":{"customerId":"c_1","language":"en"},"facts":{"amount":1450},"conversation":[{"role":"customer","text":"It arrived broken."}],"proposal":{"text":"Refunded.","action":{"name":"issue_refund","arguments":{"amount":1450}},"confidence":0.2},"options":[{"text":"Offer a replacement."}],"expiresIn":"1h","onTimeout":"reject"}""";
        var submitted = await Call(agent.SendAsync(Post("/v1/cases", request, ("Idempotency-Key", "contract-1")), Ct));
        var id = (await submitted.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString()!;
        await Call(agent.SendAsync(Post("/v1/cases", request, ("Idempotency-Key", "contract-1")), Ct));                     // 200 replay
        await Call(agent.SendAsync(Post("/v1/cases", """{"kind":"reply"}""", ("Idempotency-Key", "contract-1")), Ct));      // 422
        await Call(agent.PostAsync("/v1/cases", Json("""{"kind":"poem"}"""), Ct));                                          // 400
        await Call(agent.PostAsync("/v1/cases", new StringContent("kind=action", Encoding.UTF8, "text/plain"), Ct));          // 415
        await Call(anonymous.PostAsync("/v1/cases", Json(request), Ct));                                                     // 401
        await Call(agent.GetAsync("/v1/cases", Ct));                                                                         // 403
        await Call(reviewer.GetAsync("/v1/cases?status=pending&limit=10", Ct));
        await Call(reviewer.GetAsync("/v1/cases?limit=0", Ct));                                                              // 400
        await Call(agent.GetAsync($"/v1/cases/{id}", Ct));
        await Call(agent.GetAsync("/v1/cases/case_nothing", Ct));                                                            // 404
        await Call(agent.GetAsync($"/v1/cases/{id}/decision?wait=0", Ct));                                                  // 202
        await Call(reviewer.GetAsync($"/v1/cases/{id}/precedents?count=3", Ct));
        await Call(agent.GetAsync($"/v1/cases/{id}/proof", Ct));
        await Call(agent.GetAsync($"/v1/cases/{id}/proof?size=0", Ct));                                                     // 400
        await Call(agent.GetAsync("/v1/cases/case_nothing/proof", Ct));                                                     // 404
        await Call(reviewer.PostAsync($"/v1/cases/{id}/claim", null, Ct));
        await Call(Client(server, contract, server.SecondReviewerKey).PostAsync($"/v1/cases/{id}/claim", null, Ct));         // 409
        await Call(reviewer.PostAsync($"/v1/cases/{id}/release", null, Ct));
        await Call(admin.PostAsync($"/v1/cases/{id}/reassign", Json($$"""{"to":"{{ada.Id}}","note":"yours"}"""), Ct));
        await Call(admin.PostAsync($"/v1/cases/{id}/transfer", Json("""{"toTeam":"billing"}"""), Ct));
        await Call(reviewer.PostAsync("/v1/cases/next", Json($$"""{"person":"{{ada.Id}}"}"""), Ct));
        await Call(reviewer.PostAsync($"/v1/cases/{id}/takeover", null, Ct));
        await Call(reviewer.PostAsync($"/v1/cases/{id}/messages", Json("""{"role":"person","text":"Hello, I am looking at it."}"""), Ct));
        await Call(agent.GetAsync($"/v1/cases/{id}/messages?after=0&wait=0", Ct));
        await Call(reviewer.PostAsync($"/v1/cases/{id}/handback", Json("""{"note":"Refund it."}"""), Ct));

        var second = await Call(agent.PostAsync("/v1/cases", Json(request.Replace("damaged kettle", "broken toaster", StringComparison.Ordinal)), Ct));
        var secondId = (await second.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString()!;
        await Call(reviewer.PostAsync($"/v1/cases/{secondId}/decision", Json("""{"verdict":"edit","arguments":{"amount":1000},"note":"Partial."}"""), Ct));
        await Call(reviewer.PostAsync($"/v1/cases/{secondId}/decision", Json("""{"verdict":"approve"}"""), Ct));                // 409
        var decision = await Call(agent.GetAsync($"/v1/cases/{secondId}/decision?wait=0", Ct));
        var resultDigest = (await decision.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("decision").GetProperty("resultDigest").GetString();
        await Call(agent.PostAsync($"/v1/cases/{secondId}/receipt", Json($$"""{"outcome":"executed","resultDigest":"{{resultDigest}}"}"""), Ct));
        await Call(agent.PostAsync($"/v1/cases/{secondId}/receipt", Json("""{"outcome":"failed","reason":"again"}"""), Ct));   // 409
        await Call(reviewer.PostAsync($"/v1/cases/{secondId}/qa", Json("""{"agreed":true}"""), Ct));

        using (var events = await agent.GetAsync($"/v1/cases/{secondId}/events", HttpCompletionOption.ResponseHeadersRead, Ct))
        {
            Assert.Contains("event: end", await events.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        var replay = new HttpRequestMessage(HttpMethod.Get, $"/v1/cases/{secondId}/events");
        replay.Headers.Add("Last-Event-ID", "999999");
        await Call(agent.SendAsync(replay, Ct));                                                                             // 204
        using (var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct))
        {
            using var stream = await agent.GetAsync("/v1/events", HttpCompletionOption.ResponseHeadersRead, cancel.Token);
            await cancel.CancelAsync();
        }

        await Call(agent.GetAsync("/v1/events?after=nope", Ct));                                                            // 400

        // Policy, autonomy, learning.
        var policy = await Call(reviewer.GetAsync("/v1/policy", Ct));
        var source = (await policy.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("source").GetString()!;
        await Call(reviewer.GetAsync("/v1/policy?version=99", Ct));                                                          // 404
        await Call(admin.PutAsync("/v1/policy", new StringContent(source, Encoding.UTF8, "application/yaml"), Ct));
        await Call(admin.PutAsync("/v1/policy", new StringContent("rules: [", Encoding.UTF8, "application/yaml"), Ct));     // 422
        await Call(admin.PostAsync("/v1/policy/simulate?since=30d", new StringContent(source, Encoding.UTF8, "application/yaml"), Ct));
        await Call(reviewer.GetAsync("/v1/autonomy", Ct));
        await Call(admin.PutAsync("/v1/autonomy", Json("""{"enabled":false,"reason":"incident"}"""), Ct));
        await Call(admin.PutAsync("/v1/autonomy", Json("""{"enabled":true}"""), Ct));
        await Call(reviewer.GetAsync("/v1/learning/agreement?by=rule&since=30d", Ct));
        await Call(reviewer.GetAsync("/v1/learning/recommendations", Ct));
        await Call(admin.PostAsync("/v1/learning/recommendations/apply", Json("""{"id":"auto:nothing"}"""), Ct));
        await Call(reviewer.GetAsync("/v1/learning/gate", Ct));
        await Call(admin.PostAsync("/v1/learning/gate", Json("""{"stopped":true,"reason":"contract test"}"""), Ct));
        await Call(admin.PostAsync("/v1/learning/gate/train", null, Ct));
        await Call(reviewer.GetAsync("/v1/learning/qa?limit=5", Ct));

        // Webhooks, deliveries, notifications, integrations.
        var webhook = await Call(admin.PostAsync("/v1/webhooks", Json("""{"url":"http://127.0.0.1:9/hook","eventTypes":["case.decided"],"description":"contract"}"""), Ct));
        var webhookId = (await webhook.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString()!;
        await Call(admin.GetAsync("/v1/webhooks", Ct));
        await Call(admin.GetAsync($"/v1/webhooks/{webhookId}", Ct));
        await Call(admin.PatchAsync($"/v1/webhooks/{webhookId}", Json("""{"enabled":false}"""), Ct));
        await Call(admin.GetAsync($"/v1/webhooks/{webhookId}/secret", Ct));
        await Call(admin.PostAsync($"/v1/webhooks/{webhookId}/rotate", Json("""{"overlapSeconds":60}"""), Ct));
        await Call(admin.GetAsync("/v1/callbacks/secret", Ct));
        await Call(admin.PostAsync("/v1/callbacks/secret/rotate", Json("""{}"""), Ct));
        var deliveries = await Call(admin.GetAsync("/v1/deliveries?limit=5", Ct));
        var deliveryId = (await deliveries.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("items").EnumerateArray().Select(d => d.GetProperty("id").GetString()).FirstOrDefault() ?? "dlv_nothing";
        await Call(admin.GetAsync($"/v1/deliveries/{deliveryId}", Ct));
        await Call(admin.PostAsync($"/v1/deliveries/{deliveryId}/replay", null, Ct));
        await Call(admin.PostAsync("/v1/deliveries/replay", Json("""{"channel":"webhook"}"""), Ct));
        await Call(admin.DeleteAsync($"/v1/webhooks/{webhookId}", Ct));
        await Call(admin.GetAsync("/v1/notifications/rules", Ct));
        await Call(admin.PutAsync("/v1/notifications/rules", Json("""{"rules":[{"event":"case.escalated","to":"admins","channels":["email"]}]}"""), Ct));
        await Call(admin.DeleteAsync("/v1/notifications/rules", Ct));
        await Call(admin.PutAsync("/v1/integrations/slack", Json("""{"incomingWebhookUrl":"https://hooks.slack.com/services/T000/B000/XXXX"}"""), Ct));
        await Call(admin.GetAsync("/v1/integrations/slack", Ct));
        await Call(admin.DeleteAsync("/v1/integrations/slack", Ct));
        await Call(anonymous.PostAsync($"/v1/integrations/slack/{workspace.Id}/interactions", new FormUrlEncodedContent([new("payload", "{}")]), Ct)); // 401
        await Call(admin.PutAsync("/v1/integrations/teams", Json("""{"webhookUrl":"https://prod-01.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?sig=x"}"""), Ct));
        await Call(admin.GetAsync("/v1/integrations/teams", Ct));
        await Call(admin.DeleteAsync("/v1/integrations/teams", Ct));
        await Call(admin.DeleteAsync("/v1/teams/billing", Ct));

        Assert.True(contract.Failures.Count == 0, string.Join("\n", contract.Failures));
        Assert.Empty(contract.OperationIds.Except(contract.Called).Order());
    }

    private static async Task<HttpResponseMessage> Call(Task<HttpResponseMessage> call) => await call;

    private static HttpClient Client(TestServer server, OpenApiContract contract, string? key)
    {
        var client = new HttpClient(new ContractCheckingHandler(contract)) { BaseAddress = server.Address };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    private static HttpRequestMessage Post(string path, string json, (string Name, string Value) header)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, path) { Content = Json(json) };
        message.Headers.Add(header.Name, header.Value);
        return message;
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>The document as committed: indented, with a final line break.</summary>
    private static string Normalized(string json) =>
        JsonNode.Parse(json)!.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";

    private static string RepositoryRoot()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Handoff.slnx")))
        {
            root = root.Parent;
        }

        return root?.FullName ?? throw new InvalidOperationException("The repository root (Handoff.slnx) is not above " + AppContext.BaseDirectory);
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Handoff.Core.Policy;
using Handoff.Server.Learning;
using Handoff.Server.Tests.Infrastructure;
using Handoff.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Handoff.Server.Tests.Learning;

/// <summary>
/// The learned gate end to end over HTTP: people decide low-confidence cases, the gate learns and certifies a
/// threshold, approves what people approve, shows itself to reviewers in advise mode, sends its approvals to QA, and
/// stops itself when QA breaks its bound.
/// </summary>
public sealed class GateTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // Learnable: low confidence. maxError 10 % at 90 %: 22 clean calibration cases certify a threshold.
    private static string Policy(string mode, double qaSample = 1) =>
        BuiltInPolicy.Yaml + $"learning: {{ mode: {mode}, maxError: 0.1, confidence: 0.9, minDecisions: 60, qaSample: {qaSample} }}\n";

    // People approve the agent's order-status answers and reject its refund promises.
    private static JsonObject Status(int i) => TestCases.Parse($$"""
        {"kind":"reply","summary":"Where is order {{i}}","subject":{"id":"c{{i}}"},"facts":{"intent":"order_status"},
         "conversation":[{"role":"customer","text":"Where is my order {{i}}? It has not arrived."}],
         "proposal":{"text":"Order {{i}} shipped yesterday and arrives on Friday.","confidence":0.5} }
        """);

    private static JsonObject Refund(int i) => TestCases.Parse($$"""
        {"kind":"reply","summary":"Money back for order {{i}}","subject":{"id":"c{{i}}"},"facts":{"intent":"refund"},
         "conversation":[{"role":"customer","text":"I want my money back for order {{i}}."}],
         "proposal":{"text":"A full refund for order {{i}} is on its way.","confidence":0.5} }
        """);

    [Fact]
    public async Task Auto_LearnsFromPeople_ApprovesWhatTheyApprove_AndSendsItsApprovalsToQa()
    {
        await using var server = await TestServer.StartAsync(o => o.Learning.TrainInterval = TimeSpan.Zero);
        var (agent, reviewer, admin) = (server.Client(server.AgentKey), server.Client(server.ReviewerKey), server.Client(server.AdminKey));
        await PublishAsync(admin, Policy("auto"));
        var gate = server.App.Services.GetRequiredService<GateService>();
        var workspace = await WorkspaceAsync(server);

        var before = await reviewer.GetFromJsonAsync<JsonElement>("/v1/learning/gate", Ct);
        Assert.Contains("not trained yet", before.GetProperty("status").GetString(), StringComparison.Ordinal);
        await DecideManyAsync(agent, reviewer, 10);
        await gate.TrainAsync(workspace, Ct);
        var tooFew = await reviewer.GetFromJsonAsync<JsonElement>("/v1/learning/gate", Ct);
        Assert.StartsWith("too few decisions to learn from: 20 of the 60", tooFew.GetProperty("status").GetString(), StringComparison.Ordinal);
        Assert.False(tooFew.GetProperty("acting").GetBoolean());

        await DecideManyAsync(agent, reviewer, 60, from: 10);
        await gate.TrainAsync(workspace, Ct);
        var trained = await reviewer.GetFromJsonAsync<JsonElement>("/v1/learning/gate", Ct);

        Assert.True(trained.GetProperty("acting").GetBoolean(), trained.GetProperty("status").GetString());
        Assert.StartsWith("certified:", trained.GetProperty("status").GetString(), StringComparison.Ordinal);
        Assert.Equal(140, trained.GetProperty("decisions").GetInt32());
        var approved = await TestCases.SubmitAsync(agent, Status(1000));
        var held = await TestCases.SubmitAsync(agent, Refund(1000));
        Assert.Equal("approved", approved.GetProperty("status").GetString());
        Assert.Equal(("auto", true), (approved.GetProperty("outcome").GetString(), approved.GetProperty("learned").GetProperty("approved").GetBoolean()));
        var reason = approved.GetProperty("reasons").EnumerateArray().Last();
        Assert.Equal("learned", reason.GetProperty("rule").GetString());
        Assert.StartsWith("learned: similar cases approved", reason.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("learned-gate-v", approved.GetProperty("decision").GetProperty("decidedBy").GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("pending", held.GetProperty("status").GetString());
        Assert.False(held.GetProperty("learned").GetProperty("approved").GetBoolean());
        Assert.True(held.GetProperty("learned").GetProperty("score").GetDouble() < approved.GetProperty("learned").GetProperty("score").GetDouble());

        var qa = await reviewer.GetFromJsonAsync<JsonElement>("/v1/learning/qa", Ct);
        var item = Assert.Single(qa.GetProperty("cases").EnumerateArray());
        Assert.Equal((approved.GetProperty("id").GetString(), "learned"), (item.GetProperty("caseId").GetString(), item.GetProperty("approvedBy").GetString()));
    }

    [Fact]
    public async Task Qa_ThatBreaksTheBound_StopsTheGate_AuditsIt_AndAnAdminCanResumeIt()
    {
        await using var server = await TestServer.StartAsync(o => o.Learning.TrainInterval = TimeSpan.Zero);
        var (agent, reviewer, admin) = (server.Client(server.AgentKey), server.Client(server.ReviewerKey), server.Client(server.AdminKey));
        await PublishAsync(admin, Policy("auto"));
        await DecideManyAsync(agent, reviewer, 70);
        var workspace = await WorkspaceAsync(server);
        await server.App.Services.GetRequiredService<GateService>().TrainAsync(workspace, Ct);

        // The world changed: what people approved before is now wrong, and QA says so.
        var stopped = false;
        for (var i = 0; i < 30 && !stopped; i++)
        {
            var approved = await TestCases.SubmitAsync(agent, Status(2000 + i));
            Assert.Equal("approved", approved.GetProperty("status").GetString());
            using var check = await reviewer.PostAsJsonAsync($"/v1/cases/{approved.GetProperty("id").GetString()}/qa", new { agreed = false, note = "Stock ran out." }, Ct);
            Assert.Equal(HttpStatusCode.OK, check.StatusCode);
            stopped = (await reviewer.GetFromJsonAsync<JsonElement>("/v1/learning/gate", Ct)).GetProperty("stopped").GetBoolean();
        }

        Assert.True(stopped, "the gate never stopped");
        var view = await reviewer.GetFromJsonAsync<JsonElement>("/v1/learning/gate", Ct);
        Assert.False(view.GetProperty("acting").GetBoolean());
        Assert.True(view.GetProperty("live").GetProperty("broken").GetBoolean());
        Assert.StartsWith("QA found", view.GetProperty("stopReason").GetString(), StringComparison.Ordinal);
        Assert.Equal("pending", (await TestCases.SubmitAsync(agent, Status(3000))).GetProperty("status").GetString());
        var store = server.App.Services.GetRequiredService<IHandoffStore>();
        var audit = await store.SearchAuditAsync(workspace, new AuditQuery { Text = "learned gate stopped" }, Ct);
        Assert.Contains(audit, static e => e.Data.Contains("learned gate stopped: QA found", StringComparison.Ordinal));

        using var byReviewer = await reviewer.PostAsJsonAsync("/v1/learning/gate", new { stopped = false }, Ct);
        using var resumed = await admin.PostAsJsonAsync("/v1/learning/gate", new { stopped = false }, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, byReviewer.StatusCode);
        Assert.Equal(HttpStatusCode.OK, resumed.StatusCode);
        Assert.True((await resumed.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("acting").GetBoolean());
    }

    [Fact]
    public async Task Advise_OnlyShowsThePrediction_EveryCaseStillGoesToAPerson()
    {
        await using var server = await TestServer.StartAsync(o => o.Learning.TrainInterval = TimeSpan.Zero);
        var (agent, reviewer, admin) = (server.Client(server.AgentKey), server.Client(server.ReviewerKey), server.Client(server.AdminKey));
        // A guard against a hang, not a speed check: training in the request has taken over 30 s while every test
        // project shares the CI machine's two cores (as in the browser tests' TestWorkspace).
        admin.Timeout = TimeSpan.FromSeconds(150);
        await PublishAsync(admin, Policy("advise"));
        await DecideManyAsync(agent, reviewer, 70);
        using (var byReviewer = await reviewer.PostAsync("/v1/learning/gate/train", null, Ct))
        {
            Assert.Equal(HttpStatusCode.Forbidden, byReviewer.StatusCode);
        }

        using (var trained = await admin.PostAsync("/v1/learning/gate/train", null, Ct))
        {
            Assert.StartsWith("certified:", (await trained.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("status").GetString(), StringComparison.Ordinal);
        }

        var status = await TestCases.SubmitAsync(agent, Status(5000));
        var view = await reviewer.GetFromJsonAsync<JsonElement>("/v1/learning/gate", Ct);

        Assert.Equal("pending", status.GetProperty("status").GetString());
        var learned = status.GetProperty("learned");
        Assert.False(learned.GetProperty("approved").GetBoolean());
        Assert.True(learned.GetProperty("sample").GetBoolean());
        Assert.True(learned.GetProperty("score").GetDouble() >= learned.GetProperty("threshold").GetDouble());
        Assert.False(view.GetProperty("acting").GetBoolean());
        Assert.Empty((await reviewer.GetFromJsonAsync<JsonElement>("/v1/learning/qa", Ct)).GetProperty("cases").EnumerateArray());
    }

    [Fact]
    public async Task TheStopSwitch_TurnsTheGateOffWithEverythingElse()
    {
        await using var server = await TestServer.StartAsync(o => o.Learning.TrainInterval = TimeSpan.Zero);
        var (agent, reviewer, admin) = (server.Client(server.AgentKey), server.Client(server.ReviewerKey), server.Client(server.AdminKey));
        await PublishAsync(admin, Policy("auto"));
        await DecideManyAsync(agent, reviewer, 70);
        await server.App.Services.GetRequiredService<GateService>().TrainAsync(await WorkspaceAsync(server), Ct);

        using var stop = await admin.PutAsJsonAsync("/v1/autonomy", new { enabled = false, reason = "incident" }, Ct);
        Assert.True(stop.IsSuccessStatusCode);

        Assert.Equal("pending", (await TestCases.SubmitAsync(agent, Status(6000))).GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("/v1/learning/gate", """{"stopped":"yes"}""", "stopped")]
    [InlineData("/v1/learning/gate", """{}""", "stopped")]
    [InlineData("/v1/learning/gate", """{"stopped":true,"reason":5}""", "reason")]
    [InlineData("/v1/cases/ID/qa", """{}""", "agreed")]
    [InlineData("/v1/cases/ID/qa", """{"agreed":1}""", "agreed")]
    [InlineData("/v1/cases/ID/qa", """{"agreed":true,"note":["x"]}""", "note")]
    public async Task BadInput_IsAProblemNamingTheField(string url, string body, string field)
    {
        await using var server = await TestServer.StartAsync(o => o.Learning.TrainInterval = TimeSpan.Zero);
        var id = await TestCases.SubmitPendingAsync(server.Client(server.AgentKey));

        using var response = await server.Client(server.AdminKey).PostAsync(url.Replace("ID", id, StringComparison.Ordinal), new StringContent(body, Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(problem.TryGetProperty("errors", out var errors) && errors.EnumerateObject().Any(e => e.Name.Equals(field, StringComparison.OrdinalIgnoreCase)), problem.ToString());
    }

    [Fact]
    public async Task Qa_IsForReviewersOfTheCasesWorkspace_AndOnlyForCasesInTheQueue()
    {
        await using var server = await TestServer.StartAsync(o => o.Learning.TrainInterval = TimeSpan.Zero);
        var pending = await TestCases.SubmitPendingAsync(server.Client(server.AgentKey));

        using var agent = await server.Client(server.AgentKey).PostAsJsonAsync($"/v1/cases/{pending}/qa", new { agreed = true }, Ct);
        using var notInQueue = await server.Client(server.ReviewerKey).PostAsJsonAsync($"/v1/cases/{pending}/qa", new { agreed = true }, Ct);
        using var elsewhere = await server.Client(server.OtherReviewerKey).PostAsJsonAsync($"/v1/cases/{pending}/qa", new { agreed = true }, Ct);
        using var agentList = await server.Client(server.AgentKey).GetAsync("/v1/learning/qa", Ct);
        using var badLimit = await server.Client(server.ReviewerKey).GetAsync("/v1/learning/qa?limit=0", Ct);

        Assert.Equal(HttpStatusCode.Forbidden, agent.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, notInQueue.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, elsewhere.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, agentList.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badLimit.StatusCode);
    }

    [Fact]
    public async Task APolicyAskingForAnImpossibleBound_IsRefusedNamingTheField()
    {
        await using var server = await TestServer.StartAsync(o => o.Learning.TrainInterval = TimeSpan.Zero);

        using var response = await server.Client(server.AdminKey).PutAsync(
            "/v1/policy", new StringContent(BuiltInPolicy.Yaml + "learning: { mode: auto, maxError: 0.7 }\n", Encoding.UTF8, "application/yaml"), Ct);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("'maxError' must be", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    private static async Task PublishAsync(HttpClient admin, string yaml)
    {
        using var response = await admin.PutAsync("/v1/policy", new StringContent(yaml, Encoding.UTF8, "application/yaml"), Ct);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    private static async Task<string> WorkspaceAsync(TestServer server) =>
        (await server.App.Services.GetRequiredService<IHandoffStore>().FindWorkspaceAsync("default", Ct))!.Id;

    /// <summary>Submits and decides 2 × <paramref name="pairs"/> low-confidence cases: status answers approved, refund promises rejected.</summary>
    private static async Task DecideManyAsync(HttpClient agent, HttpClient reviewer, int pairs, int from = 0)
    {
        for (var i = from; i < from + pairs; i++)
        {
            var status = await TestCases.SubmitPendingAsync(agent, Status(i));
            using (var approved = await TestCases.DecideAsync(reviewer, status, new { verdict = "approve" }))
            {
                Assert.True(approved.IsSuccessStatusCode);
            }

            var refund = await TestCases.SubmitPendingAsync(agent, Refund(i));
            using var rejected = await TestCases.DecideAsync(reviewer, refund, new { verdict = "reject", text = "We do not promise refunds before the return arrives." });
            Assert.True(rejected.IsSuccessStatusCode);
        }
    }
}

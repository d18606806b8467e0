using System.Net.Http.Json;
using System.Text.Json;
using Handoff.Server.Tests.Infrastructure;

namespace Handoff.Server.Tests.Mcp;

public sealed class McpToolsTests
{
    // Under the built-in policy high-value fires (review, team sales): a person must look.
    private const string Refund = """
        {"action":"issue_refund","arguments":{"orderId":"B-1","amount":1450},"summary":"Refund a broken machine",
         "text":"Refunded 1,450.","confidence":0.9,"facts":{"amount":1450},
         "conversation":[{"role":"customer","text":"It arrived broken, refund me."}]}
        """;

    [Fact]
    public async Task ListTools_ShowsTheSixToolsWithWhatTheyRequire()
    {
        await using var server = await TestServer.StartAsync();
        await using var mcp = await McpSession.ConnectAsync(server, server.AgentKey);

        var tools = await mcp.Client.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(["ask_human", "check_case", "find_precedents", "relay_message", "report_execution", "request_approval"], tools.Select(t => t.Name).Order());
        string[] Required(string name) =>
            [.. tools.Single(t => t.Name == name).JsonSchema.GetProperty("required").EnumerateArray().Select(r => r.GetString()!)];
        Assert.Equal(["action", "summary"], Required("request_approval"));
        Assert.Equal(["question"], Required("ask_human"));
        Assert.Equal(["caseId"], Required("check_case"));
        Assert.Equal(["text"], Required("find_precedents"));
        Assert.Equal(["caseId", "outcome"], Required("report_execution"));
        Assert.All(tools, t => Assert.NotNull(t.ProtocolTool.OutputSchema));
        var wait = tools.Single(t => t.Name == "request_approval").JsonSchema.GetProperty("properties").GetProperty("waitSeconds");
        Assert.Equal((25, 50), (wait.GetProperty("default").GetInt32(), wait.GetProperty("maximum").GetInt32()));
    }

    [Fact]
    public async Task RequestApproval_WhenThePolicyApproves_AnswersApprovedAtOnce()
    {
        await using var server = await TestServer.StartAsync();
        await using var mcp = await McpSession.ConnectAsync(server, server.AgentKey);

        // Time is fake and never advanced: only an answer that does not wait can come back.
        var answer = await mcp.AnswerAsync("request_approval", """
            {"action":"send_reply","arguments":{"text":"We open at nine."},"summary":"Opening hours","confidence":0.9}
            """);

        Assert.Equal("approved", answer.GetProperty("status").GetString());
        Assert.Equal("auto", answer.GetProperty("outcome").GetString());
        var decision = answer.GetProperty("decision");
        Assert.Equal("approve", decision.GetProperty("verdict").GetString());
        Assert.Equal("policy", decision.GetProperty("decidedBy").GetProperty("kind").GetString());
        Assert.Equal("send_reply", decision.GetProperty("action").GetString());
        Assert.Equal("We open at nine.", decision.GetProperty("arguments").GetProperty("text").GetString());
    }

    [Fact]
    public async Task ReportExecution_ClosesTheLoop_OnceAndWithTheDigestOfWhatRan()
    {
        await using var server = await TestServer.StartAsync();
        await using var mcp = await McpSession.ConnectAsync(server, server.AgentKey);
        var approved = await mcp.AnswerAsync("request_approval", """
            {"action":"send_reply","arguments":{"text":"We open at nine."},"summary":"Opening hours","confidence":0.9}
            """);
        var id = approved.GetProperty("caseId").GetString()!;
        Assert.Contains($"then call report_execution with caseId {id}", approved.GetProperty("message").GetString(), StringComparison.Ordinal);
        var other = (await mcp.AnswerAsync("request_approval", """
            {"action":"send_reply","arguments":{"text":"We open at nine."},"summary":"Opening hours","confidence":0.9}
            """)).GetProperty("caseId").GetString()!;

        var reported = await mcp.AnswerAsync("report_execution", $$"""{"caseId":"{{id}}","outcome":"executed"}""");
        var again = McpSession.Error(await mcp.CallAsync("report_execution", $$"""{"caseId":"{{id}}","outcome":"failed","reason":"twice"}"""));
        await mcp.AnswerAsync("report_execution", $$$"""{"caseId":"{{{other}}}","outcome":"executed","arguments":{"text":"We open at ten."}}""");
        var missingReason = McpSession.Error(await mcp.CallAsync("report_execution", $$"""{"caseId":"{{other}}","outcome":"failed"}"""));

        Assert.Equal("Approved, and reported as executed.", reported.GetProperty("message").GetString());
        Assert.Contains("already has its receipt", again.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.True(missingReason.GetProperty("errors").TryGetProperty("reason", out _));
        var reviewer = server.Client(server.ReviewerKey);
        var first = await reviewer.GetFromJsonAsync<JsonElement>($"/v1/cases/{id}", TestContext.Current.CancellationToken);
        var second = await reviewer.GetFromJsonAsync<JsonElement>($"/v1/cases/{other}", TestContext.Current.CancellationToken);
        Assert.False(first.GetProperty("receipt").GetProperty("mismatch").GetBoolean());
        Assert.Equal(first.GetProperty("decision").GetProperty("resultDigest").GetString(), first.GetProperty("receipt").GetProperty("resultDigest").GetString());
        Assert.True(second.GetProperty("receipt").GetProperty("mismatch").GetBoolean());
    }

    [Fact]
    public async Task RequestApproval_WhenNobodyDecidesWithinTheWait_AnswersPending_AndCheckCaseGivesTheDecisionLater()
    {
        await using var server = await TestServer.StartAsync();
        await using var mcp = await McpSession.ConnectAsync(server, server.AgentKey);

        var call = mcp.CallAsync("request_approval", Refund.Replace("\"confidence\"", "\"waitSeconds\":5,\"confidence\"", StringComparison.Ordinal));
        var id = await mcp.PendingCaseIdAsync();
        await server.UntilSomeoneWaitsOnAsync(id);
        await server.AdvanceUntilAsync(call, TimeSpan.FromSeconds(1));
        var pending = McpSession.Answer(await call);

        Assert.Equal(id, pending.GetProperty("caseId").GetString());
        Assert.Equal("pending", pending.GetProperty("status").GetString());
        Assert.Contains("check_case", pending.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("high-value", pending.GetProperty("reasons")[0].GetProperty("rule").GetString());
        Assert.False(pending.TryGetProperty("decision", out _));

        // The case is what POST /v1/cases would have made of the same content.
        var stored = await server.Client(server.ReviewerKey).GetFromJsonAsync<JsonElement>($"/v1/cases/{id}", TestContext.Current.CancellationToken);
        Assert.Equal("action", stored.GetProperty("kind").GetString());
        Assert.Equal("mcp", stored.GetProperty("channel").GetString());
        Assert.Equal("Refund a broken machine", stored.GetProperty("summary").GetString());
        Assert.Equal("issue_refund", stored.GetProperty("proposal").GetProperty("action").GetProperty("name").GetString());
        Assert.Equal("test agent", stored.GetProperty("submittedBy").GetProperty("name").GetString());

        using var decided = await TestCases.DecideAsync(server.Client(server.ReviewerKey), id,
            new { verdict = "edit", arguments = new { orderId = "B-1", amount = 900 }, note = "Partial refund." });
        decided.EnsureSuccessStatusCode();
        var answer = await mcp.AnswerAsync("check_case", $$"""{"caseId":"{{id}}"}""");

        Assert.Equal("approved", answer.GetProperty("status").GetString());
        var decision = answer.GetProperty("decision");
        Assert.Equal("edit", decision.GetProperty("verdict").GetString());
        Assert.Equal("issue_refund", decision.GetProperty("action").GetString());
        Assert.Equal(900, decision.GetProperty("arguments").GetProperty("amount").GetInt32());
        Assert.Equal("Partial refund.", decision.GetProperty("note").GetString());
        Assert.Equal("Rita Reviewer", decision.GetProperty("decidedBy").GetProperty("name").GetString());
        Assert.Equal("arguments.amount", decision.GetProperty("changes")[0].GetProperty("field").GetString());
    }

    [Fact]
    public async Task RequestApproval_WhenAPersonDecidesWithinTheWait_AnswersTheDecision()
    {
        await using var server = await TestServer.StartAsync();
        await using var mcp = await McpSession.ConnectAsync(server, server.AgentKey);

        // Time is fake and never advanced here: the call can only answer by being woken by the decision.
        var call = mcp.CallAsync("request_approval", Refund);
        var id = await mcp.PendingCaseIdAsync();
        await server.UntilSomeoneWaitsOnAsync(id);
        Assert.False(call.IsCompleted);
        using var decided = await TestCases.DecideAsync(server.Client(server.ReviewerKey), id, new { verdict = "reject", text = "Outside the return window." });
        decided.EnsureSuccessStatusCode();

        var answer = McpSession.Answer(await call.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
        Assert.Equal(id, answer.GetProperty("caseId").GetString());
        Assert.Equal("rejected", answer.GetProperty("status").GetString());
        Assert.Equal("reject", answer.GetProperty("decision").GetProperty("verdict").GetString());
        Assert.Equal("Outside the return window.", answer.GetProperty("decision").GetProperty("text").GetString());
    }

    [Fact]
    public async Task RequestApproval_WhenTheCaseEscalatesByTimeoutWithinTheWait_AnswersEscalatedAtOnce()
    {
        await using var server = await TestServer.StartAsync();
        await using var mcp = await McpSession.ConnectAsync(server, server.AgentKey);

        var call = mcp.CallAsync("request_approval", Refund.Replace("\"confidence\"", "\"expiresIn\":10,\"onTimeout\":\"escalate\",\"waitSeconds\":50,\"confidence\"", StringComparison.Ordinal));
        var id = await mcp.PendingCaseIdAsync();
        await server.UntilSomeoneWaitsOnAsync(id);
        var waitEnds = server.Time.GetUtcNow().AddSeconds(50);
        await server.AdvanceUntilAsync(call, TimeSpan.FromMilliseconds(250));

        // The case expired 10 s into the 50 s wait: the agent hears of the escalation then, not when its wait runs out.
        var answer = McpSession.Answer(await call);
        Assert.Equal("escalated", answer.GetProperty("status").GetString());
        Assert.Contains("check_case", answer.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.True(server.Time.GetUtcNow() < waitEnds, $"answered only at {server.Time.GetUtcNow():O}");
    }

    [Fact]
    public async Task RequestApproval_WithoutWaitSeconds_WaitsTwentyFiveSeconds()
    {
        await using var server = await TestServer.StartAsync();
        await using var mcp = await McpSession.ConnectAsync(server, server.AgentKey);

        var call = mcp.CallAsync("request_approval", Refund);
        var id = await mcp.PendingCaseIdAsync();
        await server.UntilSomeoneWaitsOnAsync(id);
        var started = server.Time.GetUtcNow();
        await server.AdvanceUntilAsync(call, TimeSpan.FromSeconds(1));

        // Well inside the 60 s after which the TypeScript SDK gives up on a request by default.
        Assert.Equal("pending", McpSession.Answer(await call).GetProperty("status").GetString());
        Assert.InRange(server.Time.GetUtcNow() - started, TimeSpan.FromSeconds(25), TimeSpan.FromSeconds(26));
    }

    [Theory]
    [InlineData("request_approval")]
    [InlineData("check_case")]
    public async Task Tool_WhileWaitingForAPerson_SendsProgressEveryFiveSeconds(string tool)
    {
        await using var server = await TestServer.StartAsync();
        await using var mcp = await McpSession.ConnectAsync(server, server.AgentKey);
        var progress = new ProgressRecorder();

        var id = tool == "check_case" ? await TestCases.SubmitPendingAsync(server.Client(server.AgentKey)) : null;
        var call = mcp.CallAsync(tool, id is null ? Refund : $$"""{"caseId":"{{id}}","waitSeconds":30}""", progress);
        id ??= await mcp.PendingCaseIdAsync();
        await server.UntilSomeoneWaitsOnAsync(id);
        // Over the real, stateless HTTP endpoint: each notification reaches the client while the call is open.
        var first = progress.NextAsync();
        await server.AdvanceUntilAsync(first, TimeSpan.FromSeconds(1));
        var second = progress.NextAsync();
        await server.AdvanceUntilAsync(second, TimeSpan.FromSeconds(1));
        Assert.False(call.IsCompleted);
        using var decided = await TestCases.DecideAsync(server.Client(server.ReviewerKey), id, new { verdict = "approve" });

        Assert.Equal("approved", McpSession.Answer(await call.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken)).GetProperty("status").GetString());
        var (one, two) = (await first, await second);
        Assert.Equal((5f, 10f), (one.Progress, two.Progress));
        Assert.Equal(tool == "check_case" ? 30f : 25f, one.Total);
        Assert.Equal($"Waiting for a person to decide (10 of {one.Total} seconds).", two.Message);
    }

    [Fact]
    public async Task CheckCase_WithWaitSeconds_IsWokenByTheDecision()
    {
        await using var server = await TestServer.StartAsync();
        await using var mcp = await McpSession.ConnectAsync(server, server.AgentKey);
        var id = await TestCases.SubmitPendingAsync(server.Client(server.AgentKey));

        var call = mcp.CallAsync("check_case", $$"""{"caseId":"{{id}}","waitSeconds":50}""");
        await server.UntilSomeoneWaitsOnAsync(id);
        using var decided = await TestCases.DecideAsync(server.Client(server.ReviewerKey), id, new { verdict = "approve" });

        var answer = McpSession.Answer(await call.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
        Assert.Equal("approved", answer.GetProperty("status").GetString());
        Assert.Equal(1450, answer.GetProperty("decision").GetProperty("arguments").GetProperty("amount").GetInt32());
    }

    [Fact]
    public async Task AskHuman_WhenAPersonResponds_AnswersWithTheirWords()
    {
        await using var server = await TestServer.StartAsync();
        await using var mcp = await McpSession.ConnectAsync(server, server.AgentKey);

        var call = mcp.CallAsync("ask_human", """
            {"question":"May this customer return a kettle after 40 days?","facts":{"topic":"returns"},
             "conversation":[{"role":"customer","text":"Can I still return it?"}]}
            """);
        var id = await mcp.PendingCaseIdAsync();
        await server.UntilSomeoneWaitsOnAsync(id);
        using var decided = await TestCases.DecideAsync(server.Client(server.ReviewerKey), id, new { verdict = "respond", text = "Yes, as a goodwill gesture." });
        decided.EnsureSuccessStatusCode();

        var answer = McpSession.Answer(await call.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
        Assert.Equal("responded", answer.GetProperty("status").GetString());
        Assert.Equal("Yes, as a goodwill gesture.", answer.GetProperty("answer").GetString());
        var stored = await server.Client(server.ReviewerKey).GetFromJsonAsync<JsonElement>($"/v1/cases/{id}", TestContext.Current.CancellationToken);
        Assert.Equal("question", stored.GetProperty("kind").GetString());
        Assert.Equal("May this customer return a kettle after 40 days?", stored.GetProperty("summary").GetString());
    }

    [Theory]
    [InlineData("live", "live")]
    [InlineData("queue", "queue")]
    public async Task AskHuman_WhileThePersonIsBeingFound_SaysLiveOrQueue(string policyMode, string expected)
    {
        await using var server = await TestServer.StartAsync();
        using var put = await server.Client(server.AdminKey).PutAsync(
            "/v1/policy", new StringContent($"defaults: {{ mode: {policyMode} }}\n", System.Text.Encoding.UTF8, "application/yaml"), TestContext.Current.CancellationToken);
        put.EnsureSuccessStatusCode();
        await using var mcp = await McpSession.ConnectAsync(server, server.AgentKey);

        var answer = await mcp.AnswerAsync("ask_human", """{"question":"Can someone call this customer back?","waitSeconds":0}""");

        Assert.Equal("pending", answer.GetProperty("status").GetString());
        Assert.Equal(expected, answer.GetProperty("mode").GetString());
        Assert.Equal(expected == "live", answer.TryGetProperty("liveUntil", out _));
        if (expected == "live")
        {
            Assert.Contains("being rung to join now", answer.GetProperty("message").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AskHuman_WithChoices_AnswersTheOneThePersonChose()
    {
        await using var server = await TestServer.StartAsync();
        await using var mcp = await McpSession.ConnectAsync(server, server.AgentKey);

        var call = mcp.CallAsync("ask_human", """{"question":"Which courier for this parcel?","choices":["DHL","UPS"]}""");
        var id = await mcp.PendingCaseIdAsync();
        await server.UntilSomeoneWaitsOnAsync(id);
        using var decided = await TestCases.DecideAsync(server.Client(server.ReviewerKey), id, new { verdict = "choose", option = 1 });
        decided.EnsureSuccessStatusCode();

        var answer = McpSession.Answer(await call.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
        Assert.Equal("approved", answer.GetProperty("status").GetString());
        Assert.Equal("UPS", answer.GetProperty("answer").GetString());
        Assert.Equal(1, answer.GetProperty("decision").GetProperty("option").GetInt32());
    }

    [Fact]
    public async Task RequestApproval_WithTheSameIdempotencyKey_AnswersTheSameCase_AndRefusesOtherArguments()
    {
        await using var server = await TestServer.StartAsync();
        await using var mcp = await McpSession.ConnectAsync(server, server.AgentKey);
        const string Call = """{"action":"send_reply","summary":"Opening hours","confidence":0.9,"idempotencyKey":"reply-1"}""";

        var first = await mcp.AnswerAsync("request_approval", Call);
        var again = await mcp.AnswerAsync("request_approval", Call);
        var other = McpSession.Error(await mcp.CallAsync("request_approval", Call.Replace("0.9", "0.8", StringComparison.Ordinal)));

        Assert.Equal(first.GetProperty("caseId").GetString(), again.GetProperty("caseId").GetString());
        Assert.Contains(first.GetProperty("caseId").GetString()!, other.GetProperty("errors").GetProperty("idempotencyKey")[0].GetString(), StringComparison.Ordinal);
    }
}

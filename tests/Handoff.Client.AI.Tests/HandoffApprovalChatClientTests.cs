using System.Text.Json.Nodes;
using Handoff.Client.AI.Tests.Infrastructure;
using Microsoft.Extensions.AI;
using static Handoff.Client.AI.Tests.Infrastructure.ScriptedChatClient;

namespace Handoff.Client.AI.Tests;

/// <summary>
/// The middleware in its documented place, <c>UseHandoffApprovals(…).UseFunctionInvocation()</c>, over a scripted model,
/// against a real server; a reviewer decides through plain HTTP.
/// </summary>
public sealed class HandoffApprovalChatClientTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetResponse_WhenApproved_RunsTheToolWithTheModelsArgumentsAndGivesTheModelItsResult()
    {
        await using var server = await AiTestServer.StartAsync();
        var tools = new Tools();
        var model = new ScriptedChatClient(Calls(Tools.Refund("call_1", "B-11872", 1450)), Text("Done: refunded."));
        using var chat = Pipeline(model, server);

        var answering = chat.GetResponseAsync([new ChatMessage(ChatRole.User, "My kettle arrived cracked. Refund please.")], Options(tools), Token);
        var @case = (await server.PendingCasesAsync(1))[0];
        await server.DecideAsync(@case, new { verdict = "approve" });
        var response = await answering;

        Assert.Equal("Done: refunded.", response.Text);
        Assert.Equal(["issue_refund(B-11872, 1450)"], tools.Runs);
        Assert.Equal("Refunded 1450 on B-11872.", model.LastResults()["call_1"]);
        // The middleware closed the loop on its own: the receipt names exactly what was approved.
        var receipt = (await server.CaseAsync(@case))["receipt"]!;
        Assert.Equal("executed", receipt["outcome"]!.GetValue<string>());
        Assert.False(receipt["mismatch"]!.GetValue<bool>());
    }

    [Fact]
    public async Task GetResponse_WhenTheApprovedToolFails_TheCaseGetsAFailedReceiptWithTheError()
    {
        await using var server = await AiTestServer.StartAsync();
        var tools = new Tools();
        var model = new ScriptedChatClient(Calls(Tools.Refund("call_1", "B-11872", 1450)), Text("Sorry, the refund did not go through."));
        using var chat = Pipeline(model, server);
        var options = new ChatOptions { Tools = [tools.IssueRefundFailing] };

        var answering = chat.GetResponseAsync([new ChatMessage(ChatRole.User, "Refund please.")], options, Token);
        var @case = (await server.PendingCasesAsync(1))[0];
        await server.DecideAsync(@case, new { verdict = "approve" });
        await answering;

        var receipt = (await server.CaseAsync(@case))["receipt"]!;
        Assert.Equal("failed", receipt["outcome"]!.GetValue<string>());
        Assert.Equal("The tool failed: InvalidOperationException: The payment provider is down.", receipt["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task GetResponse_ACaseForAToolCall_HoldsTheCallTheConversationAndTheAgentsContext()
    {
        await using var server = await AiTestServer.StartAsync();
        var tools = new Tools();
        var model = new ScriptedChatClient(Calls(Tools.Refund("call_1", "B-11872", 1450)), Text("Done."));
        using var chat = new ChatClientBuilder(model)
            .UseHandoffApprovals(server.Agent, o => o.Context = call => new HandoffCaseContext
            {
                Summary = $"Refund {call.Call.Arguments!["amount"]} on {call.Call.Arguments["orderId"]}",
                Subject = new JsonObject { ["id"] = "cus_2040" },
                Facts = new JsonObject { ["amount"] = 1450, ["topic"] = "refund" },
                Confidence = 0.55,
            })
            .UseFunctionInvocation()
            .Build();

        var answering = chat.GetResponseAsync([new ChatMessage(ChatRole.User, "My kettle arrived cracked. Refund please.")], Options(tools), Token);
        var @case = (await server.PendingCasesAsync(1))[0];
        await server.DecideAsync(@case, new { verdict = "approve" });
        await answering;

        Assert.Equal("action", @case["kind"]!.GetValue<string>());
        Assert.Equal("Refund 1450 on B-11872", @case["summary"]!.GetValue<string>());
        Assert.Equal("cus_2040", @case["subject"]!["id"]!.GetValue<string>());
        Assert.Equal("refund", @case["facts"]!["topic"]!.GetValue<string>());
        Assert.Equal(0.55, @case["proposal"]!["confidence"]!.GetValue<double>());
        Assert.Equal("issue_refund", @case["proposal"]!["action"]!["name"]!.GetValue<string>());
        Assert.Equal(1450, @case["proposal"]!["action"]!["arguments"]!["amount"]!.GetValue<int>());
        var conversation = @case["conversation"]!.AsArray();
        Assert.Equal(2, conversation.Count);
        Assert.Equal("user", conversation[0]!["role"]!.GetValue<string>());
        Assert.Equal("My kettle arrived cracked. Refund please.", conversation[0]!["text"]!.GetValue<string>());
        Assert.Equal("assistant", conversation[1]!["role"]!.GetValue<string>());
        Assert.Equal("""[calls issue_refund({"orderId":"B-11872","amount":1450})]""", conversation[1]!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task GetResponse_WhenEdited_RunsTheToolWithThePersonsArguments()
    {
        await using var server = await AiTestServer.StartAsync();
        var tools = new Tools();
        var model = new ScriptedChatClient(Calls(Tools.Refund("call_1", "B-11872", 1450)), Text("Done: partly refunded."));
        using var chat = Pipeline(model, server);

        var answering = chat.GetResponseAsync([new ChatMessage(ChatRole.User, "Refund please.")], Options(tools), Token);
        var @case = (await server.PendingCasesAsync(1))[0];
        await server.DecideAsync(@case, new { verdict = "edit", arguments = new { orderId = "B-11872", amount = 900 } });
        await answering;

        Assert.Equal(["issue_refund(B-11872, 900)"], tools.Runs);
        Assert.Equal("Refunded 900 on B-11872.", model.LastResults()["call_1"]);
        // What ran is the person's edit, which is what was approved: no mismatch.
        Assert.False((await server.CaseAsync(@case))["receipt"]!["mismatch"]!.GetValue<bool>());
    }

    [Fact]
    public void CaseFor_AToolCallWithArgumentsThatDifferOnlyInCase_KeepsBothArguments()
    {
        var call = new FunctionCallContent("call_1", "t", new Dictionary<string, object?> { ["a"] = 1, ["A"] = 2 });

        var request = HandoffApprovalChatClient.CaseFor(new HandoffApprovalOptions(), call, [], null);

        Assert.Equal(["a", "A"], request.Proposal!.Action!.Arguments!.Select(p => p.Key));
    }

    [Fact]
    public async Task GetResponse_WhenRejected_GivesTheModelTheReasonAndDoesNotRunTheTool()
    {
        await using var server = await AiTestServer.StartAsync();
        var tools = new Tools();
        var model = new ScriptedChatClient(Calls(Tools.Refund("call_1", "B-11872", 1450)), Text("Sorry, I cannot refund that."));
        using var chat = Pipeline(model, server);

        var answering = chat.GetResponseAsync([new ChatMessage(ChatRole.User, "Refund please.")], Options(tools), Token);
        var @case = (await server.PendingCasesAsync(1))[0];
        await server.DecideAsync(@case, new { verdict = "reject", text = "Outside the return window." });
        var response = await answering;

        Assert.Empty(tools.Runs);
        Assert.Equal("Rejected by a person: Outside the return window.", model.LastResults()["call_1"]);
        Assert.Equal("Sorry, I cannot refund that.", response.Text);
    }

    [Fact]
    public async Task GetResponse_WhenResponded_GivesTheModelThePersonsAnswerAndDoesNotRunTheTool()
    {
        await using var server = await AiTestServer.StartAsync();
        var tools = new Tools();
        var model = new ScriptedChatClient(Calls(Tools.Refund("call_1", "B-11872", 1450)), Text("A replacement is on its way."));
        using var chat = Pipeline(model, server);

        var answering = chat.GetResponseAsync([new ChatMessage(ChatRole.User, "Refund please.")], Options(tools), Token);
        var @case = (await server.PendingCasesAsync(1))[0];
        await server.DecideAsync(@case, new { verdict = "respond", text = "Offer a replacement instead; we ship it today." });
        await answering;

        Assert.Empty(tools.Runs);
        Assert.Equal("Offer a replacement instead; we ship it today.", model.LastResults()["call_1"]);
    }

    [Fact]
    public async Task GetResponse_WhenAPersonTakesOverAndHandsBack_GivesTheModelTheirNoteAndDoesNotRunTheTool()
    {
        await using var server = await AiTestServer.StartAsync();
        var tools = new Tools();
        var model = new ScriptedChatClient(Calls(Tools.Refund("call_1", "B-11872", 1450)), Text("Understood."));
        using var chat = Pipeline(model, server);

        var answering = chat.GetResponseAsync([new ChatMessage(ChatRole.User, "Refund please.")], Options(tools), Token);
        var @case = (await server.PendingCasesAsync(1))[0];
        await server.PostAsync(@case, "takeover");
        await server.PostAsync(@case, "handback", new { note = "I sorted it with the customer; no refund needed." });
        await answering;

        Assert.Empty(tools.Runs);
        Assert.Equal("Not run: a person took the conversation over and handed it back with the note: I sorted it with the customer; no refund needed.", model.LastResults()["call_1"]);
    }

    [Fact]
    public async Task GetResponse_SeveralCallsInOneTurn_BecomeSeveralCasesEachAnsweredToItsOwnCallId()
    {
        await using var server = await AiTestServer.StartAsync();
        var tools = new Tools();
        var model = new ScriptedChatClient(
            Calls(Tools.Refund("call_a", "A-1", 100), Tools.Refund("call_b", "B-2", 200), Tools.Refund("call_c", "C-3", 300)),
            Text("All handled."));
        using var chat = Pipeline(model, server);

        var answering = chat.GetResponseAsync([new ChatMessage(ChatRole.User, "Refund my three orders.")], Options(tools), Token);
        var cases = await server.PendingCasesAsync(3);
        JsonObject Case(string orderId) => cases.Single(c => c["proposal"]!["action"]!["arguments"]!["orderId"]!.GetValue<string>() == orderId);

        // Decided in another order than the calls came, each differently.
        await server.DecideAsync(Case("C-3"), new { verdict = "reject", text = "Already refunded." });
        await server.DecideAsync(Case("A-1"), new { verdict = "edit", arguments = new { orderId = "A-1", amount = 50 } });
        await server.DecideAsync(Case("B-2"), new { verdict = "approve" });
        await answering;

        var results = model.LastResults();
        Assert.Equal("Refunded 50 on A-1.", results["call_a"]);
        Assert.Equal("Refunded 200 on B-2.", results["call_b"]);
        Assert.Equal("Rejected by a person: Already refunded.", results["call_c"]);
        Assert.Equal(["issue_refund(A-1, 50)", "issue_refund(B-2, 200)"], tools.Runs.Order());
    }

    [Fact]
    public async Task GetResponse_OneCallPerTurn_AsksForEachInTurn()
    {
        await using var server = await AiTestServer.StartAsync();
        var tools = new Tools();
        var model = new ScriptedChatClient(
            Calls(Tools.Refund("call_1", "A-1", 100)), Calls(Tools.Refund("call_2", "B-2", 200)), Text("Both handled."));
        using var chat = Pipeline(model, server);

        var answering = chat.GetResponseAsync([new ChatMessage(ChatRole.User, "Refund my two orders.")], Options(tools), Token);
        await server.DecideAsync((await server.PendingCasesAsync(1))[0], new { verdict = "approve" });
        var second = await SecondCaseAsync(server);
        await server.DecideAsync(second, new { verdict = "reject", text = "One refund a day." });
        var response = await answering;

        Assert.Equal("Both handled.", response.Text);
        Assert.Equal(["issue_refund(A-1, 100)"], tools.Runs);
        var results = model.LastResults();
        Assert.Equal("Refunded 100 on A-1.", results["call_1"]);
        Assert.Equal("Rejected by a person: One refund a day.", results["call_2"]);

        // The caller's history gets every step as plain calls and results, with no approval contents left in it.
        Assert.DoesNotContain(response.Messages.SelectMany(m => m.Contents), c => c is ToolApprovalRequestContent or ToolApprovalResponseContent);
        Assert.Equal(2, response.Messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>().Count());
    }

    [Fact]
    public async Task GetResponse_OutOfRounds_ReturnsTheLastResponseWithItsApprovalRequestUnanswered()
    {
        await using var server = await AiTestServer.StartAsync();
        var tools = new Tools();
        var model = new ScriptedChatClient(
            Calls(Tools.Refund("call_1", "A-1", 100)), Calls(Tools.Refund("call_2", "B-2", 200)), Text("Never reached."));
        using var chat = new ChatClientBuilder(model)
            .UseHandoffApprovals(server.Agent, o => o.MaximumRounds = 1)
            .UseFunctionInvocation()
            .Build();

        var answering = chat.GetResponseAsync([new ChatMessage(ChatRole.User, "Refund my two orders.")], Options(tools), Token);
        await server.DecideAsync((await server.PendingCasesAsync(1))[0], new { verdict = "approve" });
        var response = await answering;

        Assert.Equal(2, model.Requests.Count);
        Assert.Equal(["issue_refund(A-1, 100)"], tools.Runs);
        var left = Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<ToolApprovalRequestContent>());
        Assert.Equal("call_2", left.ToolCall.CallId);
        Assert.Equal(1, await server.CaseCountAsync());
    }

    [Fact]
    public async Task GetResponse_AToolNeedingNoApproval_RunsWithoutACase()
    {
        await using var server = await AiTestServer.StartAsync();
        var tools = new Tools();
        var model = new ScriptedChatClient(Calls(Tools.Lookup("call_1", "B-11872")), Text("Your kettle was delivered cracked."));
        using var chat = Pipeline(model, server);

        var response = await chat.GetResponseAsync([new ChatMessage(ChatRole.User, "Where is my order?")], Options(tools), Token);

        Assert.Equal("Your kettle was delivered cracked.", response.Text);
        Assert.Equal(["lookup_order(B-11872)"], tools.Runs);
        Assert.Equal(0, await server.CaseCountAsync());
    }

    [Fact]
    public async Task GetResponse_ATurnMixingBoth_AsksOnlyForTheCallThatNeedsIt()
    {
        await using var server = await AiTestServer.StartAsync();
        var tools = new Tools();
        var model = new ScriptedChatClient(Calls(Tools.Lookup("call_1", "B-11872"), Tools.Refund("call_2", "B-11872", 1450)), Text("Done."));
        using var chat = Pipeline(model, server);

        var answering = chat.GetResponseAsync([new ChatMessage(ChatRole.User, "Refund please.")], Options(tools), Token);
        var @case = Assert.Single(await server.PendingCasesAsync(1));
        Assert.Equal("issue_refund", @case["proposal"]!["action"]!["name"]!.GetValue<string>());
        await server.DecideAsync(@case, new { verdict = "approve" });
        await answering;

        Assert.Equal(["issue_refund(B-11872, 1450)", "lookup_order(B-11872)"], tools.Runs.Order());
        Assert.Equal(1, await server.CaseCountAsync());
        var results = model.LastResults();
        Assert.Equal("B-11872: a kettle, delivered cracked.", results["call_1"]);
        Assert.Equal("Refunded 1450 on B-11872.", results["call_2"]);
    }

    [Fact]
    public async Task GetResponse_AToolNamedInTheOptions_NeedsApproval()
    {
        await using var server = await AiTestServer.StartAsync();
        var tools = new Tools();
        var model = new ScriptedChatClient(Calls(Tools.Close("call_1", "cus_2040")), Text("Not closed."));
        using var chat = new ChatClientBuilder(model)
            .UseHandoffApprovals(server.Agent, o => o.ToolNames.Add("close_account"))
            .UseFunctionInvocation()
            .Build();

        var answering = chat.GetResponseAsync([new ChatMessage(ChatRole.User, "Close my account.")], Options(tools), Token);
        var @case = (await server.PendingCasesAsync(1))[0];
        Assert.Equal("close_account", @case["proposal"]!["action"]!["name"]!.GetValue<string>());
        await server.DecideAsync(@case, new { verdict = "reject", text = "Ask for the reason first." });
        await answering;

        Assert.Empty(tools.Runs);
        Assert.Equal("Rejected by a person: Ask for the reason first.", model.LastResults()["call_1"]);
    }

    [Fact]
    public async Task GetStreamingResponse_WhenApproved_StreamsTheFinalAnswerAfterTheToolRan()
    {
        await using var server = await AiTestServer.StartAsync();
        var tools = new Tools();
        var model = new ScriptedChatClient(Calls(Tools.Refund("call_1", "B-11872", 1450)), Text("Done: refunded."));
        using var chat = Pipeline(model, server);

        var answering = chat.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "Refund please.")], Options(tools), Token)
            .ToChatResponseAsync(Token);
        await server.DecideAsync((await server.PendingCasesAsync(1))[0], new { verdict = "approve" });
        var response = await answering;

        Assert.EndsWith("Done: refunded.", response.Text, StringComparison.Ordinal);
        Assert.Equal(["issue_refund(B-11872, 1450)"], tools.Runs);
        Assert.Equal("Refunded 1450 on B-11872.", model.LastResults()["call_1"]);
    }

    private static IChatClient Pipeline(IChatClient model, AiTestServer server) =>
        new ChatClientBuilder(model).UseHandoffApprovals(server.Agent).UseFunctionInvocation().Build();

    private static ChatOptions Options(Tools tools) => new() { Tools = [tools.IssueRefund, tools.CloseAccount, tools.LookupOrder] };

    /// <summary>The second call's case: the first one is decided by then, so it is the only pending one.</summary>
    private static async Task<JsonObject> SecondCaseAsync(AiTestServer server)
    {
        for (var i = 0; i < 1000; i++)
        {
            var pending = await server.PendingCasesAsync(1);
            if (pending[0]["proposal"]!["action"]!["arguments"]!["orderId"]!.GetValue<string>() == "B-2")
            {
                return pending[0];
            }

            await Task.Delay(10, Token);
        }

        throw new InvalidOperationException("the second call never became a case");
    }
}

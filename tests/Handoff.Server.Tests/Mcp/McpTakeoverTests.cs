using System.Net.Http.Json;
using System.Text.Json;
using Handoff.Server.Tests.Infrastructure;

namespace Handoff.Server.Tests.Mcp;

public sealed class McpTakeoverTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CheckCase_OfATakenOverCase_SaysToRelay()
    {
        await using var server = await TestServer.StartAsync();
        await using var mcp = await McpSession.ConnectAsync(server, server.AgentKey);
        var id = await TestCases.SubmitPendingAsync(server.Client(server.AgentKey));
        (await server.Client(server.ReviewerKey).PostAsync($"/v1/cases/{id}/takeover", null, Ct)).Dispose();

        var answer = await mcp.AnswerAsync("check_case", $$"""{"caseId":"{{id}}"}""");

        Assert.Equal("takenOver", answer.GetProperty("status").GetString());
        Assert.StartsWith("Rita Reviewer has taken the conversation over.", answer.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("relay_message", answer.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RelayMessage_PostsTheCustomersWords_AndAnswersWithThePersonsReplyAsSoonAsItComes()
    {
        await using var server = await TestServer.StartAsync();
        await using var mcp = await McpSession.ConnectAsync(server, server.AgentKey);
        var id = await TestCases.SubmitPendingAsync(server.Client(server.AgentKey));
        var reviewer = server.Client(server.ReviewerKey);
        (await reviewer.PostAsync($"/v1/cases/{id}/takeover", null, Ct)).Dispose();

        // The clock never moves: only the reply can answer the call.
        var call = mcp.CallAsync("relay_message", $$"""{"caseId":"{{id}}","text":"Are you a real person?","waitSeconds":50}""");
        await server.UntilSomeoneWaitsOnAsync(id);
        (await reviewer.PostAsJsonAsync($"/v1/cases/{id}/messages", new { role = "person", text = "Yes: Rita, from sales." }, Ct)).Dispose();
        var answer = McpSession.Answer(await call.WaitAsync(TimeSpan.FromSeconds(10), Ct));

        Assert.Equal(("takenOver", 2), (answer.GetProperty("status").GetString(), answer.GetProperty("lastMessage").GetInt32()));
        var reply = Assert.Single(answer.GetProperty("messages").EnumerateArray());
        Assert.Equal(("person", "Yes: Rita, from sales."), (reply.GetProperty("role").GetString(), reply.GetProperty("text").GetString()));
        var stored = await reviewer.GetFromJsonAsync<JsonElement>($"/v1/cases/{id}", Ct);
        var first = stored.GetProperty("transcript")[0];
        Assert.Equal(("customer", "Are you a real person?", "test agent"), (first.GetProperty("role").GetString(), first.GetProperty("text").GetString(), first.GetProperty("by").GetProperty("name").GetString()));
    }

    [Fact]
    public async Task RelayMessage_WhenThePersonHandsBack_AnswersWithTheNoteAndTheWholeTranscript()
    {
        await using var server = await TestServer.StartAsync();
        await using var mcp = await McpSession.ConnectAsync(server, server.AgentKey);
        var id = await TestCases.SubmitPendingAsync(server.Client(server.AgentKey));
        var reviewer = server.Client(server.ReviewerKey);
        (await reviewer.PostAsync($"/v1/cases/{id}/takeover", null, Ct)).Dispose();
        await mcp.AnswerAsync("relay_message", $$"""{"caseId":"{{id}}","text":"Hello?","waitSeconds":0}""");

        var call = mcp.CallAsync("relay_message", $$"""{"caseId":"{{id}}","after":1,"waitSeconds":50}""");
        await server.UntilSomeoneWaitsOnAsync(id);
        (await reviewer.PostAsJsonAsync($"/v1/cases/{id}/handback", new { note = "Replacement agreed; confirm the address." }, Ct)).Dispose();
        var answer = McpSession.Answer(await call.WaitAsync(TimeSpan.FromSeconds(10), Ct));
        var checkedAfter = await mcp.AnswerAsync("check_case", $$"""{"caseId":"{{id}}"}""");

        Assert.Equal("handedBack", answer.GetProperty("status").GetString());
        Assert.Equal(("handBack", "Replacement agreed; confirm the address."), (answer.GetProperty("decision").GetProperty("verdict").GetString(), answer.GetProperty("decision").GetProperty("text").GetString()));
        Assert.Contains("handed the conversation back", answer.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(["Hello?"], checkedAfter.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("text").GetString()));
    }

    [Fact]
    public async Task RelayMessage_ToAClosedCase_IsAToolErrorSayingSo()
    {
        await using var server = await TestServer.StartAsync();
        await using var mcp = await McpSession.ConnectAsync(server, server.AgentKey);
        var id = await TestCases.SubmitPendingAsync(server.Client(server.AgentKey));
        (await TestCases.DecideAsync(server.Client(server.ReviewerKey), id, new { verdict = "approve" })).Dispose();

        var error = McpSession.Error(await mcp.CallAsync("relay_message", $$"""{"caseId":"{{id}}","text":"Thanks!"}"""));

        Assert.Contains("The case is closed (approved)", error.GetProperty("error").GetString() ?? error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"text":"hi"}""", "caseId")]
    [InlineData("""{"caseId":"cs_1","text":"  "}""", "text")]
    [InlineData("""{"caseId":"cs_1","after":-1}""", "after")]
    [InlineData("""{"caseId":"cs_1","waitSeconds":51}""", "waitSeconds")]
    [InlineData("""{"caseId":"cs_1","text":5}""", "text")]
    public async Task RelayMessage_WithBadArguments_NamesThem(string arguments, string field)
    {
        await using var server = await TestServer.StartAsync();
        await using var mcp = await McpSession.ConnectAsync(server, server.AgentKey);

        var error = McpSession.Error(await mcp.CallAsync("relay_message", arguments));

        Assert.True(error.GetProperty("errors").TryGetProperty(field, out _), error.ToString());
    }

    [Fact]
    public async Task RelayMessage_ForAnotherWorkspacesCase_IsNotFound()
    {
        await using var server = await TestServer.StartAsync();
        await using var mcp = await McpSession.ConnectAsync(server, server.OtherAgentKey);
        var id = await TestCases.SubmitPendingAsync(server.Client(server.AgentKey));

        var error = McpSession.Error(await mcp.CallAsync("relay_message", $$"""{"caseId":"{{id}}","text":"hi"}"""));

        Assert.Contains("No case", error.ToString(), StringComparison.Ordinal);
    }
}

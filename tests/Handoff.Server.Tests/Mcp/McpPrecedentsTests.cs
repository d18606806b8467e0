using Handoff.Server.Tests.Infrastructure;

namespace Handoff.Server.Tests.Mcp;

/// <summary><c>find_precedents</c> through the official MCP client: how people decided cases like the agent's.</summary>
public sealed class McpPrecedentsTests
{
    [Fact]
    public async Task FindPrecedents_ShowsAnAgentHowSimilarCasesWereDecided_InItsWorkspaceOnly()
    {
        await using var server = await TestServer.StartAsync();
        var id = await TestCases.SubmitPendingAsync(server.Client(server.AgentKey));
        using (var decided = await TestCases.DecideAsync(server.Client(server.ReviewerKey), id, new { verdict = "reject", text = "Ask for a photo of the damage first." }))
        {
            Assert.True(decided.IsSuccessStatusCode);
        }

        await using var mcp = await McpSession.ConnectAsync(server, server.AgentKey);
        await using var other = await McpSession.ConnectAsync(server, server.OtherAgentKey);

        var answer = await mcp.AnswerAsync("find_precedents", """{"text":"The machine arrived broken and I want a refund","action":"issue_refund"}""");
        var elsewhere = await other.AnswerAsync("find_precedents", """{"text":"The machine arrived broken and I want a refund"}""");

        var precedent = Assert.Single(answer.GetProperty("precedents").EnumerateArray());
        Assert.Equal(id, precedent.GetProperty("caseId").GetString());
        Assert.Equal("reject", precedent.GetProperty("verdict").GetString());
        Assert.Equal("Ask for a photo of the damage first.", precedent.GetProperty("text").GetString());
        Assert.True(precedent.GetProperty("sameAction").GetBoolean());
        Assert.Empty(elsewhere.GetProperty("precedents").EnumerateArray());
    }

    [Theory]
    [InlineData("""{}""", "text")]
    [InlineData("""{"text":"  "}""", "text")]
    [InlineData("""{"text":"refund","count":0}""", "count")]
    [InlineData("""{"text":"refund","count":"5"}""", "count")]
    [InlineData("""{"text":"refund","mood":"sad"}""", "mood")]
    public async Task FindPrecedents_BadArguments_AreToolErrorsNamingThem(string arguments, string field)
    {
        await using var server = await TestServer.StartAsync();
        await using var mcp = await McpSession.ConnectAsync(server, server.AgentKey);

        var error = McpSession.Error(await mcp.CallAsync("find_precedents", arguments));

        Assert.True(error.GetProperty("errors").TryGetProperty(field, out _), error.ToString());
    }
}

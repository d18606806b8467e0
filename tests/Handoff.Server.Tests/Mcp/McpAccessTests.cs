using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Handoff.Server.Mcp;
using Handoff.Server.Tests.Infrastructure;
using ModelContextProtocol.Client;

namespace Handoff.Server.Tests.Mcp;

public sealed class McpAccessTests
{
    private const string Initialize = """
        {"jsonrpc":"2.0","id":1,"method":"initialize",
         "params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"curl","version":"1"}}}
        """;

    [Theory]
    [InlineData("none", HttpStatusCode.Unauthorized, "Send an API key")]
    [InlineData("bogus", HttpStatusCode.Unauthorized, "unknown or revoked")]
    [InlineData("reviewer", HttpStatusCode.Forbidden, "needs the agent (or admin) role; this is a reviewer key")]
    public async Task Endpoint_WithoutAnAgentKey_IsRefusedWithProblem(string who, HttpStatusCode expected, string detail)
    {
        await using var server = await TestServer.StartAsync();
        var key = who switch
        {
            "bogus" => "hk_not-a-real-key",
            "reviewer" => server.ReviewerKey,
            _ => null,
        };

        using var response = await PostAsync(server.Client(key), Initialize);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Contains(detail, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        // The MCP specification's authorization section: a 401 names the scheme to use.
        Assert.Equal(expected == HttpStatusCode.Unauthorized ? ["Bearer"] : [], response.Headers.WwwAuthenticate.Select(h => h.ToString()));

        // The official client cannot get in either.
        await Assert.ThrowsAnyAsync<HttpRequestException>(async () =>
        {
            await using var client = await McpClient.CreateAsync(McpSession.Transport(server, key), cancellationToken: TestContext.Current.CancellationToken);
        });
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("null")]
    [InlineData("-1")]
    [InlineData("[]")]
    [InlineData("\"hello\"")]
    [InlineData("{\"protocolVersion\":5,\"capabilities\":{},\"clientInfo\":{\"name\":\"curl\",\"version\":\"1\"}}")]
    public async Task Initialize_WithMalformedParams_AnswersInvalidParams(string parameters)
    {
        await using var server = await TestServer.StartAsync();

        using var response = await PostAsync(server.Client(server.AgentKey), $$"""{"jsonrpc":"2.0","id":7,"method":"initialize","params":{{parameters}}}""");

        // A JSON-RPC error the client can read, never a 500: the message says what initialize takes.
        var error = (await JsonRpcAnswerAsync(response)).GetProperty("error");
        Assert.Equal(-32602, error.GetProperty("code").GetInt32());
        Assert.Contains("protocolVersion", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("DELETE")]
    public async Task Endpoint_WithAnotherMethodThanPost_Answers405(string method)
    {
        await using var server = await TestServer.StartAsync();

        using var request = new HttpRequestMessage(new HttpMethod(method), McpApi.Path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await server.Client(server.AgentKey).SendAsync(request, TestContext.Current.CancellationToken);

        // Stateless: no stream to open and no session to end; 405 is what the MCP specification asks for.
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(["POST"], response.Content.Headers.Allow);
    }

    [Fact]
    public async Task CheckCase_WithAnotherWorkspacesCaseId_AnswersNotFoundAndChangesNothing()
    {
        await using var server = await TestServer.StartAsync();
        var id = await TestCases.SubmitPendingAsync(server.Client(server.AgentKey));
        await using var other = await McpSession.ConnectAsync(server, server.OtherAgentKey);

        var theirs = McpSession.Error(await other.CallAsync("check_case", $$"""{"caseId":"{{id}}"}"""));
        var nobodys = McpSession.Error(await other.CallAsync("check_case", """{"caseId":"cs_0000"}"""));

        Assert.Equal($"No case '{id}' in this workspace.", theirs.GetProperty("error").GetString());
        Assert.Equal("No case 'cs_0000' in this workspace.", nobodys.GetProperty("error").GetString());
        var unchanged = await server.Client(server.ReviewerKey).GetFromJsonAsync<JsonElement>($"/v1/cases/{id}", TestContext.Current.CancellationToken);
        Assert.Equal("pending", unchanged.GetProperty("status").GetString());
    }

    [Fact]
    public async Task RequestApproval_CreatesTheCaseInTheKeysWorkspaceOnly()
    {
        await using var server = await TestServer.StartAsync();
        await using var other = await McpSession.ConnectAsync(server, server.OtherAgentKey);

        var answer = await other.AnswerAsync("request_approval", """{"action":"send_reply","summary":"Opening hours","confidence":0.9}""");

        var id = answer.GetProperty("caseId").GetString();
        using var mine = await server.Client(server.ReviewerKey).GetAsync($"/v1/cases/{id}", TestContext.Current.CancellationToken);
        using var theirs = await server.Client(server.OtherReviewerKey).GetAsync($"/v1/cases/{id}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, mine.StatusCode);
        Assert.Equal(HttpStatusCode.OK, theirs.StatusCode);
    }

    [Theory]
    [InlineData("request_approval", """{"summary":"Refund"}""", "action")]
    [InlineData("request_approval", """{"action":"  ","summary":"Refund"}""", "action")]
    [InlineData("request_approval", """{"action":"issue_refund"}""", "summary")]
    [InlineData("request_approval", """{"action":"issue_refund","summary":"Refund","arguments":"amount=5"}""", "arguments")]
    [InlineData("request_approval", """{"action":"issue_refund","summary":"Refund","arguments":{"a":1,"a":2}}""", "arguments")]
    [InlineData("request_approval", """{"action":"issue_refund","summary":"Refund","confidence":2}""", "confidence")]
    [InlineData("request_approval", """{"action":"issue_refund","summary":"Refund","confidence":"0.9"}""", "confidence")]
    [InlineData("request_approval", """{"action":"issue_refund","summary":"Refund","waitSeconds":51}""", "waitSeconds")]
    [InlineData("request_approval", """{"action":"issue_refund","summary":"Refund","waitSeconds":2.5}""", "waitSeconds")]
    [InlineData("request_approval", """{"action":"issue_refund","summary":"Refund","amount":5}""", "amount")]
    [InlineData("request_approval", """{"action":"issue_refund","summary":"Refund","facts":{"note":"a\u0000b"}}""", "facts.note")]
    [InlineData("request_approval", """{"action":"issue_refund","summary":"Refund","onTimeout":"ignore"}""", "onTimeout")]
    [InlineData("request_approval", """{"action":"issue_refund","summary":"Refund","expiresIn":"soon"}""", "expiresIn")]
    [InlineData("request_approval", """{"action":"issue_refund","summary":"Refund","conversation":[{"role":"customer"}]}""", "conversation[0]")]
    [InlineData("request_approval", """{"action":"issue_refund","summary":"Refund","idempotencyKey":""}""", "idempotencyKey")]
    [InlineData("ask_human", """{"proposedAnswer":"Yes"}""", "question")]
    [InlineData("ask_human", """{"question":"Which courier?","choices":["DHL",""]}""", "choices[1]")]
    [InlineData("ask_human", """{"question":"Open on Sunday?","proposedAnswer":"No","confidence":-1}""", "confidence")]
    [InlineData("ask_human", """{"question":"Open on Sunday?","confidence":0.9}""", "confidence")]
    [InlineData("check_case", """{}""", "caseId")]
    [InlineData("check_case", """{"caseId":"cs_1","waitSeconds":-1}""", "waitSeconds")]
    public async Task Tool_WithBadArguments_AnswersAToolErrorNamingTheArgument(string tool, string arguments, string field)
    {
        await using var server = await TestServer.StartAsync();
        await using var mcp = await McpSession.ConnectAsync(server, server.AgentKey);

        var error = McpSession.Error(await mcp.CallAsync(tool, arguments));

        var errors = error.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages), errors.GetRawText());
        Assert.False(string.IsNullOrWhiteSpace(messages[0].GetString()));
        Assert.DoesNotContain("line", messages[0].GetString(), StringComparison.Ordinal);
        var page = await server.Client(server.ReviewerKey).GetFromJsonAsync<JsonElement>("/v1/cases", TestContext.Current.CancellationToken);
        Assert.Equal(0, page.GetProperty("items").GetArrayLength());
    }

    /// <summary>Posts one JSON-RPC message as an MCP client does, accepting either kind of answer.</summary>
    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string message)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, McpApi.Path)
        {
            Content = new StringContent(message, Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>The JSON-RPC answer in a 200, whether the server sent it as JSON or as the one event of a stream.</summary>
    private static async Task<JsonElement> JsonRpcAnswerAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        var json = response.Content.Headers.ContentType?.MediaType == "text/event-stream"
            ? Assert.Single(body.Split('\n'), l => l.StartsWith("data: ", StringComparison.Ordinal))["data: ".Length..]
            : body;
        return JsonDocument.Parse(json).RootElement.Clone();
    }
}

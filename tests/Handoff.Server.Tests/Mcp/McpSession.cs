using System.Net.Http.Json;
using System.Text.Json;
using Handoff.Server.Mcp;
using Handoff.Server.Tests.Infrastructure;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Handoff.Server.Tests.Mcp;

/// <summary>The official MCP client connected over real HTTP to a test server's <c>/mcp</c> with one key.</summary>
internal sealed class McpSession(TestServer server, McpClient client) : IAsyncDisposable
{
    public McpClient Client { get; } = client;

    public static async Task<McpSession> ConnectAsync(TestServer server, string? key)
    {
        var client = await McpClient.CreateAsync(Transport(server, key), cancellationToken: TestContext.Current.CancellationToken);
        return new McpSession(server, client);
    }

    public static HttpClientTransport Transport(TestServer server, string? key)
    {
        var options = new HttpClientTransportOptions
        {
            Endpoint = new Uri(server.Address, McpApi.Path),
            TransportMode = HttpTransportMode.StreamableHttp,
        };
        if (key is not null)
        {
            options.AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = $"Bearer {key}" };
        }

        return new HttpClientTransport(options);
    }

    /// <summary>Calls the tool; with <paramref name="progress"/>, the call carries a progress token and its notifications go there.</summary>
    public Task<CallToolResult> CallAsync(string tool, string argumentsJson, IProgress<ProgressNotificationValue>? progress = null) =>
        Client.CallToolAsync(tool, Arguments(argumentsJson), progress, cancellationToken: TestContext.Current.CancellationToken).AsTask();

    /// <summary>Calls the tool and returns its answer, failing the test when the call is a tool error.</summary>
    public async Task<JsonElement> AnswerAsync(string tool, string argumentsJson) => Answer(await CallAsync(tool, argumentsJson));

    public static JsonElement Answer(CallToolResult result)
    {
        var text = Text(result);
        Assert.True(result.IsError is not true, text);
        var answer = JsonDocument.Parse(text).RootElement.Clone();
        // The same JSON comes as text (for every client) and as structured content.
        Assert.NotNull(result.StructuredContent);
        Assert.True(JsonElement.DeepEquals(answer, result.StructuredContent.Value));
        return answer;
    }

    public static JsonElement Error(CallToolResult result)
    {
        var text = Text(result);
        Assert.True(result.IsError, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>The id of the one pending case of the workspace, once the tool call has submitted it (bounded).</summary>
    public async Task<string> PendingCaseIdAsync()
    {
        var reviewer = server.Client(server.ReviewerKey);
        for (var i = 0; i < 500; i++)
        {
            var page = await reviewer.GetFromJsonAsync<JsonElement>("/v1/cases?status=pending", TestContext.Current.CancellationToken);
            if (page.GetProperty("items").EnumerateArray().FirstOrDefault() is { ValueKind: JsonValueKind.Object } item)
            {
                return item.GetProperty("id").GetString()!;
            }

            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        Assert.Fail("the tool call submitted no case");
        return "";
    }

    public ValueTask DisposeAsync() => Client.DisposeAsync();

    private static string Text(CallToolResult result)
    {
        var text = Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text;
        // A model reads the text as it is: "person's", not "person\u0027s".
        Assert.DoesNotContain("\\u0027", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u0022", text, StringComparison.Ordinal);
        return text;
    }

    private static Dictionary<string, object?> Arguments(string json) =>
        JsonDocument.Parse(json).RootElement.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone());
}

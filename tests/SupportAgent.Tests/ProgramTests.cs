using System.Net;
using System.Net.Sockets;
using Handoff.Storage;
using Handoff.Tests.Shared;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Handoff.Samples.SupportAgent.Tests;

/// <summary>
/// The sample's command line: it refuses what it cannot use with exit 2, keeps secrets out of its help, and reports
/// each conversation (or why it failed) with no stack trace.
/// </summary>
public sealed class ProgramTests
{
    // Every case may go ahead alone: a conversation the server takes ends at once, with an outcome to print.
    private const string AutoPolicy = """
        defaults:
          confidenceFloor: 0
        rules: []
        """;

    private static readonly Func<string, string?> NoEnvironment = _ => null;

    [Theory]
    [InlineData("--server", "not a url", "--key", "hk_x")]
    [InlineData("--key", "hk_x", "--chat-endpoint", "localhost")]
    [InlineData("--key", " ")]
    [InlineData("--key", "hk_x", "--conversations", "0")]
    [InlineData("--key", "hk_x", "--conversations", "1001")]
    public async Task Main_BadArguments_ExitWithTwo(params string[] args) => Assert.Equal(2, await Program.Main(args));

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("1001")]
    public async Task Run_ConversationsOutOfRange_ExitsWithTwoAndOneLine(string conversations)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await Program.RunAsync(["--key", "hk_x", "--conversations", conversations], NoEnvironment, output, error);

        Assert.Equal(2, exit);
        Assert.Equal("support-agent: --conversations must be from 1 to 1000.", Assert.Single(Lines(error)));
    }

    [Fact]
    public async Task Run_Help_NamesTheVariablesButPrintsNoSecrets()
    {
        var environment = Environment(("HANDOFF_AGENT_KEY", "hk_agent_secret"), ("OPENAI_API_KEY", "sk-openai-secret"));
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await Program.RunAsync(["--help"], environment, output, error);

        Assert.Equal(0, exit);
        var help = output.ToString();
        Assert.DoesNotContain("hk_agent_secret", help, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-openai-secret", help, StringComparison.Ordinal);
        Assert.Contains("HANDOFF_AGENT_KEY", help, StringComparison.Ordinal);
        Assert.Contains("OPENAI_API_KEY", help, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_KeyFromTheEnvironment_IsUsedAfterParsing()
    {
        // Without a key anywhere the run stops at exit 2; with one in the environment it goes on (to a server that is not there).
        using var output = new StringWriter();
        using var error = new StringWriter();
        var args = new[] { "--server", UnreachableServer().ToString(), "--conversations", "1" };

        Assert.Equal(2, await Program.RunAsync(args, NoEnvironment, output, error));
        Assert.Equal(1, await Program.RunAsync(args, Environment(("HANDOFF_AGENT_KEY", "hk_from_environment")), output, error));
    }

    [Fact]
    public async Task Run_ServerUnreachable_FailsEachConversationOnItsOwnLine()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await Program.RunAsync(["--server", UnreachableServer().ToString(), "--key", "hk_x", "--conversations", "3"], NoEnvironment, output, error);

        Assert.Equal(1, exit);
        var lines = Lines(output);
        Assert.Equal(3, lines.Count);
        Assert.All(lines, line => Assert.StartsWith("failed: ", line, StringComparison.Ordinal));
        Assert.Equal("", error.ToString());
    }

    [Fact]
    public async Task Run_KeyRefused_FailsEachConversationWithTheProblemAndNoStackTrace()
    {
        await using var server = await LoopbackHandoff.StartAsync();
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await Program.RunAsync(["--server", server.Address.ToString(), "--key", "hk_not_issued", "--conversations", "2"], NoEnvironment, output, error);

        Assert.Equal(1, exit);
        var lines = Lines(output);
        Assert.Equal(2, lines.Count);
        Assert.All(lines, line => Assert.StartsWith("failed: Handoff answered 401", line, StringComparison.Ordinal));
        Assert.DoesNotContain(" at ", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_SomeConversationsFail_KeepsTheOthersOutcomes()
    {
        // The agent's key works, but the server refuses every other submit: the cases it took are still reported.
        await using var server = await LoopbackHandoff.StartAsync();
        var admin = server.Client(await server.IssueKeyAsync(ApiKeyRole.Admin, "Ada Admin"));
        using (var published = await admin.PutAsync("/v1/policy", new StringContent(AutoPolicy), TestContext.Current.CancellationToken))
        {
            Assert.True(published.IsSuccessStatusCode, await published.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }

        var agentKey = await server.IssueKeyAsync(ApiKeyRole.Agent, "support agent");
        await using var proxy = await RefuseEverySecondSubmitAsync(server.Address);
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await Program.RunAsync(["--server", proxy.Urls.First(), "--key", agentKey, "--conversations", "4"], NoEnvironment, output, error);

        Assert.Equal(1, exit);
        var lines = Lines(output);
        Assert.Equal(4, lines.Count);
        Assert.Equal(2, lines.Count(line => line.StartsWith("failed: Handoff answered 403", StringComparison.Ordinal)));
        Assert.Equal(2, lines.Count(line => line.StartsWith("cs_", StringComparison.Ordinal) && line.Contains("\tAuto\t", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Run_OpenAIKeyInTheEnvironment_IsNotSentToAnotherEndpoint()
    {
        var authorizations = new List<string?>();
        await using var endpoint = await ChatModelDrafterTests.StartChatEndpointAsync(
            """{"intent":"track_order","reply":"It's with the carrier.","confidence":0.5}""",
            (request, _) =>
            {
                lock (authorizations)
                {
                    authorizations.Add(request.Headers.Authorization);
                }
            });
        var environment = Environment(("OPENAI_API_KEY", "sk-openai-secret"));
        string[] args = ["--server", UnreachableServer().ToString(), "--key", "hk_x", "--conversations", "1", "--chat-endpoint", endpoint.Urls.First() + "/v1"];
        using var output = new StringWriter();
        using var error = new StringWriter();

        await Program.RunAsync(args, environment, output, error);
        await Program.RunAsync([.. args, "--chat-key", "sk-given"], environment, output, error);

        Assert.Equal(["Bearer none", "Bearer sk-given"], authorizations);
    }

    [Theory]
    [InlineData("https://api.openai.com/v1", null, "sk-env")]
    [InlineData("https://API.OpenAI.com/v1", null, "sk-env")]
    [InlineData("https://api.openai.com/v1", "sk-given", "sk-given")]
    [InlineData("http://api.openai.com/v1", null, null)]
    [InlineData("https://api.openai.com.example.net/v1", null, null)]
    [InlineData("https://api.openai.com@example.net/v1", null, null)]
    [InlineData("http://localhost:11434/v1", null, null)]
    [InlineData("http://localhost:11434/v1", "sk-given", "sk-given")]
    public void ChatApiKey_Endpoint_TakesTheEnvironmentOnlyForOpenAI(string endpoint, string? given, string? expected) =>
        Assert.Equal(expected, SupportAgentFactory.ChatApiKey(given, new Uri(endpoint), Environment(("OPENAI_API_KEY", "sk-env"))));

    private static Func<string, string?> Environment(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    private static List<string> Lines(StringWriter writer) => [.. writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    /// <summary>
    /// A reverse proxy in front of <paramref name="target"/> that refuses every second submit with a 403 problem, as a
    /// server that turns some cases down would; everything else is passed through as it is.
    /// </summary>
    private static async Task<WebApplication> RefuseEverySecondSubmitAsync(Uri target)
    {
        var proxy = WebApplication.CreateSlimBuilder().Build();
        proxy.Urls.Add("http://127.0.0.1:0");
        var forward = new HttpClient { BaseAddress = target };
        proxy.Lifetime.ApplicationStopped.Register(forward.Dispose);
        var submits = 0;
        proxy.Run(async context =>
        {
            var request = context.Request;
            if (HttpMethods.IsPost(request.Method) && request.Path == "/v1/cases" && Interlocked.Increment(ref submits) % 2 == 0)
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                context.Response.ContentType = "application/problem+json";
                await context.Response.WriteAsync("""{"title":"Forbidden","status":403}""");
                return;
            }

            using var forwarded = new HttpRequestMessage(new HttpMethod(request.Method), request.Path + request.QueryString);
            if (HttpMethods.IsPost(request.Method) || HttpMethods.IsPut(request.Method))
            {
                forwarded.Content = new StreamContent(request.Body);
                forwarded.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
            }

            foreach (var header in new[] { "Authorization", "Idempotency-Key" })
            {
                if (request.Headers.TryGetValue(header, out var value))
                {
                    forwarded.Headers.TryAddWithoutValidation(header, value.ToString());
                }
            }

            using var answered = await forward.SendAsync(forwarded, context.RequestAborted);
            context.Response.StatusCode = (int)answered.StatusCode;
            context.Response.ContentType = answered.Content.Headers.ContentType?.ToString();
            await answered.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
        });
        await proxy.StartAsync(TestContext.Current.CancellationToken);
        return proxy;
    }

    /// <summary>An address on 127.0.0.1 where nothing listens: a port that was free a moment ago.</summary>
    private static Uri UnreachableServer()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}/");
    }
}

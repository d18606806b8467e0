using System.Text.Json.Nodes;
using Handoff.Client;
using Handoff.Samples.SupportAgent.Drafting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;

namespace Handoff.Samples.SupportAgent.Tests;

/// <summary>The agent with a chat model: its words, the playbook's tool call, the facts from the customer's own words.</summary>
public sealed class ChatModelDrafterTests
{
    [Fact]
    public async Task Draft_ModelAnswer_IsProposedInItsWordsWithThePlaybooksToolCall()
    {
        var model = new ScriptedChatClient("""{"intent":"get_refund","reply":"So sorry, Tom! Your refund is on its way.","confidence":0.93}""");
        var drafter = new ChatModelDrafter(model, "scripted");
        var conversation = FactExtractorTests.Conversation("Order B-11872 arrived cracked, I want my €1,450 back");

        var draft = await drafter.DraftAsync(conversation, TestContext.Current.CancellationToken);

        Assert.Equal("So sorry, Tom! Your refund is on its way.", draft.Proposal.Text);
        Assert.Equal(0.93, draft.Proposal.Confidence);
        Assert.Equal("issue_refund", draft.Proposal.Action!.Name);
        Assert.Equal(1450m, draft.Facts.Amount);
        var asked = Assert.Single(model.Calls);
        Assert.Equal(ChatRole.System, asked[0].Role);
        Assert.Contains("get_refund", asked[0].Text, StringComparison.Ordinal);
        Assert.Equal("Order B-11872 arrived cracked, I want my €1,450 back", asked[^1].Text);
    }

    [Theory]
    [InlineData("""{"intent":"make_coffee","reply":"Sure!","confidence":2}""", "Sure!", 1)]
    [InlineData("I'm not sure what you mean.", "I'm not sure what you mean.", 0)]
    public async Task Draft_ModelOffScript_IsAPlainReplyThatAPersonWillSee(string answer, string text, double confidence)
    {
        var drafter = new ChatModelDrafter(new ScriptedChatClient(answer), "scripted");

        var draft = await drafter.DraftAsync(FactExtractorTests.Conversation("hm?"), TestContext.Current.CancellationToken);

        Assert.Equal(CaseKind.Reply, draft.Kind);
        Assert.Equal("unknown", draft.Facts.Intent);
        Assert.Equal(text, draft.Proposal.Text);
        Assert.Equal(confidence, draft.Proposal.Confidence);
        Assert.Null(draft.Proposal.Action);
    }

    [Fact]
    public async Task ChatEndpoint_OpenAICompatibleServer_IsAskedOverHttp()
    {
        // A stand-in for Ollama or any OpenAI-compatible server, on 127.0.0.1: the sample's own wiring, not a mock of it.
        JsonObject? request = null;
        await using var endpoint = WebApplication.CreateSlimBuilder().Build();
        endpoint.Urls.Add("http://127.0.0.1:0");
        endpoint.MapPost("/v1/chat/completions", async (HttpContext context) =>
        {
            request = (await JsonNode.ParseAsync(context.Request.Body))!.AsObject();
            return Results.Json(new
            {
                id = "chatcmpl-1",
                @object = "chat.completion",
                created = 1_764_000_000,
                model = "llama3.2",
                choices = new[]
                {
                    new
                    {
                        index = 0,
                        finish_reason = "stop",
                        message = new { role = "assistant", content = """{"intent":"track_order","reply":"It's with the carrier, Tom.","confidence":0.88}""" },
                    },
                },
                usage = new { prompt_tokens = 10, completion_tokens = 10, total_tokens = 20 },
            });
        });
        await endpoint.StartAsync(TestContext.Current.CancellationToken);
        var address = new Uri(endpoint.Urls.First());
        var options = new SupportAgentOptions { AgentKey = "hk_unused", ChatEndpoint = new Uri(address, "/v1"), ChatModel = "llama3.2" };

        var drafter = SupportAgentFactory.CreateDrafter(options, NullLoggerFactory.Instance);
        var draft = await drafter.DraftAsync(FactExtractorTests.Conversation("where is order A-20931?"), TestContext.Current.CancellationToken);

        Assert.Equal("chat model llama3.2", drafter.Name);
        Assert.Equal("It's with the carrier, Tom.", draft.Proposal.Text);
        Assert.Equal("track_order", draft.Facts.Intent);
        Assert.Equal("A-20931", draft.Facts.OrderId);
        Assert.Equal("llama3.2", (string?)request!["model"]);
    }

    private sealed class ScriptedChatClient(string answer) : IChatClient
    {
        public List<List<ChatMessage>> Calls { get; } = [];

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            Calls.Add([.. messages]);
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, answer)));
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}

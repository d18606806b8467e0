using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Handoff.Client.AI.Tests.Infrastructure;

/// <summary>
/// A model that answers each request with the next scripted message (tool calls, then a final text) and keeps what
/// it was sent, so a test can see which result reached the model for which call id.
/// </summary>
internal sealed class ScriptedChatClient(params ChatMessage[] script) : IChatClient
{
    private readonly Queue<ChatMessage> _script = new(script);
    private readonly List<IReadOnlyList<ChatMessage>> _requests = [];

    /// <summary>The messages of each request the model got, in order.</summary>
    public IReadOnlyList<IReadOnlyList<ChatMessage>> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>The tool results the model was sent in its last request, by call id.</summary>
    public IReadOnlyDictionary<string, string?> LastResults() =>
        Requests[^1].SelectMany(m => m.Contents).OfType<FunctionResultContent>()
            .ToDictionary(r => r.CallId, r => r.Result?.ToString());

    public static ChatMessage Calls(params FunctionCallContent[] calls) => new(ChatRole.Assistant, [.. calls]);

    public static ChatMessage Text(string text) => new(ChatRole.Assistant, text);

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        lock (_requests)
        {
            _requests.Add([.. messages]);
            return Task.FromResult(new ChatResponse(_script.Dequeue()));
        }
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}

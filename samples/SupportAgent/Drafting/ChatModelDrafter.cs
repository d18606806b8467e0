using System.ComponentModel;
using Handoff.Samples.SupportAgent.Classification;
using Microsoft.Extensions.AI;

namespace Handoff.Samples.SupportAgent.Drafting;

/// <summary>
/// The agent with a language model (any <see cref="IChatClient"/>: an OpenAI-compatible endpoint, Ollama, …): the
/// model names the intent, writes the reply in its own words and says how sure it is. The facts still come from
/// <see cref="FactExtractor"/> and the tool call from the playbook, so the model can word things but cannot invent
/// what the policy reads or what the shop does.
/// </summary>
internal sealed class ChatModelDrafter(IChatClient chatClient, string model) : IDrafter
{
    private static readonly string Instructions = $"""
        You are the customer-support assistant of Northwind Home, an online shop for kitchen appliances, coffee
        machines, small furniture and health supplements, shipping in Europe. Read the conversation and answer the
        customer's last message.
        - intent: exactly one of {string.Join(", ", Intents.All)}.
        - reply: the message you would send the customer: short, friendly, concrete; never promise what you cannot see.
        - confidence: from 0 to 1, how sure you are that the intent is right and the reply is what the shop would send.
        """;

    public string Name => $"chat model {model}";

    public async Task<Draft> DraftAsync(Conversation conversation, CancellationToken cancellationToken)
    {
        List<ChatMessage> messages = [new(ChatRole.System, Instructions)];
        messages.AddRange(conversation.Turns.Select(turn => new ChatMessage(turn.Role == Turn.CustomerRole ? ChatRole.User : ChatRole.Assistant, turn.Text)));
        var response = await chatClient.GetResponseAsync<ModelDraft>(messages, new ChatOptions { Temperature = 0 }, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!response.TryGetResult(out var answer) || answer.Reply is not { Length: > 0 })
        {
            // A model that did not follow the format still said something; a person reads it before it is sent.
            var text = response.Text;
            return Playbook.Plan(conversation, FactExtractor.Extract(conversation, "unknown"), 0, reply: text.Length > 0 ? text : null);
        }

        var intent = answer.Intent is { } named && Intents.IsKnown(named) ? named : "unknown";
        var facts = FactExtractor.Extract(conversation, intent);
        return Playbook.Plan(conversation, facts, Math.Clamp(answer.Confidence, 0, 1), reply: answer.Reply);
    }

    [Description("The assistant's draft answer to the customer's last message.")]
    internal sealed record ModelDraft(
        [property: Description("One of the shop's intents.")] string? Intent,
        [property: Description("The reply to send the customer.")] string? Reply,
        [property: Description("How sure, from 0 to 1.")] double Confidence);
}

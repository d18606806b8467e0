using Handoff.Client;

namespace Handoff.Samples.SupportAgent.Shop;

/// <summary>One thing the agent did in a conversation: a message sent, or a tool run.</summary>
public sealed record ShopEffect(string ConversationId, string? Message, ToolCall? Call);

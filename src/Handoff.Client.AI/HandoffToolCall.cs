using Microsoft.Extensions.AI;

namespace Handoff.Client.AI;

/// <summary>A tool call that needs a person's approval, as <see cref="HandoffApprovalOptions.Context"/> sees it.</summary>
/// <param name="Call">The model's call: <c>CallId</c>, <c>Name</c> and <c>Arguments</c>.</param>
/// <param name="Messages">The conversation so far, including the message that holds the call.</param>
/// <param name="Options">The chat options of the request, if any.</param>
public sealed record HandoffToolCall(FunctionCallContent Call, IReadOnlyList<ChatMessage> Messages, ChatOptions? Options);

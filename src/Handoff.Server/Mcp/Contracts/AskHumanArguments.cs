using System.Text.Json;
using Handoff.Server.Api.Contracts;

namespace Handoff.Server.Mcp.Contracts;

/// <summary>The arguments of <c>ask_human</c>: a question, and optionally the answer the agent would give or choices.</summary>
internal sealed record AskHumanArguments(
    string? Question,
    string? ProposedAnswer,
    double? Confidence,
    IReadOnlyList<string?>? Choices,
    JsonElement Facts,
    JsonElement Subject,
    IReadOnlyList<MessageBody?>? Conversation,
    JsonElement ExpiresIn,
    string? OnTimeout,
    string? IdempotencyKey,
    int? WaitSeconds);

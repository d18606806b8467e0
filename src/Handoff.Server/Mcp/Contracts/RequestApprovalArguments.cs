using System.Text.Json;
using Handoff.Server.Api.Contracts;

namespace Handoff.Server.Mcp.Contracts;

/// <summary>The arguments of <c>request_approval</c>: an action with its arguments, and the context a person decides on.</summary>
internal sealed record RequestApprovalArguments(
    string? Action,
    JsonElement Arguments,
    string? Summary,
    string? Text,
    double? Confidence,
    JsonElement Facts,
    JsonElement Subject,
    IReadOnlyList<MessageBody?>? Conversation,
    JsonElement ExpiresIn,
    string? OnTimeout,
    string? IdempotencyKey,
    int? WaitSeconds);

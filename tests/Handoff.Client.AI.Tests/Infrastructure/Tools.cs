using System.Collections.Concurrent;
using Microsoft.Extensions.AI;

namespace Handoff.Client.AI.Tests.Infrastructure;

/// <summary>The agent's tools; each records the calls that actually ran.</summary>
internal sealed class Tools
{
    /// <summary>Each run, as "name(arguments)".</summary>
    public ConcurrentQueue<string> Runs { get; } = new();

    /// <summary>Needs approval: wrapped in <see cref="ApprovalRequiredAIFunction"/>.</summary>
    public AIFunction IssueRefund => new ApprovalRequiredAIFunction(AIFunctionFactory.Create(
        (string orderId, int amount) =>
        {
            Runs.Enqueue($"issue_refund({orderId}, {amount})");
            return $"Refunded {amount} on {orderId}.";
        }, "issue_refund"));

    /// <summary>Needs approval, and fails when it runs (the payment provider is down).</summary>
    public AIFunction IssueRefundFailing => new ApprovalRequiredAIFunction(AIFunctionFactory.Create(
        string (string orderId, int amount) =>
        {
            Runs.Enqueue($"issue_refund({orderId}, {amount})");
            throw new InvalidOperationException("The payment provider is down.");
        }, "issue_refund"));

    /// <summary>A plain function; it needs approval only when the options name it.</summary>
    public AIFunction CloseAccount => AIFunctionFactory.Create(
        (string customerId) =>
        {
            Runs.Enqueue($"close_account({customerId})");
            return $"Closed {customerId}.";
        }, "close_account");

    /// <summary>Needs no approval.</summary>
    public AIFunction LookupOrder => AIFunctionFactory.Create(
        (string orderId) =>
        {
            Runs.Enqueue($"lookup_order({orderId})");
            return $"{orderId}: a kettle, delivered cracked.";
        }, "lookup_order");

    public static FunctionCallContent Refund(string callId, string orderId, int amount) =>
        new(callId, "issue_refund", new Dictionary<string, object?> { ["orderId"] = orderId, ["amount"] = amount });

    public static FunctionCallContent Close(string callId, string customerId) =>
        new(callId, "close_account", new Dictionary<string, object?> { ["customerId"] = customerId });

    public static FunctionCallContent Lookup(string callId, string orderId) =>
        new(callId, "lookup_order", new Dictionary<string, object?> { ["orderId"] = orderId });
}

using System.Text.Json.Nodes;

namespace Handoff.Client.AI;

/// <summary>The agent's context for the case a tool call becomes; every field is optional.</summary>
public sealed record HandoffCaseContext
{
    /// <summary>The case's one-line summary; without it the case is summarised as the tool call.</summary>
    public string? Summary { get; init; }

    /// <summary>Who the case is about (a customer, an account).</summary>
    public JsonObject? Subject { get; init; }

    /// <summary>Facts the policy decides on (amount, topic, …).</summary>
    public JsonObject? Facts { get; init; }

    /// <summary>The agent's confidence in the call, 0–1.</summary>
    public double? Confidence { get; init; }

    /// <summary>A text for the proposal beside the action (what the agent will tell the customer).</summary>
    public string? ProposalText { get; init; }

    /// <summary>The channel the conversation happens on (<c>chat</c>, <c>voice</c>, …).</summary>
    public string? Channel { get; init; }
}

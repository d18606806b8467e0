namespace Handoff.Server.Api.Contracts;

/// <summary>A proposal: draft text and/or a tool call, with the model's confidence in 0..1.</summary>
public sealed record ProposalBody(string? Text, ToolCallBody? Action, double? Confidence);

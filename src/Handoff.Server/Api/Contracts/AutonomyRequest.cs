namespace Handoff.Server.Api.Contracts;

/// <summary>The body of <c>PUT /v1/autonomy</c>: false stops all autonomy (every case goes to a person).</summary>
public sealed record AutonomyRequest(bool? Enabled, string? Reason);

using System.ComponentModel.DataAnnotations;
namespace Handoff.Server.Api.Contracts;

/// <summary>The body of <c>PUT /v1/autonomy</c>: false stops all autonomy (every case goes to a person).</summary>
public sealed record AutonomyRequest([property: Required] bool? Enabled, string? Reason);

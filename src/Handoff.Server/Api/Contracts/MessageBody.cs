using System.ComponentModel.DataAnnotations;
namespace Handoff.Server.Api.Contracts;

/// <summary>One conversation turn: role (customer, agent, …) and text.</summary>
public sealed record MessageBody([property: Required] string? Role, [property: Required] string? Text, DateTimeOffset? At);

using Handoff.Core.Routing;
using Handoff.Server.Api.OpenApi;
using System.ComponentModel.DataAnnotations;
namespace Handoff.Server.Api.Contracts;

/// <summary>The body of <c>PUT /v1/people/{id}/presence</c>.</summary>
/// <param name="Presence">online | away | offline.</param>
public sealed record PresenceBody([property: Required, OneOf(typeof(Presence))] string? Presence);

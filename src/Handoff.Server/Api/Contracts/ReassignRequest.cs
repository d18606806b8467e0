using System.ComponentModel.DataAnnotations;
namespace Handoff.Server.Api.Contracts;

/// <summary>The body of <c>POST /v1/cases/{id}/reassign</c>.</summary>
/// <param name="To">The id of the person (of this workspace) who gets the case.</param>
/// <param name="Note">Why, for the audit log (at most 1,000 characters).</param>
public sealed record ReassignRequest([property: Required] string? To, string? Note);

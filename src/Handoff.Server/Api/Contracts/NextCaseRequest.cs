using System.ComponentModel.DataAnnotations;
namespace Handoff.Server.Api.Contracts;

/// <summary>The body of <c>POST /v1/cases/next</c>.</summary>
/// <param name="Person">The person who takes the case (<c>usr_…</c>, required): keys belong to the workspace, not to a person.</param>
/// <param name="Team">Only this team's cases (one of the person's pull teams); absent for all of them.</param>
public sealed record NextCaseRequest([property: Required] string? Person, string? Team);

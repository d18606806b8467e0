using System.Text.Json;

namespace Handoff.Server.Api.Contracts;

/// <summary>The body of <c>POST /v1/teams</c> and <c>PUT /v1/teams/{name}</c>: every setting of a team (absent ones take their defaults).</summary>
/// <param name="Name">The team's id, a lowercase token (<c>billing</c>); required on POST, and on PUT, if given, the name in the path.</param>
/// <param name="Mode">push (default) | pull.</param>
/// <param name="AcceptTimeout">Seconds as a number, or a duration such as "45s"; 30 s when absent.</param>
/// <param name="IdleClaimTimeout">Seconds or a duration; absent means the server's default.</param>
/// <param name="WorkingHours">Absent or null: around the clock.</param>
public sealed record TeamBody(
    string? Name,
    string? DisplayName,
    string? Mode,
    WorkingHoursBody? WorkingHours,
    JsonElement AcceptTimeout,
    JsonElement IdleClaimTimeout,
    string? OverflowTeam,
    string? SupervisorId);

using System.ComponentModel.DataAnnotations;
namespace Handoff.Server.Api.Contracts;

/// <summary>A team's working hours: an IANA time zone, the week's openings, and dated closures ("2026-12-25").</summary>
public sealed record WorkingHoursBody([property: Required] string? TimeZone, IReadOnlyList<WeeklyHoursBody?>? Week, IReadOnlyList<string?>? Closures);

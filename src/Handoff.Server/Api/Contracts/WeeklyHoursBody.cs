using Handoff.Server.Api.OpenApi;
using System.ComponentModel.DataAnnotations;
namespace Handoff.Server.Api.Contracts;

/// <summary>One opening: a day ("monday") and times "09:00" to "17:30" in the team's zone; a close of "00:00" or "24:00" is midnight.</summary>
public sealed record WeeklyHoursBody([property: Required, OneOf(typeof(DayOfWeek))] string? Day, [property: Required] string? Opens, [property: Required] string? Closes);

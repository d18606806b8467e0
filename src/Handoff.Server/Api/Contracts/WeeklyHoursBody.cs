namespace Handoff.Server.Api.Contracts;

/// <summary>One opening: a day ("monday") and times "09:00" to "17:30" in the team's zone; a close of "00:00" or "24:00" is midnight.</summary>
public sealed record WeeklyHoursBody(string? Day, string? Opens, string? Closes);

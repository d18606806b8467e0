namespace Handoff.Server.Api.Contracts;

/// <summary>One opening of a team's week, as <see cref="WeeklyHoursBody"/> reads it.</summary>
public sealed record WeeklyHoursView(DayOfWeek Day, string Opens, string Closes);

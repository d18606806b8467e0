namespace Handoff.Core.Routing;

/// <summary>
/// One opening of a team's week, in the team's time zone: from <see cref="Opens"/> to <see cref="Closes"/> on
/// <see cref="Day"/>. <see cref="Closes"/> is after <see cref="Opens"/>, except that a close of 00:00 means midnight at
/// the end of that day. A day may have several openings (a lunch break); a day with none is closed.
/// </summary>
public sealed record WeeklyHours(DayOfWeek Day, TimeOnly Opens, TimeOnly Closes);

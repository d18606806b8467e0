using System.Globalization;
using Handoff.Core.Routing;

namespace Handoff.Server.Api.Contracts;

/// <summary>Working hours as the API writes them: the same shape <see cref="WorkingHoursBody"/> reads.</summary>
public sealed record WorkingHoursView(string TimeZone, IReadOnlyList<WeeklyHoursView> Week, IReadOnlyList<string> Closures)
{
    public static WorkingHoursView From(WorkingHours hours) => new(
        hours.TimeZone,
        [.. hours.Week.Select(w => new WeeklyHoursView(w.Day, Time(w.Opens), Time(w.Closes)))],
        [.. hours.Closures.Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))]);

    private static string Time(TimeOnly time) => time.ToString("HH:mm", CultureInfo.InvariantCulture);
}

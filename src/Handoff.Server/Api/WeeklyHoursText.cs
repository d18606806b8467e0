using System.Globalization;
using Handoff.Core.Routing;
using Handoff.Server.Api.Contracts;

namespace Handoff.Server.Api;

/// <summary>
/// Opening hours as people type them, one line each: <c>mon-fri 09:00-17:00</c>, <c>sat 10:00-14:00</c>,
/// <c>mon,wed 08:00-12:00</c>. The CLI's <c>--hours</c> and the dashboard's team form read them; the result goes through
/// <see cref="TeamValidator"/> like any API body, so the times are checked there.
/// </summary>
internal static class WeeklyHoursText
{
    private static readonly string[] DayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    /// <summary>The openings one line describes, or null when it is not of that shape.</summary>
    public static List<WeeklyHoursBody>? Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length != 2 || parts[1].Split('-') is not [var opens, var closes])
        {
            return null;
        }

        var days = new List<DayOfWeek>();
        foreach (var item in parts[0].ToLowerInvariant().Split(','))
        {
            var range = item.Split('-');
            var from = Array.IndexOf(DayNames, range[0]);
            var to = range.Length == 2 ? Array.IndexOf(DayNames, range[1]) : from;
            if (range.Length > 2 || from < 0 || to < 0)
            {
                return null;
            }

            // A range may wrap the week's end: fri-mon.
            for (var d = from; ; d = (d + 1) % 7)
            {
                days.Add((DayOfWeek)d);
                if (d == to)
                {
                    break;
                }
            }
        }

        return [.. days.Select(d => new WeeklyHoursBody(Day(d), opens, closes))];
    }

    /// <summary>The week as lines <see cref="Parse"/> reads back: days with the same hours run together (<c>mon-fri 09:00-17:00</c>).</summary>
    public static IReadOnlyList<string> Format(IReadOnlyList<WeeklyHours> week)
    {
        ArgumentNullException.ThrowIfNull(week);
        var lines = new List<string>();
        foreach (var hours in week.GroupBy(w => (w.Opens, w.Closes)))
        {
            // Monday first, as people read a week.
            var days = hours.Select(w => ((int)w.Day + 6) % 7).Distinct().Order().ToList();
            var runs = new List<string>();
            for (var i = 0; i < days.Count;)
            {
                var j = i;
                while (j + 1 < days.Count && days[j + 1] == days[j] + 1)
                {
                    j++;
                }

                runs.Add(j > i ? $"{Short(days[i])}-{Short(days[j])}" : Short(days[i]));
                i = j + 1;
            }

            lines.Add($"{string.Join(',', runs)} {Time(hours.Key.Opens)}-{(hours.Key.Closes == TimeOnly.MinValue ? "24:00" : Time(hours.Key.Closes))}");
        }

        return lines;
    }

    /// <summary>The day as the API names it (<c>monday</c>).</summary>
    public static string Day(DayOfWeek day) => day.ToString().ToLowerInvariant();

    private static string Short(int mondayFirst) => DayNames[(mondayFirst + 1) % 7];

    private static string Time(TimeOnly time) => time.ToString("HH:mm", CultureInfo.InvariantCulture);
}

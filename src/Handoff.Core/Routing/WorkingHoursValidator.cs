using System.Globalization;

namespace Handoff.Core.Routing;

/// <summary>
/// The rules a <see cref="WorkingHours"/> must follow before a <see cref="WorkingClock"/> can count time in it. The API
/// and the policy validator call it to name the field at fault; <see cref="WorkingClock.For"/> refuses what it rejects.
/// </summary>
public static class WorkingHoursValidator
{
    /// <summary>
    /// The problems with <paramref name="hours"/>, empty when it is valid. Field names are the JSON paths under the
    /// working hours object (<c>timeZone</c>, <c>week[1].closes</c>, <c>closures[0]</c>); pass
    /// <paramref name="prefix"/> (<c>workingHours</c>) to have them rooted where the object sits in a request.
    /// </summary>
    public static IReadOnlyList<RoutingProblem> Validate(WorkingHours hours, string? prefix = null)
    {
        ArgumentNullException.ThrowIfNull(hours);
        var problems = new List<RoutingProblem>();
        string Field(string name) => prefix is null ? name : $"{prefix}.{name}";

        if (string.IsNullOrWhiteSpace(hours.TimeZone))
        {
            problems.Add(new(Field("timeZone"), "is required: an IANA time zone such as Europe/Berlin."));
        }
        else if (!TryFindZone(hours.TimeZone, out var zone))
        {
            problems.Add(new(Field("timeZone"), $"'{hours.TimeZone}' is not a known IANA time zone (such as Europe/Berlin)."));
        }
        else if (!zone.HasIanaId)
        {
            // .NET also resolves Windows ids; the schedule is stored and shown by its IANA name, so ask for that one.
            var iana = TimeZoneInfo.TryConvertWindowsIdToIanaId(zone.Id, out var id) ? $" ('{id}')" : "";
            problems.Add(new(Field("timeZone"), $"'{hours.TimeZone}' is a Windows time zone id; use its IANA id{iana}."));
        }

        if (hours.Week is null)
        {
            problems.Add(new(Field("week"), "is required (an empty list means the team never works)."));
        }
        else
        {
            ValidateWeek(hours.Week, Field, problems);
        }

        if (hours.Closures is null)
        {
            problems.Add(new(Field("closures"), "is required (an empty list when the team has no closures)."));
        }

        return problems;
    }

    internal static bool TryFindZone(string id, out TimeZoneInfo zone)
    {
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            zone = TimeZoneInfo.Utc;
            return false;
        }
    }

    /// <summary>An opening's end as a time of day; a close of 00:00 is midnight at the end of the day.</summary>
    internal static TimeSpan End(WeeklyHours opening) =>
        opening.Closes == TimeOnly.MinValue ? TimeSpan.FromDays(1) : opening.Closes.ToTimeSpan();

    private static void ValidateWeek(IReadOnlyList<WeeklyHours> week, Func<string, string> field, List<RoutingProblem> problems)
    {
        var valid = new List<(int Index, WeeklyHours Opening)>();
        for (var i = 0; i < week.Count; i++)
        {
            var opening = week[i];
            if (opening is null)
            {
                problems.Add(new(field($"week[{i}]"), "is required."));
                continue;
            }

            if (!Enum.IsDefined(opening.Day))
            {
                problems.Add(new(field($"week[{i}].day"), $"'{(int)opening.Day}' is not a day of the week."));
                continue;
            }

            if (End(opening) <= opening.Opens.ToTimeSpan())
            {
                problems.Add(new(field($"week[{i}].closes"),
                    $"must be after opens ({Time(opening.Opens)}), or 00:00 for midnight at the end of the day."));
                continue;
            }

            valid.Add((i, opening));
        }

        // Within a day, sorted by opening time, each opening must end before the next begins; touching is fine.
        valid.Sort((a, b) => a.Opening.Day != b.Opening.Day
            ? a.Opening.Day.CompareTo(b.Opening.Day)
            : a.Opening.Opens.CompareTo(b.Opening.Opens));
        for (var k = 1; k < valid.Count; k++)
        {
            var (previousIndex, previous) = valid[k - 1];
            var (index, opening) = valid[k];
            if (previous.Day == opening.Day && End(previous) > opening.Opens.ToTimeSpan())
            {
                problems.Add(new(field($"week[{index}]"),
                    $"{Describe(opening)} overlaps week[{previousIndex}] ({Describe(previous)})."));
            }
        }
    }

    internal static string Describe(WeeklyHours opening) => $"{opening.Day} {Time(opening.Opens)}–{Time(opening.Closes)}";

    private static string Time(TimeOnly time) => time.ToString("HH:mm", CultureInfo.InvariantCulture);
}

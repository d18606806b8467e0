using System.Globalization;
using System.Text.Json;
using Handoff.Core.Routing;
using Handoff.Server.Api.Contracts;
using Handoff.Storage;

namespace Handoff.Server.Api;

/// <summary>
/// Turns a <see cref="TeamBody"/> into a <see cref="Team"/>, naming each field that is wrong (the dashboard's team form
/// sends its values through the same rules). Whether the overflow team and the supervisor exist is the store's to say,
/// inside the write (<see cref="TeamResultStatus"/>).
/// </summary>
internal static class TeamValidator
{
    public const int MaxDisplayName = 100;
    public const int MaxOpenings = 70;
    public const int MaxClosures = 400;

    /// <summary>The longest accept timeout: an offer is a ring, not a queue.</summary>
    public static readonly TimeSpan MaxAcceptTimeout = TimeSpan.FromHours(1);

    public static (Team? Team, ValidationErrors Errors) Validate(TeamBody body, string workspaceId, string? pathName)
    {
        ArgumentNullException.ThrowIfNull(body);
        var errors = new ValidationErrors();
        var name = pathName ?? body.Name;
        if (pathName is not null && body.Name is not null && body.Name != pathName)
        {
            errors.Add("name", $"The name is the one in the path ('{pathName}'); a team cannot be renamed.");
        }
        else if (name is null)
        {
            errors.Add("name", "Required: the team's id, a lowercase token such as 'billing'.");
        }
        else if (!RoutingNames.IsToken(name))
        {
            errors.Add("name", $"Must be a lowercase token of letters, digits, '-' and '_' (at most {RoutingNames.MaxLength}), such as 'billing' or 'tier-2'.");
        }

        var displayName = body.DisplayName?.Trim();
        if (displayName is { Length: > MaxDisplayName })
        {
            errors.Add("displayName", $"At most {MaxDisplayName} characters.");
        }
        else if (displayName is { Length: 0 })
        {
            errors.Add("displayName", "Must not be blank; leave it out to use the name.");
        }

        var mode = AssignmentMode.Push;
        if (body.Mode is not null && !EnumNames<AssignmentMode>.Values.TryGetValue(body.Mode, out mode))
        {
            errors.Add("mode", $"Must be one of: {EnumNames<AssignmentMode>.Allowed}.");
        }

        var accept = Team.DefaultAcceptTimeout;
        if (body.AcceptTimeout.ValueKind != JsonValueKind.Undefined
            && (!Durations.TryParse(body.AcceptTimeout, out accept) || accept > MaxAcceptTimeout || !WholeMilliseconds(accept)))
        {
            errors.Add("acceptTimeout", "Must be a duration of 1 s to 1 h: seconds as a number, or such as \"45s\" or \"2m\".");
        }

        TimeSpan? idle = null;
        if (body.IdleClaimTimeout.ValueKind != JsonValueKind.Undefined)
        {
            if (Durations.TryParse(body.IdleClaimTimeout, out var parsed) && WholeMilliseconds(parsed))
            {
                idle = parsed;
            }
            else
            {
                errors.Add("idleClaimTimeout", "Must be a duration of 1 s to 365 d: seconds as a number, or such as \"15m\"; leave it out for the server's default.");
            }
        }

        if (body.OverflowTeam is not null && !RoutingNames.IsToken(body.OverflowTeam))
        {
            errors.Add("overflowTeam", "Must be the name of another team of the workspace.");
        }
        else if (body.OverflowTeam is not null && body.OverflowTeam == name)
        {
            errors.Add("overflowTeam", "A team cannot overflow to itself; name another team, or leave it out.");
        }

        if (body.SupervisorId is { Length: 0 })
        {
            errors.Add("supervisorId", "Must be the id of a person of the workspace; leave it out for none.");
        }

        var hours = body.WorkingHours is { } given ? ReadHours(given, errors) : null;
        if (errors.Any)
        {
            return (null, errors);
        }

        return (new Team
        {
            WorkspaceId = workspaceId,
            Name = name!,
            DisplayName = displayName ?? name!,
            Mode = mode,
            WorkingHours = hours,
            AcceptTimeout = accept,
            IdleClaimTimeout = idle,
            OverflowTeam = body.OverflowTeam,
            SupervisorId = body.SupervisorId,
        }, errors);
    }

    private static WorkingHours? ReadHours(WorkingHoursBody body, ValidationErrors errors)
    {
        var valid = true;
        if (string.IsNullOrWhiteSpace(body.TimeZone))
        {
            errors.Add("workingHours.timeZone", "Required: an IANA time zone such as 'Europe/Berlin'.");
            valid = false;
        }
        else if (!IsIanaZone(body.TimeZone))
        {
            errors.Add("workingHours.timeZone", $"'{body.TimeZone}' is not an IANA time zone known to this server (such as 'Europe/Berlin' or 'America/New_York').");
            valid = false;
        }

        var week = new List<WeeklyHours>();
        var openings = body.Week ?? [];
        if (openings.Count > MaxOpenings)
        {
            errors.Add("workingHours.week", $"At most {MaxOpenings} openings.");
            valid = false;
        }

        for (var i = 0; i < openings.Count && i < MaxOpenings; i++)
        {
            var field = $"workingHours.week[{i}]";
            if (openings[i] is not { } opening)
            {
                errors.Add(field, "Must be an object with day, opens and closes.");
                valid = false;
                continue;
            }

            if (opening.Day is null || !EnumNames<DayOfWeek>.Values.TryGetValue(opening.Day, out var day))
            {
                errors.Add($"{field}.day", $"Must be one of: {EnumNames<DayOfWeek>.Allowed}.");
                valid = false;
                continue;
            }

            if (!TryTime(opening.Opens, out var opens) || opening.Opens == "24:00")
            {
                errors.Add($"{field}.opens", "Must be a time of day such as \"09:00\".");
                valid = false;
                continue;
            }

            if (!TryTime(opening.Closes, out var closes))
            {
                errors.Add($"{field}.closes", "Must be a time of day such as \"17:30\" (\"24:00\" for midnight).");
                valid = false;
                continue;
            }

            if (closes <= opens && closes != TimeOnly.MinValue)
            {
                errors.Add($"{field}.closes", "Must be after opens on the same day (\"24:00\" for midnight); split a night shift into two days.");
                valid = false;
                continue;
            }

            week.Add(new WeeklyHours(day, opens, closes));
        }

        if (valid)
        {
            foreach (var day in week.GroupBy(w => w.Day))
            {
                var ordered = day.OrderBy(w => w.Opens).ToList();
                for (var i = 1; i < ordered.Count; i++)
                {
                    if (End(ordered[i - 1]) > ordered[i].Opens.ToTimeSpan())
                    {
                        errors.Add("workingHours.week", $"The openings on {EnumNames<DayOfWeek>.Values.First(v => v.Value == day.Key).Key} overlap.");
                        valid = false;
                    }
                }
            }
        }

        var closures = new List<DateOnly>();
        var dates = body.Closures ?? [];
        if (dates.Count > MaxClosures)
        {
            errors.Add("workingHours.closures", $"At most {MaxClosures} closures.");
            valid = false;
        }

        for (var i = 0; i < dates.Count && i < MaxClosures; i++)
        {
            if (!DateOnly.TryParseExact(dates[i], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                errors.Add($"workingHours.closures[{i}]", "Must be a date such as \"2026-12-25\".");
                valid = false;
            }
            else if (closures.Contains(date))
            {
                errors.Add($"workingHours.closures[{i}]", $"{dates[i]} is listed twice.");
                valid = false;
            }
            else
            {
                closures.Add(date);
            }
        }

        return valid ? new WorkingHours(body.TimeZone!, week, closures) : null;
    }

    private static TimeSpan End(WeeklyHours opening) => opening.Closes == TimeOnly.MinValue ? TimeSpan.FromDays(1) : opening.Closes.ToTimeSpan();

    private static bool TryTime(string? text, out TimeOnly time)
    {
        if (text == "24:00")
        {
            time = TimeOnly.MinValue;
            return true;
        }

        return TimeOnly.TryParseExact(text, ["HH:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out time);
    }

    // Windows ids ("W. Europe Standard Time") are found on Linux too, converted; the API promises IANA ids, and a
    // stored Windows id would not be found on a server whose ICU data lacks the mapping.
    public static bool IsIanaZone(string id) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) && zone.HasIanaId && zone.Id == id;

    private static bool WholeMilliseconds(TimeSpan duration) => duration.Ticks % TimeSpan.TicksPerMillisecond == 0;
}

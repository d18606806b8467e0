using System.Globalization;
using Handoff.Core.Notifications;

namespace Handoff.Server.Dashboard.Settings;

/// <summary>
/// The "My notifications" form as the person fills it in: times as the browser's time fields give them (<c>HH:mm</c>,
/// or empty while unfinished), so that nothing typed can throw. <see cref="Validate"/> turns it into preferences, or
/// says per field what is wrong.
/// </summary>
internal sealed class NotificationSettingsForm
{
    public const string TimeZoneField = "timeZone";
    public const string QuietFromField = "quietFrom";
    public const string QuietToField = "quietTo";
    public const string DigestAtField = "digestAt";

    private static readonly string[] TimeFormats = ["HH:mm", "HH:mm:ss", "HH:mm:ss.fff"];

    public bool Email { get; set; } = true;

    public string TimeZone { get; set; } = "";

    public bool Quiet { get; set; }

    /// <summary>Shown (and kept while quiet hours are off) as evening to morning, the usual choice.</summary>
    public string QuietFrom { get; set; } = "20:00";

    public string QuietTo { get; set; } = "08:00";

    public bool Digest { get; set; }

    public string DigestAt { get; set; } = "08:00";

    /// <summary>The form for stored preferences; a person without a zone gets <paramref name="fallbackZone"/> (their browser's).</summary>
    public static NotificationSettingsForm From(NotificationPreferences preferences, string? fallbackZone)
    {
        ArgumentNullException.ThrowIfNull(preferences);
        var form = new NotificationSettingsForm
        {
            Email = preferences.Email,
            TimeZone = preferences.TimeZone ?? fallbackZone ?? "UTC",
            Quiet = preferences.QuietHours is not null,
            Digest = preferences.Digest,
            DigestAt = Format(preferences.DigestAt),
        };
        if (preferences.QuietHours is { } quiet)
        {
            form.QuietFrom = Format(quiet.From);
            form.QuietTo = Format(quiet.To);
        }

        return form;
    }

    /// <summary>The preferences the form says, or the problems by field (<see cref="TimeZoneField"/>, …); never both.</summary>
    public (NotificationPreferences? Preferences, IReadOnlyDictionary<string, string> Problems) Validate(TimeZoneChoices zones)
    {
        ArgumentNullException.ThrowIfNull(zones);
        var problems = new Dictionary<string, string>(StringComparer.Ordinal);
        var zone = TimeZone?.Trim() ?? "";
        if (zone.Length == 0)
        {
            problems[TimeZoneField] = "Choose your time zone.";
        }
        else if (!zones.IsKnown(zone))
        {
            problems[TimeZoneField] = $"“{zone}” is not a time zone this server knows: choose one from the list.";
        }

        QuietHours? quiet = null;
        if (Quiet)
        {
            var from = Parse(QuietFrom);
            var to = Parse(QuietTo);
            if (from is null)
            {
                problems[QuietFromField] = "Give the time your quiet hours start, such as 20:00.";
            }

            if (to is null)
            {
                problems[QuietToField] = "Give the time your quiet hours end, such as 08:00.";
            }
            else if (from == to)
            {
                problems[QuietToField] = "Quiet hours must end at another time than they start.";
            }

            if (from is { } f && to is { } t && f != t)
            {
                quiet = new QuietHours(f, t);
            }
        }

        var digestAt = Parse(DigestAt);
        if (Digest && digestAt is null)
        {
            problems[DigestAtField] = "Give the time of day for your digest, such as 08:00.";
        }

        if (problems.Count > 0)
        {
            return (null, problems);
        }

        return (new NotificationPreferences
        {
            Email = Email,
            TimeZone = zone,
            QuietHours = quiet,
            Digest = Digest,
            DigestAt = digestAt ?? NotificationPreferences.Default.DigestAt,
        }, problems);
    }

    /// <summary>A time of day as a time field gives it; null for anything else (empty, unfinished, "25:00").</summary>
    public static TimeOnly? Parse(string? value) =>
        TimeOnly.TryParseExact(value?.Trim(), TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time) ? time : null;

    public static string Format(TimeOnly time) => time.ToString("HH:mm", CultureInfo.InvariantCulture);
}

using System.Globalization;

namespace Handoff.Server.Dashboard.Settings;

/// <summary>
/// The IANA time zones a person may choose, as this server's time zone database has them, grouped by region for the
/// select ("Europe" → "Berlin"). The list is read once; a zone is known when the server can read it by its IANA id,
/// also when it is not in the list (an alias such as <c>Europe/Kiev</c> that a browser may report).
/// </summary>
internal sealed class TimeZoneChoices
{
    private static readonly Lazy<TimeZoneChoices> Server = new(() => new TimeZoneChoices(TimeZoneInfo.GetSystemTimeZones()));

    private readonly HashSet<string> _listed;

    public TimeZoneChoices(IEnumerable<TimeZoneInfo> zones)
    {
        ArgumentNullException.ThrowIfNull(zones);
        var iana = zones.Where(static z => z.HasIanaId).ToList();
        _listed = new HashSet<string>(iana.Select(static z => z.Id), StringComparer.Ordinal);
        Zones = [.. iana.OrderBy(static z => Region(z.Id) == "Other" ? 1 : 0).ThenBy(static z => z.Id, StringComparer.Ordinal)];
    }

    /// <summary>The zones of this server's time zone database.</summary>
    public static TimeZoneChoices OfThisServer => Server.Value;

    /// <summary>Every listed zone, by region (regions alphabetically, then zones without one, such as UTC).</summary>
    public IReadOnlyList<TimeZoneInfo> Zones { get; }

    public bool IsListed(string id) => _listed.Contains(id);

    /// <summary>Whether <paramref name="id"/> is an IANA zone this server can read (never throws).</summary>
    public bool IsKnown(string? id) =>
        !string.IsNullOrWhiteSpace(id) && (_listed.Contains(id) || (TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) && zone.HasIanaId));

    /// <summary>The group a zone is shown under: the part before the first slash ("America"), or "Other" (UTC).</summary>
    public static string Region(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var slash = id.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 ? id[..slash] : "Other";
    }

    /// <summary>
    /// How the select shows a zone, with its offset now: "Europe/Berlin (UTC+01:00)", "America/New York (UTC-05:00)".
    /// The whole id, because a closed select does not show the region it is grouped under.
    /// </summary>
    public static string Label(TimeZoneInfo zone, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var place = zone.Id.Replace('_', ' ');
        var offset = zone.GetUtcOffset(now);
        var sign = offset < TimeSpan.Zero ? "-" : "+";
        return string.Create(CultureInfo.InvariantCulture, $"{place} (UTC{sign}{offset.Duration():hh\\:mm})");
    }
}

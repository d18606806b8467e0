using System.Text.Json;
using Handoff.Core;
using Handoff.Core.Notifications;

namespace Handoff.Server.Notifications;

/// <summary>
/// What the bell in a person's dashboard shows for one event: the body of a <c>dashboard</c> delivery, whose target
/// is the person's user id.
/// </summary>
public sealed record DashboardNotice(string EventType, string Headline, string Title, string? CaseId, string Link, DateTimeOffset At)
{
    public static DashboardNotice From(CaseNotice notice) =>
        new(notice.EventType, notice.Headline, notice.Title, notice.CaseId, notice.Link, notice.At);

    public string ToJson() => JsonSerializer.Serialize(this, HandoffJson.Options);

    /// <summary>The notice a delivery's body holds, or null when it is not one.</summary>
    public static DashboardNotice? Read(string body)
    {
        try
        {
            return JsonSerializer.Deserialize<DashboardNotice>(body, HandoffJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

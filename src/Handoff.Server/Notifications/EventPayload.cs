using System.Text.Json;
using Handoff.Core;
using Handoff.Core.Cases;
using Handoff.Server.Api.Contracts;

namespace Handoff.Server.Notifications;

/// <summary>
/// The JSON body of a webhook or callback, in the Standard Webhooks shape: <c>type</c>, <c>timestamp</c> (the event's
/// time) and <c>data</c> — the workspace, the case as the API shows it (for case events), and the audit entry the
/// event comes from, which a receiver can check against the log.
/// </summary>
internal static class EventPayload
{
    public static string Build(OutboxEvent e, HandoffCase? c, DateTimeOffset now)
    {
        using var data = JsonDocument.Parse(e.Entry.Data);
        var entry = e.Entry;
        return JsonSerializer.Serialize(new
        {
            type = e.Type,
            timestamp = entry.At,
            data = new
            {
                workspaceId = entry.WorkspaceId,
                @case = c is null ? null : CaseView.From(c, now),
                audit = new
                {
                    sequence = entry.Sequence,
                    action = entry.Action,
                    at = entry.At,
                    actor = new { kind = entry.ActorKind, id = entry.ActorId, name = entry.ActorName },
                    subject = entry.Subject,
                    data = data.RootElement,
                },
            },
        }, HandoffJson.Options);
    }
}

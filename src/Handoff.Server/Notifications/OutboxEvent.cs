using Handoff.Core.Audit;
using Handoff.Core.Cases;

namespace Handoff.Server.Notifications;

/// <summary>
/// One event the dispatcher fans out: its stable id and type, the audit entry it comes from, and (for case events)
/// the case, read once and only when a route needs it.
/// </summary>
internal sealed class OutboxEvent(string id, string type, AuditEntry entry, Func<CancellationToken, Task<HandoffCase?>> readCase)
{
    private Task<HandoffCase?>? _case;

    /// <summary><c>evt_{sequence}_{n}</c>: the entry's place in the log, and which of its events this is.</summary>
    public string Id { get; } = id;
    public string Type { get; } = type;
    public AuditEntry Entry { get; } = entry;
    public string WorkspaceId => Entry.WorkspaceId;

    /// <summary>The case the event is about, as it is now (shortly after the event); null for workspace events.</summary>
    public Task<HandoffCase?> CaseAsync(CancellationToken cancellationToken) => _case ??= readCase(cancellationToken);
}

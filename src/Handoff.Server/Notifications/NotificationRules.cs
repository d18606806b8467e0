using System.Text.Json;
using Handoff.Core;
using Handoff.Core.Cases;
using Handoff.Core.Notifications;
using Handoff.Storage;

namespace Handoff.Server.Notifications;

/// <summary>A workspace's notification rules, kept as its <c>notifications</c> integration; the defaults until an admin sets some.</summary>
internal sealed class NotificationRules(IHandoffStore store)
{
    public const string Kind = "notifications";

    public async Task<IReadOnlyList<NotificationRule>> GetAsync(string workspaceId, CancellationToken cancellationToken) =>
        await store.GetIntegrationAsync(workspaceId, Kind, cancellationToken).ConfigureAwait(false) is { } json
            ? JsonSerializer.Deserialize<Stored>(json, HandoffJson.Options)?.Rules ?? NotificationRule.Defaults
            : NotificationRule.Defaults;

    /// <summary>Replaces the rules (null: back to the defaults); audited with their count.</summary>
    public Task SetAsync(string workspaceId, IReadOnlyList<NotificationRule>? rules, Actor actor, CancellationToken cancellationToken) =>
        store.SetIntegrationAsync(
            workspaceId, Kind, rules is null ? null : JsonSerializer.Serialize(new Stored(rules), HandoffJson.Options),
            rules is null ? "notification rules back to the defaults" : $"{rules.Count} notification rules", actor, cancellationToken: cancellationToken);

    private sealed record Stored(IReadOnlyList<NotificationRule> Rules);
}

using Handoff.Core.Cases;
using Handoff.Core.Notifications;
using Handoff.Storage;
using Handoff.Storage.Outbox;
using Microsoft.Extensions.Options;

namespace Handoff.Server.Notifications;

/// <summary>
/// The workspace-level default rule of a chat integration (Slack, Teams): every event about a case whose type the
/// workspace's settings (the <paramref name="kind"/> integration) list becomes one message, rendered from the case as
/// it is when dispatched.
/// </summary>
internal abstract class IntegrationRoute<TSettings>(IHandoffStore store, IOptions<HandoffServerOptions> options, string kind) : IEventRoute
    where TSettings : class
{
    // Read once per workspace per dispatch batch; the dispatcher calls one route at a time, so no lock.
    private readonly Dictionary<string, TSettings?> _settings = new(StringComparer.Ordinal);

    public Task PrepareAsync(CancellationToken cancellationToken)
    {
        _settings.Clear();
        return Task.CompletedTask;
    }

    public async Task RouteAsync(OutboxEvent e, List<NewDelivery> into, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(into);
        if (!EventMap.IsAboutACase(e.Type)
            || await SettingsAsync(e.WorkspaceId, cancellationToken).ConfigureAwait(false) is not { } settings
            || !Wants(settings, e.Type)
            || await e.CaseAsync(cancellationToken).ConfigureAwait(false) is not { } c)
        {
            return;
        }

        var notice = CaseNotices.From(e.Type, c, options.Value.Notifications.CaseLink(c.Id), e.Entry.At);
        into.Add(Message(e, c, notice, settings));
    }

    /// <summary>The stored settings, or null when the workspace has none.</summary>
    protected abstract TSettings? Parse(string? json);

    protected abstract bool Wants(TSettings settings, string eventType);

    /// <summary>The delivery that carries <paramref name="notice"/> of <paramref name="c"/>.</summary>
    protected abstract NewDelivery Message(OutboxEvent e, HandoffCase c, CaseNotice notice, TSettings settings);

    private async Task<TSettings?> SettingsAsync(string workspaceId, CancellationToken cancellationToken)
    {
        if (!_settings.TryGetValue(workspaceId, out var settings))
        {
            settings = Parse(await store.GetIntegrationAsync(workspaceId, kind, cancellationToken).ConfigureAwait(false));
            _settings[workspaceId] = settings;
        }

        return settings;
    }
}

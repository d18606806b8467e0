using System.Text.Json;
using Handoff.Core;
using Handoff.Core.Cases;
using Handoff.Storage;
using Handoff.Storage.Outbox;

namespace Handoff.Server.Notifications;

/// <summary>
/// The secrets that sign what is posted to cases' <c>callbackUrl</c>: one set per workspace, kept as the
/// <c>callback</c> integration, made on first use (once, however many nodes ask at the same time).
/// </summary>
internal sealed class CallbackSecrets(IHandoffStore store, TimeProvider time)
{
    public const string Kind = "callback";

    public async Task<IReadOnlyList<WebhookSecretEntry>> GetOrCreateAsync(string workspaceId, CancellationToken cancellationToken)
    {
        if (await store.GetIntegrationAsync(workspaceId, Kind, cancellationToken).ConfigureAwait(false) is { } stored)
        {
            return Read(stored);
        }

        var created = Write([new WebhookSecretEntry(WebhookSecrets.Generate(), time.GetUtcNow())]);
        var kept = await store.SetIntegrationAsync(workspaceId, Kind, created, "callback signing secret created", Actor.System, replace: false, cancellationToken)
            .ConfigureAwait(false);
        return Read(kept!);
    }

    public async Task<IReadOnlyList<WebhookSecretEntry>> RotateAsync(string workspaceId, TimeSpan overlap, Actor actor, CancellationToken cancellationToken)
    {
        var current = await GetOrCreateAsync(workspaceId, cancellationToken).ConfigureAwait(false);
        var rotated = WebhookSecrets.Rotate(current, time.GetUtcNow(), overlap);
        await store.SetIntegrationAsync(workspaceId, Kind, Write(rotated), "callback signing secret rotated", actor, cancellationToken: cancellationToken).ConfigureAwait(false);
        return rotated;
    }

    private static IReadOnlyList<WebhookSecretEntry> Read(string json) =>
        JsonSerializer.Deserialize<WebhookSecretEntry[]>(json, HandoffJson.Options) ?? [];

    private static string Write(IReadOnlyList<WebhookSecretEntry> secrets) => JsonSerializer.Serialize(secrets, HandoffJson.Options);
}

using Handoff.Core.Notifications.Webhooks;
using Handoff.Storage.Outbox;

namespace Handoff.Server.Notifications;

/// <summary>Making and rotating the <c>whsec_</c> secrets that sign webhooks and callbacks.</summary>
internal static class WebhookSecrets
{
    /// <summary>How long a rotated-out secret keeps signing, unless the rotation says otherwise.</summary>
    public static readonly TimeSpan DefaultOverlap = TimeSpan.FromDays(1);

    /// <summary>A new secret: <c>whsec_</c> and 32 random bytes in base64, as Standard Webhooks has it.</summary>
    public static string Generate() => WebhookSecret.Generate().Text;

    /// <summary>
    /// A new secret first; those still in force keep signing until <paramref name="now"/> + <paramref name="overlap"/>
    /// (or their own earlier end); those already ended are dropped.
    /// </summary>
    public static IReadOnlyList<WebhookSecretEntry> Rotate(IReadOnlyList<WebhookSecretEntry> secrets, DateTimeOffset now, TimeSpan overlap)
    {
        var until = now + overlap;
        return
        [
            new WebhookSecretEntry(Generate(), now),
            .. secrets.Where(s => s.InForceAt(now))
                .Select(s => s with { ExpiresAt = s.ExpiresAt is { } end && end < until ? end : until })
                .Where(s => s.ExpiresAt > now),
        ];
    }
}

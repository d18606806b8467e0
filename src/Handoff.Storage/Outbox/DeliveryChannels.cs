namespace Handoff.Storage.Outbox;

/// <summary>The channels messages leave through (<see cref="Delivery.Channel"/>).</summary>
public static class DeliveryChannels
{
    /// <summary>A workspace's webhook endpoint; the target is the endpoint's id.</summary>
    public const string Webhook = "webhook";
    /// <summary>A case's own <c>callbackUrl</c>, told of its decision; the target is the URL.</summary>
    public const string Callback = "callback";
    public const string Slack = "slack";
    public const string Teams = "teams";
    /// <summary>E-mail; the target is the address.</summary>
    public const string Email = "email";
}

/// <summary>Which failed deliveries to send again: one (<see cref="DeliveryId"/>), or all of a channel or target, created since a time.</summary>
public sealed record DeliveryReplay(string? DeliveryId = null, string? Channel = null, string? Target = null, DateTimeOffset? Since = null);

using Handoff.Core.Notifications.Webhooks;

namespace Handoff.Server.Notifications.Webhooks;

/// <summary>How webhooks and callbacks are sent. Bound from <c>Handoff:Webhooks</c>; validated on start.</summary>
public sealed class WebhookOptions
{
    /// <summary>The configuration section these options are read from.</summary>
    public const string Section = "Handoff:Webhooks";

    /// <summary>
    /// Address ranges (CIDR, or single addresses) webhooks may reach besides public addresses: <c>127.0.0.0/8</c> to
    /// post to a receiver on the same machine, <c>10.20.0.0/16</c> for the operator's own network. Every address a
    /// URL's host resolves to is checked at each connection, so a name that later points inside is refused too.
    /// A cloud metadata address is allowed only when listed alone (<c>169.254.169.254/32</c>).
    /// <value>The default value is empty: public addresses only.</value>
    /// </summary>
    public List<string> AllowedNetworks { get; set; } = [];

    /// <summary>
    /// The most one attempt may take, connecting and reading the answer included; the spec recommends 15 to 30 s.
    /// <value>The default value is 15 s.</value>
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// The most of an answer's body that is read (the rest is dropped with the connection); its first
    /// <see cref="WebhookSender.MaxExcerptLength"/> characters go to the delivery log. <value>The default value is 64 KiB.</value>
    /// </summary>
    public int MaxResponseBytes { get; set; } = 64 * 1024;

    /// <summary>The address policy <see cref="AllowedNetworks"/> describes.</summary>
    internal WebhookAddressPolicy AddressPolicy() => WebhookAddressPolicy.Parse(AllowedNetworks);

    internal void Validate()
    {
        if (!WebhookAddressPolicy.TryParse(AllowedNetworks, out _, out var error))
        {
            throw new InvalidOperationException($"{Section}:AllowedNetworks: {error}");
        }

        if (Timeout <= TimeSpan.Zero || Timeout > TimeSpan.FromMinutes(5))
        {
            throw new InvalidOperationException($"{Section}:Timeout must be more than zero and at most 5 minutes (it is {Timeout}).");
        }

        if (MaxResponseBytes < 1024)
        {
            throw new InvalidOperationException($"{Section}:MaxResponseBytes must be at least 1024 (it is {MaxResponseBytes}).");
        }
    }
}

using Handoff.Server.Dashboard.Shared;
using Handoff.Storage.Outbox;

namespace Handoff.Server.Dashboard.Settings;

/// <summary>How the webhook pages say where an endpoint stands: enabled or disabled (by whom, why, when), and its health.</summary>
internal static class EndpointStatus
{
    /// <summary>
    /// The reason an admin's disabling leaves starts so (the API writes "disabled by an admin", the dashboard "disabled
    /// by" and the person's name); any other reason is Handoff's own (410 Gone, failing for days), set by the delivery
    /// worker. The audit log has the actor either way.
    /// </summary>
    public const string ByPersonPrefix = "disabled by ";

    /// <summary>"Enabled", "Disabled by Handoff: the endpoint answered 410 Gone", "Disabled by Ada Admin".</summary>
    public static string State(WebhookEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (endpoint.Enabled)
        {
            return "Enabled";
        }

        return endpoint.DisabledReason switch
        {
            null or "" => "Disabled",
            var reason when reason.StartsWith(ByPersonPrefix, StringComparison.Ordinal) => "Disabled by " + reason[ByPersonPrefix.Length..],
            var reason => "Disabled by Handoff: " + reason,
        };
    }

    /// <summary>When it was disabled: "since 10:42 UTC"; empty while enabled.</summary>
    public static string Since(WebhookEndpoint endpoint, DateTimeOffset now) =>
        endpoint.DisabledAt is { } at ? $"since {Show.Moment(at, now)}" : "";

    /// <summary>"Failing since 10:42 UTC", or null while every attempt since the last delivered one succeeded.</summary>
    public static string? Health(WebhookEndpoint endpoint, DateTimeOffset now) =>
        endpoint.FailingSince is { } since ? $"Failing since {Show.Moment(since, now)}" : null;
}

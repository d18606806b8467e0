using System.Net;
using System.Text;
using Handoff.Storage;
using Handoff.Storage.Outbox;

namespace Handoff.Server.Notifications.Teams;

/// <summary>
/// Sends the outbox's Teams cards: posts each message (an Adaptive Card, see <c>TeamsCards</c>) to the workspace's
/// webhook URL as it is when sent. Workflows answer 202 and legacy incoming webhooks 200; a refusal (4xx) is permanent,
/// throttling (429, or the legacy 200 that says so) and server errors are tried again. Never throws for the webhook's
/// fault. Thread-safe.
/// </summary>
internal sealed class TeamsChannel(IHandoffStore store, IHttpClientFactory clients, TimeProvider time) : IDeliveryChannel
{
    /// <summary>The name of the HttpClient this takes from the factory (15 s timeout, no redirects).</summary>
    public const string HttpClientName = "handoff.teams";

    private const int ExcerptLength = 300;

    public string Channel => DeliveryChannels.Teams;

    public async Task<DeliveryOutcome> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var settings = TeamsSettings.Parse(await store.GetIntegrationAsync(message.WorkspaceId, TeamsSettings.Kind, cancellationToken).ConfigureAwait(false));
        if (settings is null)
        {
            return DeliveryOutcome.Failed("Microsoft Teams is no longer set up for this workspace", TimeSpan.Zero, permanent: true);
        }

        var started = time.GetTimestamp();
        try
        {
            using var content = new StringContent(message.Body, Encoding.UTF8, "application/json");
            using var response = await clients.CreateClient(HttpClientName).PostAsync(new Uri(settings.WebhookUrl), content, cancellationToken).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            var latency = time.GetElapsedTime(started);
            var status = (int)response.StatusCode;
            var excerpt = text.Length <= ExcerptLength ? text : text[..ExcerptLength];
            // Legacy connectors report throttling in a 200's body.
            if (response.StatusCode == HttpStatusCode.TooManyRequests || text.Contains("HTTP error 429", StringComparison.Ordinal))
            {
                return new DeliveryOutcome(false, status, latency, excerpt, "throttled by Microsoft Teams", RetryAfter: response.Headers.RetryAfter?.Delta);
            }

            return response.IsSuccessStatusCode
                ? DeliveryOutcome.Ok(status, latency, excerpt)
                : DeliveryOutcome.Failed($"Microsoft Teams answered HTTP {status}", latency, status, excerpt, permanent: status < 500);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return DeliveryOutcome.Failed("timed out", time.GetElapsedTime(started));
        }
        catch (HttpRequestException e)
        {
            return DeliveryOutcome.Failed($"could not reach Microsoft Teams: {e.Message}", time.GetElapsedTime(started));
        }
    }
}

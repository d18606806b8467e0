using Handoff.Core.Notifications;
using Handoff.Storage;
using Handoff.Storage.Outbox;

namespace Handoff.Server.Notifications.Slack;

/// <summary>
/// Sends the outbox's Slack messages with the workspace's settings as they are when sent. Bot mode posts to the
/// target channel with <c>chat.postMessage</c> and records <c>{channel}:{ts}</c> as the message's reference; a
/// <c>case.decided</c> message about a case already posted there replaces that post (<c>chat.update</c>) instead of
/// adding one. Incoming-webhook mode posts to the webhook. A refusal by Slack is an outcome, never an exception.
/// </summary>
internal sealed class SlackChannel(IHandoffStore store, SlackApi slack) : IDeliveryChannel
{
    public string Channel => DeliveryChannels.Slack;

    public async Task<DeliveryOutcome> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var settings = SlackSettings.Parse(await store.GetIntegrationAsync(message.WorkspaceId, SlackSettings.Kind, cancellationToken).ConfigureAwait(false));
        if (settings is null)
        {
            return DeliveryOutcome.Failed("Slack is no longer set up for this workspace", TimeSpan.Zero, permanent: true);
        }

        if (message.Target == SlackSettings.WebhookTarget)
        {
            return settings.IncomingWebhookUrl is { } url
                ? (await slack.PostToUrlAsync(new Uri(url), message.Body, cancellationToken).ConfigureAwait(false)).ToOutcome()
                : DeliveryOutcome.Failed("Slack is now set up in bot mode, without an incoming webhook", TimeSpan.Zero, permanent: true);
        }

        if (!settings.IsBot)
        {
            return DeliveryOutcome.Failed("Slack is now set up with an incoming webhook, without a bot token", TimeSpan.Zero, permanent: true);
        }

        if (message.EventType == EventTypes.CaseDecided && message.CaseId is { } caseId
            && await store.GetDeliveryReferenceAsync(message.WorkspaceId, caseId, DeliveryChannels.Slack, message.Target, cancellationToken).ConfigureAwait(false) is { } reference
            && SlackReference.TryParse(reference, out var postedIn, out var ts))
        {
            var updated = await slack.UpdateMessageAsync(settings, postedIn, ts, message.Body, cancellationToken).ConfigureAwait(false);
            // A post that was deleted (or is too old to edit) is told anew; any other failure is this attempt's.
            if (updated.Ok || updated.Error is not ("message_not_found" or "cant_update_message" or "edit_window_closed"))
            {
                return updated.ToOutcome(updated.Ok ? reference : null);
            }
        }

        var posted = await slack.PostMessageAsync(settings, message.Target, message.Body, cancellationToken).ConfigureAwait(false);
        return posted.Ok && posted.Text("channel") is { } channel && posted.Text("ts") is { } postedTs
            ? posted.ToOutcome(SlackReference.Format(channel, postedTs))
            : posted.ToOutcome();
    }
}

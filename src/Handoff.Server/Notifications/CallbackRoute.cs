using Handoff.Core.Notifications;
using Handoff.Storage.Outbox;

namespace Handoff.Server.Notifications;

/// <summary>A case submitted with a <c>callbackUrl</c> has its decision posted there (<c>case.decided</c>, whoever or whatever decided).</summary>
internal sealed class CallbackRoute(TimeProvider time) : IEventRoute
{
    public Task PrepareAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task RouteAsync(OutboxEvent e, List<NewDelivery> into, CancellationToken cancellationToken)
    {
        if (e.Type != EventTypes.CaseDecided || await e.CaseAsync(cancellationToken).ConfigureAwait(false) is not { CallbackUrl: { } url } c)
        {
            return;
        }

        into.Add(new NewDelivery(e.Id, e.Type, e.WorkspaceId, c.Id, DeliveryChannels.Callback, url, EventPayload.Build(e, c, time.GetUtcNow())));
    }
}

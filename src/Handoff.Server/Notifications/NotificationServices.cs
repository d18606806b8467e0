using Microsoft.Extensions.DependencyInjection;

namespace Handoff.Server.Notifications;

internal static class NotificationServices
{
    /// <summary>The outbox: the dispatcher with its routes, the delivery worker with its channels, and what the API needs.</summary>
    public static IServiceCollection AddHandoffNotifications(this IServiceCollection services)
    {
        services.AddSingleton<DeliverySignal>();
        services.AddSingleton<PersonSignal>();
        services.AddSingleton<IDeliveryChannel, DashboardChannel>();
        services.AddSingleton<CallbackSecrets>();
        services.AddSingleton<NotificationRules>();
        services.AddSingleton<IEventRoute, WebhookRoute>();
        services.AddSingleton<IEventRoute, CallbackRoute>();
        services.AddHostedService<OutboxDispatcher>();
        return services;
    }
}

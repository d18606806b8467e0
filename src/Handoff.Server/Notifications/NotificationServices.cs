using Handoff.Server.Notifications.Email;
using Handoff.Server.Notifications.Webhooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Handoff.Server.Notifications;

internal static class NotificationServices
{
    /// <summary>The outbox: the dispatcher with its routes, the delivery worker with its channels, and what the API needs.</summary>
    public static IServiceCollection AddHandoffNotifications(this IServiceCollection services, IConfiguration configuration, NotificationOptions options)
    {
        services.AddHandoffWebhooks(configuration);
        services.AddHandoffEmail(configuration);
        services.AddSingleton<IDeliveryChannel, WebhookChannel>();
        services.AddSingleton<IDeliveryChannel, CallbackChannel>();
        services.AddSingleton<DeliverySignal>();
        services.AddSingleton<PersonSignal>();
        services.AddSingleton<IDeliveryChannel, DashboardChannel>();
        services.AddSingleton<CallbackSecrets>();
        services.AddSingleton<NotificationRules>();
        services.AddSingleton<IEventRoute, WebhookRoute>();
        services.AddSingleton<IEventRoute, CallbackRoute>();
        services.AddSingleton<IEventRoute, PeopleRoute>();
        services.AddHostedService<OutboxDispatcher>();
        services.AddHostedService<DigestWorker>();
        if (options.Deliver)
        {
            services.AddHostedService<DeliveryWorker>();
        }

        return services;
    }
}

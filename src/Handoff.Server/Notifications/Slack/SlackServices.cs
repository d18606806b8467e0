using Microsoft.Extensions.DependencyInjection;

namespace Handoff.Server.Notifications.Slack;

public static class SlackServices
{
    /// <summary>
    /// Slack: the route (the workspace's default rule), the delivery channel, the Web API client and deciding from
    /// Slack. Map the endpoints with <see cref="SlackIntegrationApi.MapSlackApi"/>.
    /// </summary>
    public static IServiceCollection AddHandoffSlack(this IServiceCollection services)
    {
        // No redirects: a webhook URL that answers with one is not followed to wherever it points. No logging
        // handlers either: they would write incoming-webhook URLs, which are secrets, to the log.
        services.AddHttpClient(SlackApi.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(10))
            .ConfigurePrimaryHttpMessageHandler(static () => new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            .RemoveAllLoggers();
        services.AddSingleton<SlackApi>();
        services.AddSingleton<SlackInteractions>();
        services.AddSingleton<IDeliveryChannel, SlackChannel>();
        services.AddSingleton<IEventRoute, SlackRoute>();
        return services;
    }
}

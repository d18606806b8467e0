using Microsoft.Extensions.DependencyInjection;

namespace Handoff.Server.Notifications.Teams;

public static class TeamsServices
{
    /// <summary>
    /// Microsoft Teams: the route (the workspace's default rule) and the delivery channel. Map the settings endpoints
    /// with <see cref="TeamsIntegrationApi.MapTeamsIntegrationApi"/>.
    /// </summary>
    public static IServiceCollection AddHandoffTeams(this IServiceCollection services)
    {
        // No redirects, and no logging handlers: they would write the webhook URL, a secret, to the log.
        services.AddHttpClient(TeamsChannel.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(15))
            .ConfigurePrimaryHttpMessageHandler(static () => new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            .RemoveAllLoggers();
        services.AddSingleton<IDeliveryChannel, TeamsChannel>();
        services.AddSingleton<IEventRoute, TeamsRoute>();
        return services;
    }
}

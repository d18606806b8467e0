using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Handoff.Server.Notifications.Webhooks;

internal static class WebhookServiceCollectionExtensions
{
    /// <summary>
    /// The webhook sender, with its options read from <see cref="WebhookOptions.Section"/> of
    /// <paramref name="configuration"/> and checked now, so that a bad allowed network stops the server at start.
    /// </summary>
    public static IServiceCollection AddHandoffWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new WebhookOptions();
        configuration.GetSection(WebhookOptions.Section).Bind(options);
        options.Validate();
        services.AddSingleton(Options.Create(options));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<WebhookSender>();
        return services;
    }
}

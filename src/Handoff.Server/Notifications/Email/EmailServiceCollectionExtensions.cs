using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Handoff.Server.Notifications.Email;

public static class EmailServiceCollectionExtensions
{
    /// <summary>
    /// The e-mail channel: <see cref="SmtpOptions"/> bound from <c>Handoff:Smtp</c> in <paramref name="configuration"/> and
    /// validated on start, the <c>email</c> <see cref="IDeliveryChannel"/>, and what composes the mails. Without
    /// <c>Handoff:Smtp:Host</c> the server starts all the same, and gives up e-mail deliveries as not configured.
    /// Calling it twice registers the channel once.
    /// </summary>
    public static IServiceCollection AddHandoffEmail(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<SmtpOptions>().Bind(configuration.GetSection(SmtpOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SmtpOptions>, SmtpOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDeliveryChannel, EmailChannel>());
        services.TryAddSingleton<EmailComposer>();
        services.TryAddSingleton<IEmailComposer>(sp => sp.GetRequiredService<EmailComposer>());
        return services;
    }
}

using Handoff.Client;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="HandoffClient"/> with dependency injection.</summary>
public static class HandoffClientServiceCollectionExtensions
{
    /// <summary>The name of the HttpClient that <see cref="HandoffClient"/> gets from <see cref="System.Net.Http.IHttpClientFactory"/>.</summary>
    public const string HttpClientName = "Handoff";

    /// <summary>
    /// Registers <see cref="HandoffClient"/> as a typed client of <see cref="System.Net.Http.IHttpClientFactory"/>,
    /// configured by <paramref name="configure"/> (checked when the first client is made, and on host start). The
    /// client uses the container's <see cref="TimeProvider"/> and logging when there are any.
    /// </summary>
    /// <returns>The HttpClient's builder, to add handlers or change its primary handler.</returns>
    public static IHttpClientBuilder AddHandoffClient(this IServiceCollection services, Action<HandoffClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<HandoffClientOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HandoffClientOptions>, HandoffClientOptionsValidator>());
        return services
            // The client times every request itself; a long-poll outlasts HttpClient's default 100 seconds.
            .AddHttpClient(HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan)
            .AddTypedClient((http, provider) => new HandoffClient(
                http,
                provider.GetRequiredService<IOptions<HandoffClientOptions>>().Value,
                provider.GetService<TimeProvider>(),
                provider.GetService<ILogger<HandoffClient>>()));
    }

    private sealed class HandoffClientOptionsValidator : IValidateOptions<HandoffClientOptions>
    {
        public ValidateOptionsResult Validate(string? name, HandoffClientOptions options) =>
            options.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }
}

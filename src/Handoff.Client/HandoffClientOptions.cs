namespace Handoff.Client;

/// <summary>Where the Handoff server is, the key to use, and how patiently to wait and retry. Checked when the client is made.</summary>
public sealed class HandoffClientOptions
{
    /// <summary>
    /// The server, such as <c>http://127.0.0.1:5080/</c>; a path is kept (<c>https://host/handoff/</c>).
    /// <value>The default value is null: the <see cref="HttpClient.BaseAddress"/> of the client's HttpClient, which must then be set.</value>
    /// </summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>
    /// The API key (<c>hk_…</c>), sent as <c>Authorization: Bearer</c> on every request. Submitting needs an agent key.
    /// <value>The default value is null: no header is added (for an HttpClient that adds its own).</value>
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// How long one long-poll asks the server to hold a request (<c>?wait=</c>, whole seconds, 1 to 300); a wait for a
    /// decision renews it for as long as it takes.
    /// <value>The default value is 60 seconds.</value>
    /// </summary>
    public TimeSpan LongPollWait { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long one request may take before it counts as failed and is retried; a long-poll gets this on top of its wait.
    /// <value>The default value is 30 seconds.</value>
    /// </summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The first pause before a retry; each further retry doubles it, up to <see cref="RetryMaxDelay"/>, and a random
    /// part of up to half of it is taken off so that many clients do not come back at once.
    /// <value>The default value is 1 second.</value>
    /// </summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest pause between retries (a server's <c>Retry-After</c> is capped to it too). <value>The default value is 30 seconds.</value></summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How many times a single call (submit, get) tries before it gives up and throws what the last try met. Waiting
    /// for a decision and following events retry for as long as the cancellation token allows.
    /// <value>The default value is 5.</value>
    /// </summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>What is wrong with these options, or null when they can be used.</summary>
    internal string? Problem(HttpClient? httpClient = null)
    {
        if (BaseAddress is null && httpClient?.BaseAddress is null)
        {
            return "HandoffClientOptions.BaseAddress is required (the server, such as http://127.0.0.1:5080/).";
        }

        if (BaseAddress is { IsAbsoluteUri: false })
        {
            return "HandoffClientOptions.BaseAddress must be an absolute URI.";
        }

        if (ApiKey is not null && (ApiKey.Length == 0 || ApiKey.Any(char.IsWhiteSpace)))
        {
            return "HandoffClientOptions.ApiKey must not be empty or contain white space.";
        }

        if (LongPollWait < TimeSpan.FromSeconds(1) || LongPollWait > TimeSpan.FromSeconds(300))
        {
            return "HandoffClientOptions.LongPollWait must be from 1 to 300 seconds.";
        }

        if (RequestTimeout <= TimeSpan.Zero || RetryBaseDelay <= TimeSpan.Zero || RetryMaxDelay < RetryBaseDelay)
        {
            return "HandoffClientOptions: RequestTimeout and RetryBaseDelay must be positive, and RetryMaxDelay at least RetryBaseDelay.";
        }

        return MaxAttempts < 1 ? "HandoffClientOptions.MaxAttempts must be at least 1." : null;
    }
}

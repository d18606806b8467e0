using Microsoft.Extensions.Options;

namespace Handoff.Server.Auth;

/// <summary>
/// The limits on guessing secrets, from <see cref="HandoffServerOptions"/>: passwords at the dashboard's sign-in, and
/// API keys at the API. Each counts per client address (see <see cref="ClientAddress"/>), so a stranger who runs out
/// slows only themselves and never locks anybody else out.
/// </summary>
internal sealed class GuessLimits(IOptions<HandoffServerOptions> options) : IDisposable
{
    /// <summary>Sign-ins, right or wrong, for one account from one address.</summary>
    public AttemptLimiter SignInsPerAccount { get; } = new(options.Value.SignInAttemptsPerAccount, options.Value.SignInWindow);

    /// <summary>Wrong passwords (any account, known or not) from one address.</summary>
    public AttemptLimiter FailedSignInsPerAddress { get; } = new(options.Value.FailedSignInsPerAddress, options.Value.SignInWindow);

    /// <summary>Unknown or revoked API keys from one address.</summary>
    public AttemptLimiter FailedKeysPerAddress { get; } = new(options.Value.FailedKeyChecksPerAddress, options.Value.FailedKeyCheckWindow);

    public void Dispose()
    {
        SignInsPerAccount.Dispose();
        FailedSignInsPerAddress.Dispose();
        FailedKeysPerAddress.Dispose();
    }
}

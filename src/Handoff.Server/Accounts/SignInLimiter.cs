using Handoff.Server.Auth;

namespace Handoff.Server.Accounts;

/// <summary>
/// The dashboard's sign-in with the limits on guessing (<see cref="GuessLimits"/>) around the password check: a few
/// tries per account from each client address, and a few more wrong passwords per address in all. An address past
/// either limit is refused before its password is looked at, even a right one; nobody else is.
/// </summary>
internal sealed partial class SignInLimiter(AccountService accounts, GuessLimits limits, ILogger<SignInLimiter> logger)
{
    // Longer input is no email (AccountService refuses more than 254 characters), and keeps partition keys small.
    private const int MaxEmailLength = 254;

    public async Task<SignInAttempt> SignInAsync(string email, string password, string clientAddress, CancellationToken cancellationToken)
    {
        var normalized = email.Trim().ToUpperInvariant();
        var account = $"{clientAddress} {normalized[..Math.Min(normalized.Length, MaxEmailLength)]}";

        // The account's try is taken up front, so parallel guesses get no more than sequential ones; the address's
        // count of wrong passwords can only be known after the check, and a burst may overshoot it by its width.
        if ((limits.FailedSignInsPerAddress.RetryAfter(clientAddress) ?? limits.SignInsPerAccount.Take(account)) is { } wait)
        {
            LogRefused(logger, clientAddress, wait);
            return new SignInAttempt(null, SignInFailure.TooManyAttempts, wait);
        }

        var attempt = await accounts.SignInAsync(email, password, cancellationToken).ConfigureAwait(false);
        if (attempt.Failure == SignInFailure.WrongCredentials)
        {
            limits.FailedSignInsPerAddress.Take(clientAddress);
        }

        return attempt;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in refused for {Address}: too many tries, wait {Wait}")]
    private static partial void LogRefused(ILogger logger, string address, TimeSpan wait);
}

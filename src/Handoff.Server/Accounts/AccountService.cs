using Handoff.Core.Cases;
using Handoff.Storage;
using Microsoft.AspNetCore.Identity;

namespace Handoff.Server.Accounts;

/// <summary>
/// Dashboard accounts: passwords hashed with ASP.NET Core's <see cref="PasswordHasher{TUser}"/> (PBKDF2). How often
/// anyone may guess is <see cref="SignInLimiter"/>'s business: no number of wrong passwords locks an account, since a
/// lock anybody could set would lock its owner out.
/// </summary>
internal sealed partial class AccountService(IHandoffStore store, ILogger<AccountService> logger)
{
    public const int MinPasswordLength = 10;

    private static readonly PasswordHasher<User> Hasher = new();

    /// <remarks>
    /// Whether an account is disabled is told only to someone who knows its password; every other failure is
    /// <see cref="SignInFailure.WrongCredentials"/>, and a password hash is checked even for an unknown email.
    /// </remarks>
    public async Task<SignInAttempt> SignInAsync(string email, string password, CancellationToken cancellationToken)
    {
        // No email holds a control character (Validate refuses them), and PostgreSQL cannot even be asked about NUL.
        var user = email.Any(char.IsControl) ? null : await store.FindUserByEmailAsync(email.Trim(), cancellationToken).ConfigureAwait(false);
        if (user is null)
        {
            Hasher.HashPassword(null!, password);
            return new SignInAttempt(null, SignInFailure.WrongCredentials);
        }

        var verified = Hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (verified == PasswordVerificationResult.Failed)
        {
            LogFailed(logger, user.Email);
            return new SignInAttempt(null, SignInFailure.WrongCredentials);
        }

        if (user.DisabledAt is not null)
        {
            return new SignInAttempt(null, SignInFailure.Disabled);
        }

        if (verified == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user = await store.UpdateUserAsync(user.WorkspaceId, user.Id, new UserChanges { PasswordHash = Hasher.HashPassword(user, password) },
                Actor.System, cancellationToken).ConfigureAwait(false) ?? user;
        }

        return new SignInAttempt(user, null);
    }

    /// <summary>Adds an account, or says why not: a problem with the input, or an email already in use (null user).</summary>
    public async Task<(User? User, string? Problem)> AddAsync(NewAccount account, Actor actor, bool first, CancellationToken cancellationToken)
    {
        if (Validate(account) is { } problem)
        {
            return (null, problem);
        }

        var newUser = new NewUser(account.WorkspaceId, account.Email.Trim(), account.Name.Trim(), account.Role,
            Teams(account.Teams),
            Hasher.HashPassword(null!, account.Password));
        var added = first
            ? await store.AddFirstUserAsync(newUser, actor, cancellationToken).ConfigureAwait(false)
            : await store.AddUserAsync(newUser, actor, cancellationToken).ConfigureAwait(false);
        return added is null
            ? (null, first ? "An account already exists; sign in instead." : $"{newUser.Email} already has an account.")
            : (added, null);
    }

    public Task<User?> SetPasswordAsync(User user, string password, Actor actor, CancellationToken cancellationToken) =>
        store.UpdateUserAsync(user.WorkspaceId, user.Id, new UserChanges { PasswordHash = Hasher.HashPassword(user, password) }, actor, cancellationToken);

    /// <summary>Team names as stored: trimmed, no blanks, each once.</summary>
    public static List<string> Teams(IEnumerable<string> names) =>
        [.. names.Select(t => t.Trim()).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal)];

    public static string? ValidatePassword(string? password) =>
        password is null || password.Length < MinPasswordLength ? $"The password must have at least {MinPasswordLength} characters." : null;

    private static string? Validate(NewAccount account)
    {
        var email = account.Email.Trim();
        if (email.Length is 0 or > 254 || email.IndexOf('@', StringComparison.Ordinal) is <= 0 || email.EndsWith('@') || email.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return "The email must look like name@example.com.";
        }

        if (string.IsNullOrWhiteSpace(account.Name) || account.Name.Trim().Length > 100 || account.Name.Any(char.IsControl))
        {
            return "The name must have 1 to 100 characters, none of them control characters.";
        }

        return ValidatePassword(account.Password);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Failed sign-in for {Email}")]
    private static partial void LogFailed(ILogger logger, string email);

}

/// <summary>What a person fills in to get an account.</summary>
internal sealed record NewAccount(string WorkspaceId, string Email, string Name, UserRole Role, IReadOnlyList<string> Teams, string Password);

internal enum SignInFailure
{
    WrongCredentials,
    Disabled,

    /// <summary>Too many tries from the client's address: refused before the password was looked at.</summary>
    TooManyAttempts,
}

/// <summary>A sign-in's outcome: the person, or why not (and, when there were too many tries, how long to wait).</summary>
internal sealed record SignInAttempt(User? User, SignInFailure? Failure, TimeSpan? RetryAfter = null);

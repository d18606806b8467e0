using System.Security.Cryptography;
using Handoff.Storage;

namespace Handoff.Server.Accounts;

/// <summary>
/// The one way to create an account without signing in: on a server with no accounts at all, a random token made at
/// start and printed on the console. The page it opens creates the first admin; the store refuses a first admin
/// once any account exists, so the link dies with its first use even when two people race for it.
/// </summary>
internal sealed class SetupLink(IHandoffStore store)
{
    // Not hex, so no token ever equals it.
    private const string Retired = "retired";
    private string? _token;

    /// <summary>The token when the server has no accounts yet (made once per process), else null.</summary>
    public async Task<string?> TokenIfNeededAsync(CancellationToken cancellationToken)
    {
        if (await store.CountUsersAsync(cancellationToken).ConfigureAwait(false) > 0)
        {
            return null;
        }

        var fresh = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var token = Interlocked.CompareExchange(ref _token, fresh, null) ?? fresh;
        return token == Retired ? null : token;
    }

    /// <summary>Ends the link once it has made the first admin.</summary>
    public void Retire() => Volatile.Write(ref _token, Retired);

    public bool Accepts(string? token) =>
        token is not null && Volatile.Read(ref _token) is { } expected && expected != Retired
        && CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(token), System.Text.Encoding.UTF8.GetBytes(expected));
}

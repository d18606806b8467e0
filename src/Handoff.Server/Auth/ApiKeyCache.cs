using System.Collections.Concurrent;
using Handoff.Storage;

namespace Handoff.Server.Auth;

/// <summary>
/// Remembers keys found recently so the hot path does not hash-and-query on every request. Only hits are cached:
/// a key created a moment ago by <c>handoff keys create</c> (another process) is found on its first use.
/// </summary>
internal sealed class ApiKeyCache(IHandoffStore store, TimeProvider time)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, (ApiKey Key, DateTimeOffset Until)> _found = new(StringComparer.Ordinal);

    public async ValueTask<ApiKey?> FindAsync(string secret, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_found.TryGetValue(secret, out var hit) && hit.Until > now)
        {
            return hit.Key;
        }

        var key = await store.FindApiKeyByHashAsync(ApiKeys.Hash(secret), cancellationToken).ConfigureAwait(false);
        if (key is null)
        {
            _found.TryRemove(secret, out _);
            return null;
        }

        _found[secret] = (key, now + Lifetime);
        return key;
    }
}

using System.Collections.Concurrent;
using Handoff.Core.Cases;
using Handoff.Storage;

namespace Handoff.Server.Auth;

/// <summary>
/// Remembers keys found recently so the hot path does not hash-and-query on every request. Only hits are cached:
/// a key created a moment ago by <c>handoff keys create</c> (another process) is found on its first use.
/// A key revoked through <see cref="RevokeAsync"/> stops working on this node at once, and on the other nodes as soon as
/// the relay's signal arrives (<see cref="Refuse"/>); one revoked by another process without a relay (the
/// CLI) works here until its cached hit runs out, at most <see cref="Lifetime"/> later.
/// </summary>
internal sealed class ApiKeyCache(IHandoffStore store, TimeProvider time)
{
    private Action<string>? _relay;

    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, (ApiKey Key, DateTimeOffset Until)> _found = new(StringComparer.Ordinal);

    // Ids of the keys revoked through this cache. Checked on every hit rather than evicting entries, because a lookup
    // that read the key from the store just before the revocation committed could otherwise cache it again afterwards.
    // It only grows by one id per revocation, which is rare.
    private readonly ConcurrentDictionary<string, bool> _revoked = new(StringComparer.Ordinal);

    public async ValueTask<ApiKey?> FindAsync(string secret, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_found.TryGetValue(secret, out var hit) && hit.Until > now)
        {
            return _revoked.ContainsKey(hit.Key.Id) ? null : hit.Key;
        }

        var key = await store.FindApiKeyByHashAsync(ApiKeys.Hash(secret), cancellationToken).ConfigureAwait(false);
        if (key is null || _revoked.ContainsKey(key.Id))
        {
            _found.TryRemove(secret, out _);
            return null;
        }

        _found[secret] = (key, now + Lifetime);
        return key;
    }

    /// <summary>Revokes a key of the workspace (see <see cref="IHandoffStore.RevokeApiKeyAsync"/>) and refuses it from now on.</summary>
    public async Task<bool> RevokeAsync(string workspaceId, string keyId, Actor actor, CancellationToken cancellationToken)
    {
        var revoked = await store.RevokeApiKeyAsync(workspaceId, keyId, actor, cancellationToken).ConfigureAwait(false);
        if (revoked)
        {
            Refuse(keyId);
            _relay?.Invoke(keyId);
        }

        return revoked;
    }

    /// <summary>Passes every later revocation through this cache on to <paramref name="publish"/> (the key's id). One relay per cache.</summary>
    public void AttachRelay(Action<string> publish)
    {
        ArgumentNullException.ThrowIfNull(publish);
        if (Interlocked.CompareExchange(ref _relay, publish, null) is not null)
        {
            throw new InvalidOperationException("A relay is attached already.");
        }
    }

    /// <summary>Forgets every cached hit, so each key is looked up again: after revocations may have gone unheard.</summary>
    public void ForgetAll() => _found.Clear();

    /// <summary>The key was revoked, here or on another node: refuse it from now on.</summary>
    public void Refuse(string keyId)
    {
        _revoked[keyId] = true;
        foreach (var (secret, entry) in _found)
        {
            if (entry.Key.Id == keyId)
            {
                _found.TryRemove(secret, out _);
            }
        }
    }
}

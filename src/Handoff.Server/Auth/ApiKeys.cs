using System.Security.Cryptography;
using System.Text;
using Handoff.Core.Cases;
using Handoff.Storage;

namespace Handoff.Server.Auth;

/// <summary>API key secrets: made from 32 random bytes, stored only as their SHA-256.</summary>
public static class ApiKeys
{
    private const string Prefix = "hk_";

    public static string NewSecret() => Prefix + Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string secret) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>
    /// Creates a key in the named workspace (creating the workspace if needed) and returns its secret, which is
    /// not stored anywhere: show it once.
    /// </summary>
    public static async Task<string> IssueAsync(
        IHandoffStore store, string workspaceName, ApiKeyRole role, string? name, Actor actor, TimeProvider time, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        var workspace = await store.EnsureWorkspaceAsync(workspaceName, actor, cancellationToken).ConfigureAwait(false);
        return await IssueInAsync(store, workspace.Id, role, name, actor, time, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Creates a key in the workspace with this id and returns its secret, which is not stored anywhere: show it once.</summary>
    public static async Task<string> IssueInAsync(
        IHandoffStore store, string workspaceId, ApiKeyRole role, string? name, Actor actor, TimeProvider time, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        var secret = NewSecret();
        var keyName = string.IsNullOrWhiteSpace(name) ? $"{role.ToString().ToLowerInvariant()} key" : name;
        await store.AddApiKeyAsync(new NewApiKey(workspaceId, keyName, role, Hash(secret), time.GetUtcNow()), actor, cancellationToken).ConfigureAwait(false);
        return secret;
    }

    private static string Base64UrlEncode(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

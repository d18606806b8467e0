using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Handoff.Client;

/// <summary>
/// The digest a decision binds to: lowercase hex SHA-256 of the UTF-8 bytes of a proposal's canonical JSON, as
/// docs/api.md ("Verifying the digests") defines it. Computed here from what the client sends, never taken from the
/// server, so that a decision can be checked against the proposal it claims to be about. Thread safe.
/// </summary>
public static class ProposalDigest
{
    /// <summary>The digest of a proposal (or of a decision's result); a missing proposal hashes as <c>null</c>.</summary>
    public static string Compute(Proposal? proposal) =>
        Compute(JsonSerializer.SerializeToElement(proposal, ClientJson.Options));

    /// <summary>The digest of a proposal already in JSON form (an object, or null).</summary>
    internal static string Compute(JsonElement proposal)
    {
        var canonical = new StringBuilder();
        CanonicalJson.Write(proposal, canonical);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())));
    }
}

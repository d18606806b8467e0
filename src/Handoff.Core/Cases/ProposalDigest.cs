using System.Security.Cryptography;
using System.Text.Json;

namespace Handoff.Core.Cases;

/// <summary>
/// The digest a <see cref="Decision"/> binds to: lowercase hex SHA-256 of the proposal serialized with
/// <see cref="HandoffJson.Options"/> (no proposal hashes the text <c>null</c>). The agent recomputes it over what it
/// is about to execute to check that this is what was approved.
/// </summary>
public static class ProposalDigest
{
    public static string Compute(Proposal? proposal)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(proposal, HandoffJson.Options);
        return Convert.ToHexStringLower(SHA256.HashData(json));
    }
}

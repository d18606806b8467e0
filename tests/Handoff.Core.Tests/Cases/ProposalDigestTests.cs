using System.Text.Json;
using Handoff.Core.Cases;

namespace Handoff.Core.Tests.Cases;

public sealed class ProposalDigestTests
{
    [Fact]
    public void Compute_MatchesTheCanonicalJsonOtherLanguagesWrite()
    {
        // Expected value from Python: json.dumps(p, sort_keys=True, separators=(",", ":"), ensure_ascii=False),
        // with null members dropped, then SHA-256 of its UTF-8 bytes.
        var arguments = JsonDocument.Parse("""{"b":1450,"a":0.5,"nested":{"z":null,"y":[1,2.25]}}""").RootElement.Clone();
        var proposal = new Proposal("It's <ok> & \"fine\" — ü\n", new ToolCall("refund", arguments), 0.9);

        Assert.Equal("fca5275b28087c2319e17ba0ea610d1bff9b5833259698c569ebc5b2bdfa0853", ProposalDigest.Compute(proposal));
    }

    [Fact]
    public void Compute_IgnoresArgumentOrder_ButNotArgumentValues()
    {
        var a = new Proposal("x", new ToolCall("t", JsonDocument.Parse("""{"a":1,"b":2}""").RootElement.Clone()), null);
        var b = new Proposal("x", new ToolCall("t", JsonDocument.Parse("""{"b":2,"a":1}""").RootElement.Clone()), null);
        var c = new Proposal("x", new ToolCall("t", JsonDocument.Parse("""{"b":3,"a":1}""").RootElement.Clone()), null);

        Assert.Equal(ProposalDigest.Compute(a), ProposalDigest.Compute(b));
        Assert.NotEqual(ProposalDigest.Compute(a), ProposalDigest.Compute(c));
    }

    [Fact]
    public void Compute_OfNoProposal_IsTheDigestOfNull() =>
        Assert.Equal("74234e98afe7498fb5daf1f36ac2d78acc339464f950703b8c019892f982b90b", ProposalDigest.Compute(null));
}

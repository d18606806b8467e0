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
    public void Compute_TreatsKeysThatDifferOnlyInCaseAsTwoKeys()
    {
        var both = new Proposal("x", new ToolCall("t", JsonDocument.Parse("""{"a":1,"A":2}""").RootElement.Clone()), null);
        var swapped = new Proposal("x", new ToolCall("t", JsonDocument.Parse("""{"a":2,"A":1}""").RootElement.Clone()), null);

        Assert.NotEqual(ProposalDigest.Compute(both), ProposalDigest.Compute(swapped));
    }

    [Theory]
    [InlineData("0.0", "0")]
    [InlineData("-0.0", "0")]
    [InlineData("1.0", "1")]
    [InlineData("1450.0", "1450")]
    [InlineData("0.5", "0.5")]
    [InlineData("-2.25", "-2.25")]
    [InlineData("9007199254740993.0", "9007199254740992")]
    [InlineData("1e20", "100000000000000000000")]
    [InlineData("1e21", "1e+21")]
    [InlineData("0.000001", "0.000001")]
    [InlineData("1e-7", "1e-7")]
    [InlineData("123e-20", "1.23e-18")]
    [InlineData("4.5e300", "4.5e+300")]
    [InlineData("333333333.33333329", "333333333.3333333")]
    [InlineData("1e23", "1e+23")]
    [InlineData("5e-324", "5e-324")]
    [InlineData("1.7976931348623157e308", "1.7976931348623157e+308")]
    public void EcmaNumber_WritesNumbersAsRfc8785Prescribes(string literal, string expected) =>
        Assert.Equal(expected, ProposalDigest.EcmaNumber(double.Parse(literal, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void Compute_OfNoProposal_IsTheDigestOfNull() =>
        Assert.Equal("74234e98afe7498fb5daf1f36ac2d78acc339464f950703b8c019892f982b90b", ProposalDigest.Compute(null));
}

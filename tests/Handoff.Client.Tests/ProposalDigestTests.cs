using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;

namespace Handoff.Client.Tests;

public sealed class ProposalDigestTests
{
    [Fact]
    public void Compute_MatchesTheDigestsInTheApiGuide()
    {
        var refund = new Proposal
        {
            Text = "I have issued a full refund of 1450 EUR.",
            Action = new ToolCall("issue_refund", new JsonObject { ["orderId"] = "B-11872", ["amount"] = 1450 }),
            Confidence = 0.88,
        };

        Assert.Equal("d71e16b8fc56a124cfef0e495485d43bdcb0b4a9ceea840c8a74495c8454a163", ProposalDigest.Compute(refund));
        Assert.Equal("637ed52293c38dbcb217a902a2a79c6f1f2f12246671ac7b27c46ec49911f3e7", ProposalDigest.Compute(new Proposal { Text = "We open at 9.", Confidence = 0.97 }));
    }

    [Fact]
    public void AProposalRead_WithKeysThatDifferOnlyInCase_KeepsBothKeys()
    {
        // The server writes exact names, and JSON keys are case-sensitive: reading must not fold "a" and "A" into
        // one key (a folded JsonObject throws when enumerated).
        var proposal = JsonSerializer.Deserialize<Proposal>("""{"action":{"name":"t","arguments":{"a":1,"A":2}}}""", ClientJson.Options)!;

        Assert.Equal(["a", "A"], proposal.Action!.Arguments!.Select(p => p.Key));
    }

    [Fact]
    public void Compute_EscapesOnlyWhatJsonRequires_SortsKeys_AndDropsNulls()
    {
        // The value Python's json.dumps(p, sort_keys=True, separators=(",", ":"), ensure_ascii=False) hashes to.
        var arguments = JsonNode.Parse("""{"b":1450,"a":0.5,"nested":{"z":null,"y":[1,2.25]}}""")!.AsObject();
        var proposal = new Proposal { Text = "It's <ok> & \"fine\" — ü\n", Action = new ToolCall("refund", arguments), Confidence = 0.9 };

        Assert.Equal("fca5275b28087c2319e17ba0ea610d1bff9b5833259698c569ebc5b2bdfa0853", ProposalDigest.Compute(proposal));
    }

    [Fact]
    public void Compute_OfNoProposal_IsTheDigestOfNull() =>
        Assert.Equal("74234e98afe7498fb5daf1f36ac2d78acc339464f950703b8c019892f982b90b", ProposalDigest.Compute(null));

    [Fact]
    public void Compute_IgnoresHowNumbersAndKeysWereWritten_ButNotTheirValues()
    {
        static string Of(string arguments) =>
            ProposalDigest.Compute(new Proposal { Action = new ToolCall("t", JsonNode.Parse(arguments)!.AsObject()) });

        Assert.Equal(Of("""{"a":1,"b":100}"""), Of("""{"b":1.0e2,"a":1.0}"""));
        Assert.NotEqual(Of("""{"a":1,"b":100}"""), Of("""{"a":1,"b":101}"""));
    }

    [Theory]
    [InlineData("0.0", "0")]
    [InlineData("-0.0", "0")]
    [InlineData("1.0", "1")]
    [InlineData("1450.0", "1450")]
    [InlineData("0.5", "0.5")]
    [InlineData("-2.25", "-2.25")]
    [InlineData("0.001", "0.001")]
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
    public void Number_WritesNumbersAsRfc8785Prescribes(string literal, string expected) =>
        Assert.Equal(expected, CanonicalJson.Number(double.Parse(literal, CultureInfo.InvariantCulture)));

    [Fact]
    public void Compute_AgreesWithTheServer_ForAnyProposal()
    {
        // The server's own ProposalDigest (Handoff.Core, which the SDK must not reference) is the oracle here.
        Proposals.Sample(json =>
        {
            var client = ProposalDigest.Compute(JsonSerializer.Deserialize<Proposal>(json, ClientJson.Options));
            var server = Core.Cases.ProposalDigest.Compute(JsonSerializer.Deserialize<Core.Cases.Proposal>(json, Core.HandoffJson.Options));
            return client == server;
        }, iter: 2000);
    }

    /// <summary>Proposals as JSON text: any text (controls, quotes, non-ASCII, astral), nested arguments, any finite double.</summary>
    private static readonly Gen<string> Proposals = BuildProposals();

    private static Gen<string> BuildProposals()
    {
        var text = Gen.String[Gen.Char.Where(c => !char.IsSurrogate(c)), 0, 12]
            .Select(Gen.String[Gen.Char['\u0000', '\u007f'], 0, 6], Gen.Const("😀"), (a, b, c) => a + b + c);
        var number = Gen.OneOf(
            Gen.Double.Where(double.IsFinite),
            Gen.Int.Select(i => (double)i),
            Gen.Int[-1000, 1000].Select(i => i / 100.0),
            Gen.Int[-30, 30].Select(e => Math.Pow(10, e)));
        var leaf = Gen.OneOf(
            text.Select(s => (JsonNode?)JsonValue.Create(s)),
            number.Select(d => (JsonNode?)JsonValue.Create(d)),
            Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b)),
            Gen.Const((JsonNode?)null));
        var inner = Gen.Dictionary(text, leaf)[0, 4].Select(d => (JsonNode?)new JsonObject(d));
        var arguments = Gen.Dictionary(text, Gen.OneOf(leaf, inner, leaf.Array[0, 3].Select(a => (JsonNode?)new JsonArray(a))))[0, 5]
            .Select(d => new JsonObject(d));
        var confidence = Gen.OneOf(Gen.Double[0, 1].Select(d => (double?)d), Gen.Const((double?)null));
        return Gen.Select(text, text, arguments, confidence, Gen.Int[0, 3], (t, name, args, c, shape) =>
        {
            var proposal = new JsonObject();
            if (shape != 1)
            {
                proposal["text"] = t;
            }

            if (shape != 0)
            {
                proposal["action"] = new JsonObject { ["name"] = "t" + name, ["arguments"] = args };
            }

            proposal["confidence"] = c;
            return proposal.ToJsonString();
        });
    }
}

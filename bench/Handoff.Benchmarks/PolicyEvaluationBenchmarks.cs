using System.Globalization;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Handoff.Core.Cases;
using Handoff.Core.Policy;

namespace Handoff.Benchmarks;

/// <summary>
/// What one case costs the policy engine: the built-in policy on a case that goes through alone and on one
/// that trips <c>mentions</c> (which builds the text corpus), and a 50-rule policy mixing every operator.
/// </summary>
[MemoryDiagnoser]
public class PolicyEvaluationBenchmarks
{
    private CompiledPolicy _builtIn = null!;
    private CompiledPolicy _large = null!;
    private CaseContent _autoCase = null!;
    private CaseContent _medicalCase = null!;
    private CaseContent _typicalCase = null!;

    [GlobalSetup]
    public void Setup()
    {
        _builtIn = Compile(BuiltInPolicy.Yaml);
        _large = Compile(LargePolicy(50));
        _autoCase = new CaseContent
        {
            Kind = CaseKind.Reply,
            Summary = "Customer asks where their parcel is",
            Channel = "email",
            Facts = Json("""{"orderId": "A-1001", "amount": 42.5, "topic": "shipping"}"""),
            Subject = Json("""{"id": "c-17", "returning": false}"""),
            Conversation = [new Message("customer", "Hi, where is my parcel? It has been a week.")],
            Proposal = new Proposal("It left our warehouse yesterday and arrives on Friday.", null, 0.92),
        };
        _medicalCase = _autoCase with
        {
            Summary = "Customer asks about a medication",
            Facts = Json("""{"orderId": "A-1002", "amount": 18, "topic": "pharmacy"}"""),
            Conversation =
            [
                new Message("customer", "Hello, I ordered the allergy tablets last week."),
                new Message("agent", "Thanks, how can I help with the order?"),
                new Message("customer", "Can I take them with my other prescription, or should I ask my doctor first?"),
            ],
            Proposal = new Proposal("These tablets are generally safe to combine with most medication.", null, 0.81),
        };
        _typicalCase = new CaseContent
        {
            Kind = CaseKind.Action,
            Summary = "Refund request for a damaged item",
            Channel = "chat",
            Facts = Json("""{"amount": 240, "currency": "EUR", "topic": "refund", "country": "FR", "order": {"id": "ORD-20412", "items": 3}, "tags": ["damaged", "first-order"]}"""),
            Subject = Json("""{"id": "c-42", "tier": "silver", "returning": true, "ordersCount": 4}"""),
            Signals = Json("""{"sentiment": -0.3, "churnRisk": 0.2}"""),
            Conversation =
            [
                new Message("customer", "The vase arrived broken, I would like my money back."),
                new Message("agent", "Sorry to hear that, can you send a photo?"),
                new Message("customer", "Sure, here it is."),
            ],
            Proposal = new Proposal("Refund 240 EUR to the original payment method.", new ToolCall("issue_refund", Json("""{"amount": 240, "currency": "EUR"}""")), 0.88),
        };
    }

    [Benchmark(Baseline = true)]
    public Evaluation BuiltInAutoCase() => _builtIn.Evaluate(_autoCase);

    [Benchmark]
    public Evaluation BuiltInMedicalCase() => _builtIn.Evaluate(_medicalCase);

    [Benchmark]
    public Evaluation FiftyRulesTypicalCase() => _large.Evaluate(_typicalCase);

    private static CompiledPolicy Compile(string yaml)
    {
        var compilation = PolicyCompiler.Compile(yaml);
        return compilation.Policy ?? throw new InvalidOperationException(string.Join(Environment.NewLine, compilation.Problems));
    }

    private static JsonElement Json(string json) => JsonSerializer.Deserialize<JsonElement>(json);

    /// <summary>Rules cycling through every operator and combinator, so no single operator dominates.</summary>
    internal static string LargePolicy(int count)
    {
        string[] conditions =
        [
            "facts.amount: { gt: {0} }",
            "facts.topic: { in: [medical, legal, topic{0}] }",
            "text: { mentions: [word{0}, lawsuit, phrase number {0}] }",
            "subject.tier: { eq: tier{0} }",
            "facts.country: { notIn: [FR, DE, C{0}] }",
            "facts.tags: { contains: tag{0} }",
            "facts.order.id: { matches: '^ORD-{0}\\d+$' }",
            "signals.sentiment: { lt: -0.{0} }",
            "all: [ { kind: action }, { proposal.action.arguments.amount: { gte: {0}00 } } ]",
            "any: [ { channel: phone }, { subject.ordersCount: { lte: {0} } } ]",
            "not: { proposal.confidence: { gte: 0.{0} } }",
            "facts.coupon: { exists: true }",
        ];
        string[] outcomes = ["review", "escalate", "auto", "block"];
        var yaml = new StringBuilder("defaults:\n  confidenceFloor: 0.7\n  team: support\nrules:\n");
        for (var i = 0; i < count; i++)
        {
            var condition = conditions[i % conditions.Length].Replace("{0}", (i + 1).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
            yaml.Append(CultureInfo.InvariantCulture, $"  - id: rule-{i}\n    when:\n      {condition}\n    outcome: {outcomes[i % outcomes.Length]}\n    team: team-{i % 5}\n    reason: Rule {i} fired.\n");
        }

        return yaml.ToString();
    }
}

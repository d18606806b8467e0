using BenchmarkDotNet.Attributes;
using Handoff.Core.Cases;
using Handoff.Core.Learning;
using Handoff.Learning;

namespace Handoff.Benchmarks;

/// <summary>
/// What the learned gate costs a submission: one prediction of a model trained on 5,000 decisions (text, intent,
/// confidence, rules), and, for comparison, extracting the features of a case.
/// </summary>
[MemoryDiagnoser]
public class GateBenchmarks
{
    private ApprovalModel _model = null!;
    private CaseFeatures _features = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(5);
        string[] intents = ["order_status", "refund", "cancel_order", "change_address", "complaint", "invoice"];
        var at = new DateTimeOffset(2026, 12, 6, 9, 0, 0, TimeSpan.Zero);
        var decisions = Enumerable.Range(0, 5000).Select(i =>
        {
            var intent = intents[random.Next(intents.Length)];
            var confidence = random.NextDouble();
            return new DecisionRecord(
                $"cs_{i}", at, at, CaseKind.Reply, "reply", intent, ["low-confidence"], confidence,
                random.NextDouble() < confidence ? Verdict.Approve : Verdict.Reject, "usr_1",
                $"Customer {i} asks about {intent.Replace('_', ' ')} for order {random.Next(10_000, 99_999)}.\nIntent: {intent}\n");
        }).ToList();
        _model = ApprovalModel.Train(decisions);
        _features = new CaseFeatures(CaseKind.Reply, "reply", "refund", ["low-confidence"], 0.62, "I want my money back for order 51234, it arrived broken.\nIntent: refund\n");
    }

    [Benchmark]
    public double Score() => _model.Score(_features);
}

using System.Text;
using Handoff.Core.Cases;
using Handoff.Core.Learning;

namespace Handoff.Learning.Tests;

/// <summary>The learned gate's model: it learns what people approve, saves and loads itself, and refuses what is not its own.</summary>
public sealed class ApprovalModelTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 6, 9, 0, 0, TimeSpan.Zero);

    // People approve order-status answers and reject the AI's refund promises; confidence says little.
    private static List<DecisionRecord> Decisions(int count)
    {
        var random = new Random(7);
        var records = new List<DecisionRecord>(count);
        for (var i = 0; i < count; i++)
        {
            var status = i % 2 == 0;
            var text = status ? $"Where is my order {i}? It shipped yesterday and arrives Friday." : $"I want my money back for order {i}. A refund of the full amount is on its way.";
            var approved = status ? random.NextDouble() < 0.97 : random.NextDouble() < 0.1;
            records.Add(new DecisionRecord(
                $"cs_{i}", At, At, CaseKind.Reply, status ? "reply" : "promise_refund", status ? "order_status" : "refund", ["low-confidence"],
                0.5 + (random.NextDouble() * 0.2), approved ? Verdict.Approve : Verdict.Reject, "usr_1", text));
        }

        return records;
    }

    [Fact]
    public void Train_LearnsWhatPeopleApproveUnchanged()
    {
        var model = ApprovalModel.Train(Decisions(400));

        var status = model.Score(new CaseFeatures(CaseKind.Reply, "reply", "order_status", ["low-confidence"], 0.6, "Where is my order 9999? It shipped and arrives Monday."));
        var refund = model.Score(new CaseFeatures(CaseKind.Reply, "promise_refund", "refund", ["low-confidence"], 0.6, "I want my money back for order 9999. A refund is on its way."));

        Assert.Equal(400, model.TrainedOn);
        Assert.InRange(status, 0.8, 1.0);
        Assert.InRange(refund, 0.0, 0.3);
    }

    [Fact]
    public void Train_IsSeeded_TheSameDecisionsGiveTheSameModel()
    {
        var probe = new CaseFeatures(CaseKind.Reply, "reply", null, [], null, "Where is my order?");

        Assert.Equal(ApprovalModel.Train(Decisions(100)).Score(probe), ApprovalModel.Train(Decisions(100)).Score(probe));
    }

    [Fact]
    public void Train_RefusesTooFewDecisions() =>
        Assert.Contains("at least 10 decisions", Assert.Throws<ArgumentException>(() => ApprovalModel.Train(Decisions(9))).Message, StringComparison.Ordinal);

    [Fact]
    public void Train_OnOneVerdictOnly_PredictsItsShareForEveryCase_AndSavesIt()
    {
        var allApproved = Decisions(50).Select(static d => d with { Verdict = Verdict.Approve }).ToList();
        var probe = new CaseFeatures(CaseKind.Reply, "reply", null, [], null, "Anything at all");

        var model = ApprovalModel.Train(allApproved);
        using var file = new MemoryStream();
        model.Save(file);
        file.Position = 0;
        var loaded = ApprovalModel.Load(file);

        Assert.True(model.IsConstant);
        Assert.Equal((1.0, 1.0, 50), (model.Score(probe), loaded.Score(probe), loaded.TrainedOn));
        Assert.Equal(0.0, ApprovalModel.Train([.. allApproved.Select(static d => d with { Verdict = Verdict.Reject })]).Score(probe));
    }

    [Fact]
    public void SaveAndLoad_GiveTheSameScores()
    {
        var model = ApprovalModel.Train(Decisions(200));
        using var file = new MemoryStream();
        model.Save(file);
        file.Position = 0;

        var loaded = ApprovalModel.Load(file);

        var probe = new CaseFeatures(CaseKind.Reply, "promise_refund", "refund", ["low-confidence"], 0.55, "A refund for order 12 is on its way.");
        Assert.Equal(model.Score(probe), loaded.Score(probe));
        Assert.Equal(200, loaded.TrainedOn);
    }

    [Fact]
    public void Load_RefusesAForeignFile() =>
        Assert.Contains("header", Assert.Throws<InvalidDataException>(() => ApprovalModel.Load(new MemoryStream(Encoding.ASCII.GetBytes("PK\u0003\u0004 a zip, not ours")))).Message, StringComparison.Ordinal);

    [Fact]
    public void Load_RefusesADamagedModel()
    {
        using var file = new MemoryStream();
        ApprovalModel.Train(Decisions(100)).Save(file);
        var truncated = file.ToArray()[..(int)(file.Length / 2)];

        Assert.Throws<InvalidDataException>(() => ApprovalModel.Load(new MemoryStream(truncated)));
        Assert.Throws<InvalidDataException>(() => ApprovalModel.Load(new MemoryStream([.. ApprovalModel.Header, .. "12x\n"u8])));
    }
}

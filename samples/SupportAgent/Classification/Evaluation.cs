namespace Handoff.Samples.SupportAgent.Classification;

/// <summary>
/// A classifier measured on examples it did not learn from: how many it got right, and how many it was at least
/// <see cref="ConfidentAt"/> sure of (the demo policy's floor: those the agent may answer alone) and right about.
/// </summary>
internal sealed record Evaluation(int Count, int Right, int Confident, int ConfidentRight)
{
    public const float ConfidentAt = 0.75f;

    public double Accuracy => Count == 0 ? 0 : (double)Right / Count;

    public double Coverage => Count == 0 ? 0 : (double)Confident / Count;

    public double ConfidentAccuracy => Confident == 0 ? 0 : (double)ConfidentRight / Confident;

    public override string ToString() =>
        $"{Right}/{Count} right ({Accuracy:P1}); {Confident} at ≥ {ConfidentAt:0.00} confidence ({Coverage:P1}), {ConfidentAccuracy:P1} of them right";
}

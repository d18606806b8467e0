namespace Handoff.Core.Routing;

/// <summary>
/// How much of a person's capacity one case takes. A live conversation needs a person's full attention while a queued
/// case can wait between replies, so by default a live case weighs as much as three queued ones: a person with capacity
/// 4 takes four queued cases, or one live case and one queued one.
/// </summary>
public sealed record LoadWeights
{
    /// <summary>Queued 1, live 3.</summary>
    public static LoadWeights Default { get; } = new(1, 3);

    /// <exception cref="ArgumentOutOfRangeException">A weight is below 1: a case that weighs nothing would let a person
    /// with no capacity take it.</exception>
    public LoadWeights(int queued, int live)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(queued, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(live, 1);
        Queued = queued;
        Live = live;
    }

    /// <summary>The weight of a case waiting in the queue (or claimed from it). The default value is 1.</summary>
    public int Queued { get; }

    /// <summary>The weight of a live conversation (a case offered or taken in <c>mode: live</c>). The default value is 3.</summary>
    public int Live { get; }

    /// <summary>The weight of a case, live or not.</summary>
    public int Of(bool live) => live ? Live : Queued;
}

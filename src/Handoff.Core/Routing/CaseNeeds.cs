namespace Handoff.Core.Routing;

/// <summary>
/// What a case asks of the person who takes it. Team membership is not among them: the caller passes the members of
/// the case's team (or of its overflow team) as the candidates, since membership lives in the store.
/// </summary>
/// <param name="Skills">Every one of these is needed (the policy rule's <c>skills</c>); empty when none is.</param>
/// <param name="Language">A language the person must speak (case-insensitive, as the person lists it), or null.</param>
/// <param name="Weight">How much capacity the case takes, from <see cref="LoadWeights"/>; at least 1.</param>
public sealed record CaseNeeds(TagSet Skills, string? Language, int Weight)
{
    /// <summary>A case that needs nothing in particular and weighs one queued case.</summary>
    public static CaseNeeds Any { get; } = new(TagSet.Empty, null, 1);
}

namespace Handoff.Core.Cases;

/// <summary>
/// A case ringing for one person: offered to <see cref="To"/> at <see cref="At"/>, theirs if they accept before
/// <see cref="ExpiresAt"/>. <see cref="Live"/> offers are for a customer waiting on the line.
/// </summary>
public sealed record CaseOffer(Actor To, DateTimeOffset At, DateTimeOffset ExpiresAt, bool Live);

namespace Handoff.Core.Routing;

/// <summary>One member's eligibility for a case, for a dashboard explaining an offer.</summary>
public sealed record CandidateCheck(string PersonId, Eligibility Eligibility);

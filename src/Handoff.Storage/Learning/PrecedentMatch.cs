using Handoff.Core.Learning;

namespace Handoff.Storage.Learning;

/// <summary>A decided case found by a full-text search, with its relevance to the query (higher is closer; comparable within one answer only).</summary>
public sealed record PrecedentMatch(DecisionRecord Record, double Relevance);

using Handoff.Core.Learning;

namespace Handoff.Storage.Learning;

/// <summary>A page of the decision ledger, in the order the decisions were recorded, and where the next page starts (null at the end).</summary>
public sealed record DecisionPage(IReadOnlyList<DecisionRecord> Records, long? Next);

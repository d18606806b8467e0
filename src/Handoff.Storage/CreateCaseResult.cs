using Handoff.Core.Cases;

namespace Handoff.Storage;

/// <summary><see cref="Created"/> is false when an earlier case with the same idempotency key came back instead.</summary>
public sealed record CreateCaseResult(HandoffCase Case, bool Created);

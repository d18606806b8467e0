namespace Handoff.Storage;

/// <summary>The stop switch. <see cref="ChangedBy"/> is null while it was never changed.</summary>
public sealed record AutonomyState(bool Enabled, string? Reason, string? ChangedBy, DateTimeOffset? ChangedAt);

namespace Handoff.Server.Api.Contracts;

/// <summary>A published policy version.</summary>
public sealed record PolicyView(int Version, string Source, DateTimeOffset PublishedAt, string PublishedBy)
{
    /// <summary>
    /// Only in the answer to publishing, and only when there are any: what in the policy will not work in this workspace
    /// as it is (a team it does not have). The policy was published all the same.
    /// </summary>
    public IReadOnlyList<PolicyWarningView>? Warnings { get; init; }
}

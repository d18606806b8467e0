using Handoff.Core.Cases;
using Handoff.Core.Learning;
using Handoff.Core.Policy;
using Handoff.Server.Policies;
using Handoff.Storage;

namespace Handoff.Server.Learning;

/// <summary>What applying a recommendation came to: the version published, or why nothing was.</summary>
public sealed record RecommendationResult(StoredPolicy? Published, IReadOnlyList<PolicyWarning> Warnings, string? Refusal);

/// <summary>Recommendations for a workspace's live policy from its decision ledger, and applying one through the publish path.</summary>
internal sealed class RecommendationService(IHandoffStore store, PolicyService policies, TimeProvider time)
{
    /// <summary>The live policy and what its decisions of the last <paramref name="window"/> recommend.</summary>
    public async Task<(CompiledPolicy Policy, IReadOnlyList<Recommendation> Found)> ListAsync(string workspaceId, TimeSpan window, CancellationToken cancellationToken)
    {
        var records = await DecisionReader.ReadAsync(store, workspaceId, time.GetUtcNow() - window, cancellationToken).ConfigureAwait(false);
        return await ListAsync(workspaceId, records, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The live policy and what <paramref name="records"/> (already read) recommend.</summary>
    public async Task<(CompiledPolicy Policy, IReadOnlyList<Recommendation> Found)> ListAsync(string workspaceId, IReadOnlyCollection<DecisionRecord> records, CancellationToken cancellationToken)
    {
        var policy = (await policies.GetAsync(workspaceId, cancellationToken).ConfigureAwait(false)).Policy;
        return (policy, Recommendations.From(policy, records));
    }

    /// <summary>
    /// Applies <paramref name="id"/> when it is still recommended now: its edit to the live policy's text, published
    /// as a new version by <paramref name="actor"/> (audited as any publication).
    /// </summary>
    public async Task<RecommendationResult> ApplyAsync(string workspaceId, string id, TimeSpan window, Actor actor, CancellationToken cancellationToken)
    {
        var (policy, found) = await ListAsync(workspaceId, window, cancellationToken).ConfigureAwait(false);
        // The cached policy may trail a version another admin has just published (on another node, for up to a few
        // seconds): edited, it would undo theirs. The store says which version is live.
        var live = (await store.ListPoliciesAsync(workspaceId, cancellationToken).ConfigureAwait(false)).MaxBy(static p => p.Version);
        if (live is not null && live.Version != policy.Version)
        {
            return new RecommendationResult(null, [], $"Policy version {live.Version} was published meanwhile; list the recommendations again.");
        }

        if (found.FirstOrDefault(r => r.Id == id) is not { } recommendation)
        {
            return new RecommendationResult(null, [], $"'{id}' is not among the recommendations for policy version {policy.Version} now; list them again.");
        }

        if (PolicyEdit.Apply(policy.Source, recommendation) is not { } edited)
        {
            return new RecommendationResult(null, [], "The live policy no longer has what the recommendation changes.");
        }

        var (published, problems, warnings) = await policies.PublishAsync(workspaceId, edited, actor, cancellationToken).ConfigureAwait(false);
        return published is null
            ? new RecommendationResult(null, [], $"The edited policy has problems: {string.Join("; ", problems.Select(static p => p.ToString()))}")
            : new RecommendationResult(published, warnings, null);
    }
}

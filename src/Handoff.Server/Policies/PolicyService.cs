using System.Collections.Concurrent;
using Handoff.Core.Cases;
using Handoff.Core.Policy;
using Handoff.Storage;

namespace Handoff.Server.Policies;

/// <summary>
/// Compiles each workspace's policy once per version and keeps it with the autonomy switch, so evaluating a case
/// costs no database read. Every change goes through here and replaces the cached entry.
/// With several nodes, the relay (<see cref="AttachRelay"/>) tells the others of every change, and they forget
/// their copy (<see cref="ChangedElsewhere"/>); and since a signal can be lost (a node dies between its commit and
/// its signal, a policy is published before the relay runs), a copy older than <see cref="SharedStoreRefresh"/> is
/// checked against the store again: no node acts on a stale policy or autonomy switch for longer than that.
/// </summary>
internal sealed partial class PolicyService(IHandoffStore store, TimeProvider time, ILogger<PolicyService> logger)
{
    /// <summary>How old a cached copy may grow before it is checked again, when other nodes share the store.</summary>
    public static readonly TimeSpan SharedStoreRefresh = TimeSpan.FromSeconds(5);

    private readonly bool _shared = store.Supports(StoreCapability.MultipleNodes);
    private Action<string>? _relay;

    private readonly ConcurrentDictionary<string, (WorkspacePolicy Policy, DateTimeOffset LoadedAt)> _current = new(StringComparer.Ordinal);

    // Bumped by every change. A load that started before a change must not cache what it read: without this, a
    // load racing with "stop autonomy" could put the old "autonomy on" back and keep it there.
    private readonly Dictionary<string, long> _generation = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public async ValueTask<WorkspacePolicy> GetAsync(string workspaceId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_current.TryGetValue(workspaceId, out var cached) && (!_shared || now - cached.LoadedAt < SharedStoreRefresh))
        {
            return cached.Policy;
        }

        long generation;
        lock (_lock)
        {
            generation = _generation.GetValueOrDefault(workspaceId);
        }

        var loaded = await LoadAsync(workspaceId, cached.Policy, cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            if (_generation.GetValueOrDefault(workspaceId) == generation)
            {
                _current[workspaceId] = (loaded, now);
            }
        }

        return loaded;
    }

    /// <summary>
    /// Publishes <paramref name="source"/> as the next version, or returns its problems and publishes nothing. A policy
    /// that compiles is published even when it names teams the workspace does not have; those come back as warnings.
    /// </summary>
    public async Task<PolicyPublication> PublishAsync(string workspaceId, string source, Actor actor, CancellationToken cancellationToken)
    {
        var compilation = PolicyCompiler.Compile(source);
        if (compilation.Policy is not { } compiled)
        {
            return new PolicyPublication(null, compilation.Problems, []);
        }

        var warnings = await WarningsAsync(workspaceId, compiled, cancellationToken).ConfigureAwait(false);

        StoredPolicy stored;
        try
        {
            stored = await store.PublishPolicyAsync(workspaceId, source, actor, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Also when the store threw: a commit cut off on its way back may still have happened.
            Changed(workspaceId);
        }

        LogPublished(logger, stored.Version, workspaceId, actor.Name);
        return new PolicyPublication(stored, [], warnings);
    }

    /// <summary>What in <paramref name="policy"/> will not work in this workspace as it is now: teams it lacks.</summary>
    public async Task<IReadOnlyList<PolicyWarning>> WarningsAsync(string workspaceId, CompiledPolicy policy, CancellationToken cancellationToken)
    {
        var teams = await store.ListTeamsAsync(workspaceId, cancellationToken).ConfigureAwait(false);
        return PolicyTeams.Unknown(policy, [.. teams.Select(static t => t.Name)]);
    }

    public async Task<AutonomyState> SetAutonomyAsync(string workspaceId, bool enabled, string? reason, Actor actor, CancellationToken cancellationToken)
    {
        AutonomyState state;
        try
        {
            state = await store.SetAutonomyAsync(workspaceId, enabled, reason, actor, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Also when the store threw: a commit cut off on its way back may still have happened.
            Changed(workspaceId);
        }

        if (enabled)
        {
            LogAutonomyOn(logger, workspaceId, actor.Name);
        }
        else
        {
            LogAutonomyOff(logger, workspaceId, actor.Name, reason);
        }
        return state;
    }

    /// <summary>Passes every later change of a workspace's policy or autonomy on to <paramref name="publish"/> (the workspace id). One relay per service.</summary>
    public void AttachRelay(Action<string> publish)
    {
        ArgumentNullException.ThrowIfNull(publish);
        if (Interlocked.CompareExchange(ref _relay, publish, null) is not null)
        {
            throw new InvalidOperationException("A relay is attached already.");
        }
    }

    private void Changed(string workspaceId)
    {
        ChangedElsewhere(workspaceId);
        _relay?.Invoke(workspaceId);
    }

    /// <summary>Forgets every workspace's copy: after the relay may have missed changes, each is read again.</summary>
    public void ForgetAll()
    {
        lock (_lock)
        {
            foreach (var workspaceId in _current.Keys)
            {
                _generation[workspaceId] = _generation.GetValueOrDefault(workspaceId) + 1;
            }

            _current.Clear();
        }
    }

    /// <summary>The workspace's policy or autonomy changed on another node: the next case reads it again.</summary>
    public void ChangedElsewhere(string workspaceId)
    {
        lock (_lock)
        {
            _generation[workspaceId] = _generation.GetValueOrDefault(workspaceId) + 1;
            _current.TryRemove(workspaceId, out _);
        }
    }

    // A copy being checked again keeps its compiled policy when the version has not moved.
    private async Task<WorkspacePolicy> LoadAsync(string workspaceId, WorkspacePolicy? previous, CancellationToken cancellationToken)
    {
        var stored = await store.GetPolicyAsync(workspaceId, null, cancellationToken).ConfigureAwait(false);
        var version = stored?.Version ?? 0;
        var policy = previous?.Policy.Version == version ? previous.Policy : Compile(workspaceId, stored);
        var autonomy = await store.GetAutonomyAsync(workspaceId, cancellationToken).ConfigureAwait(false);
        return new WorkspacePolicy(policy, autonomy.Enabled);
    }

    // A stored policy that this server no longer compiles (one published before validation grew stricter, such as a
    // 'matches' pattern with a lookaround) must neither fail every submission nor let anything through: the
    // workspace runs on a policy that sends every case to a person, naming the version and the first problem,
    // until an admin publishes one that compiles.
    private CompiledPolicy Compile(string workspaceId, StoredPolicy? stored)
    {
        var version = stored?.Version ?? 0;
        var compilation = PolicyCompiler.Compile(stored?.Source ?? BuiltInPolicy.Yaml, version);
        if (compilation.Policy is { } policy)
        {
            return policy;
        }

        var problem = compilation.Problems.Count > 0 ? compilation.Problems[0].ToString() : "unknown problem";
        problem = string.Concat(problem.Take(300).Select(c => char.IsControl(c) ? ' ' : c));
        LogNoLongerCompiles(logger, version, workspaceId, problem);
        return PolicyCompiler.Compile(FailClosedYaml(version, problem), version).Policy
            ?? throw new InvalidOperationException("The fail-closed policy does not compile.");
    }

    internal static string FailClosedYaml(int version, string problem) => $$"""
        rules:
          - id: policy-does-not-compile
            when: { kind: { exists: true } }
            outcome: escalate
            reason: {{YamlQuoted($"Policy version {version} no longer compiles on this server ({problem}); every case goes to a person until an admin publishes a policy that compiles.")}}
        """;

    private static string YamlQuoted(string text) => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    [LoggerMessage(Level = LogLevel.Error, Message = "Policy version {Version} of workspace {WorkspaceId} no longer compiles ({Problem}); every case goes to a person until an admin publishes one that does")]
    private static partial void LogNoLongerCompiles(ILogger logger, int version, string workspaceId, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Policy version {Version} published in workspace {WorkspaceId} by {Actor}")]
    private static partial void LogPublished(ILogger logger, int version, string workspaceId, string actor);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Autonomy STOPPED in workspace {WorkspaceId} by {Actor}: {Reason}; every case now goes to a person")]
    private static partial void LogAutonomyOff(ILogger logger, string workspaceId, string actor, string? reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Autonomy resumed in workspace {WorkspaceId} by {Actor}")]
    private static partial void LogAutonomyOn(ILogger logger, string workspaceId, string actor);
}

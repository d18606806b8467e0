using Handoff.Core.Policy;
using Handoff.Server.Policies;
using Handoff.Storage;
using Microsoft.AspNetCore.Components;

namespace Handoff.Server.Dashboard.Admin;

/// <summary>
/// Edit, try and publish the workspace's policy. The draft compiles a moment after typing stops, so its problems
/// show with their lines while one writes; publishing goes through <see cref="PolicyService"/>, which compiles again.
/// </summary>
public partial class PolicyPage
{
    // Long enough that a fast typist does not compile on every key, short enough to feel immediate.
    internal static readonly TimeSpan CompileDelay = TimeSpan.FromMilliseconds(300);

    private User? _user;
    private StoredPolicy? _current;
    private IReadOnlyList<StoredPolicy> _versions = [];
    private string _source = "";
    private IReadOnlyList<PolicyProblem> _problems = [];
    private IReadOnlyList<PolicyWarning> _warnings = [];
    private HashSet<string> _teams = new(StringComparer.Ordinal);
    private CompiledPolicy? _draft;
    private ITimer? _compileTimer;
    private bool _publishing;
    private string? _banner;

    private Handoff.Core.Learning.ReplayReport? _replay;
    private int _replayDays = 30;
    private bool _replaying;
    private string? _replayProblem;

    private string _sample = SampleCase.Example;
    private bool _tryAutonomy = true;
    private IReadOnlyList<string> _tryProblems = [];
    private Evaluation? _tryResult;

    private int _diffFrom;
    private int _diffTo;
    private IReadOnlyList<PolicyDiff.Line> _diff = [];

    [Inject]
    private IHandoffStore Store { get; set; } = default!;

    [Inject]
    private PolicyService Policies { get; set; } = default!;

    [Inject]
    private DashboardSession Session { get; set; } = default!;

    [Inject]
    private Learning.PolicyReplayService Replay { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    private string Source
    {
        get => _source;
        set => _source = value ?? "";
    }

    private int LineCount => _source.Count(c => c == '\n') + 1;

    private HashSet<int> BadLines => [.. _problems.Select(p => p.Line)];

    private bool Unchanged => _current is not null && string.Equals(_current.Source, _source, StringComparison.Ordinal);

    private bool CanPublish => _user is not null && _draft is not null && _problems.Count == 0 && !Unchanged && !_publishing;

    protected override async Task OnInitializedAsync()
    {
        _user = await Session.UserAsync();
        if (_user is null)
        {
            return;
        }

        await LoadVersionsAsync();
        await LoadTeamsAsync();
        _source = _current?.Source ?? BuiltInPolicy.Yaml;
        _tryAutonomy = (await Store.GetAutonomyAsync(_user.WorkspaceId)).Enabled;
        CompileNow();
    }

    private async Task LoadVersionsAsync()
    {
        _versions = await Store.ListPoliciesAsync(_user!.WorkspaceId);
        _current = _versions.Count > 0 ? _versions[0] : null;
        if (_versions.Count > 1)
        {
            _diffTo = _versions[0].Version;
            _diffFrom = _versions[1].Version;
            Compare();
        }
    }

    // Read once and again on publishing, not on every keystroke: the draft's warnings need only be about as fresh as the page.
    private async Task LoadTeamsAsync() =>
        _teams = new HashSet<string>((await Store.ListTeamsAsync(_user!.WorkspaceId)).Select(static t => t.Name), StringComparer.Ordinal);

    private void SourceChanged()
    {
        // Until the draft compiles again, what it would publish is unknown.
        _draft = null;
        _banner = null;
        _compileTimer ??= Time.CreateTimer(_ => _ = InvokeAsync(() =>
        {
            CompileNow();
            StateHasChanged();
        }), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _compileTimer.Change(CompileDelay, Timeout.InfiniteTimeSpan);
    }

    private void CompileNow()
    {
        var compilation = PolicyCompiler.Compile(_source);
        _problems = compilation.Problems;
        _draft = compilation.Policy;
        _warnings = _draft is null ? [] : PolicyTeams.Unknown(_draft, _teams);
    }

    private async Task PublishAsync()
    {
        if (!CanPublish)
        {
            return;
        }

        _publishing = true;
        try
        {
            var (published, problems, warnings) = await Policies.PublishAsync(_user!.WorkspaceId, _source, DashboardSession.ActorOf(_user), CancellationToken.None);
            if (published is null)
            {
                _problems = problems;
                return;
            }

            _warnings = warnings;
            await LoadVersionsAsync();
            await LoadTeamsAsync();
            _banner = $"Published version {published.Version}. New cases are judged by it from now on.";
        }
        finally
        {
            _publishing = false;
        }
    }

    private async Task TryAsync()
    {
        _tryResult = null;
        CompileNow();
        if (_draft is null)
        {
            _tryProblems = ["The policy in the editor has problems; fix them first."];
            return;
        }

        var (content, problems) = await SampleCase.ParseAsync(_sample);
        _tryProblems = problems;
        if (content is not null)
        {
            _tryResult = _draft.Evaluate(content, _tryAutonomy);
        }
    }

    /// <summary>Replays the period's cases under the policy in the editor (nothing is published).</summary>
    private async Task ReplayAsync()
    {
        _replay = null;
        _replayProblem = null;
        CompileNow();
        if (_draft is null || _user is null)
        {
            _replayProblem = "The policy in the editor has problems; fix them first.";
            return;
        }

        _replaying = true;
        try
        {
            _replay = await Replay.RunAsync(_user.WorkspaceId, _draft, Time.GetUtcNow().AddDays(-_replayDays), CancellationToken.None);
        }
        finally
        {
            _replaying = false;
        }
    }

    private void Edit(StoredPolicy version)
    {
        _source = version.Source;
        _banner = $"Version {version.Version} is in the editor; publish it to make it live again.";
        CompileNow();
    }

    private void Compare()
    {
        var from = _versions.FirstOrDefault(v => v.Version == _diffFrom);
        var to = _versions.FirstOrDefault(v => v.Version == _diffTo);
        _diff = from is null || to is null ? [] : PolicyDiff.Between(from.Source, to.Source);
    }

    private static string Percent(double rate) => rate.ToString("0.#%", System.Globalization.CultureInfo.InvariantCulture);

    public void Dispose() => _compileTimer?.Dispose();
}

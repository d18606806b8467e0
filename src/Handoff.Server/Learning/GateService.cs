using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Handoff.Core;
using Handoff.Core.Cases;
using Handoff.Core.Learning;
using Handoff.Core.Policy;
using Handoff.Learning;
using Handoff.Server.Policies;
using Handoff.Storage;
using Microsoft.Extensions.Options;

namespace Handoff.Server.Learning;

/// <summary>
/// The learned gate of each workspace: the model trained on its people's decisions, the threshold certified on a
/// held-out unbiased sample (<see cref="RiskControl"/>), whether it is stopped, and its judgement of each new case.
/// Judging is in-process and takes no lock but the model's own; training runs in the background
/// (<see cref="LearningWorker"/>). See docs/learning.md.
/// </summary>
internal sealed partial class GateService(
    IHandoffStore store, PolicyService policies, IOptions<HandoffServerOptions> options, TimeProvider time, ILogger<GateService> log)
{
    /// <summary>The integration kind under which a workspace's stop switch for the gate is stored (audited as integration.changed).</summary>
    public const string StopKind = "learned-gate";

    /// <summary>How far back training reads the decision ledger.</summary>
    public static readonly TimeSpan History = TimeSpan.FromDays(365);

    private readonly ConcurrentDictionary<string, GateState> _states = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _training = new(StringComparer.Ordinal);

    /// <summary>The draw that decides whether a case joins the QA sample; a test may fix it.</summary>
    internal Func<double> Draw { get; set; } = static () => Random.Shared.NextDouble();

    /// <summary>The workspace's gate as this node knows it; null before its first training.</summary>
    public GateState? State(string workspaceId) => _states.GetValueOrDefault(workspaceId);

    /// <summary>
    /// The gate's judgement of a case being submitted: <paramref name="evaluation"/> as it stands, with
    /// <see cref="Evaluation.Learned"/> set when the case is the gate's (or a plain auto approval drawn for QA) and,
    /// when the gate acts and the score clears its threshold, turned into an approval with a <c>learned</c> reason.
    /// </summary>
    public Evaluation Judge(string workspaceId, CompiledPolicy policy, CaseContent content, Evaluation evaluation, bool autonomyEnabled)
    {
        var settings = policy.Learning;
        if (evaluation.Outcome == Outcome.Auto)
        {
            return settings.AutoQaSample > 0 && Draw() < settings.AutoQaSample
                ? evaluation with { Learned = new GateJudgement(null, null, Approved: false, Sample: true) }
                : evaluation;
        }

        if (!LearnedGate.Eligible(policy, evaluation) || State(workspaceId) is not { Model: { } model } state || !state.Settings.Equals(settings))
        {
            return evaluation;
        }

        var score = model.Score(CaseFeatures.Of(content, evaluation));
        var threshold = state.Threshold is { Threshold: { } t } ? t : (double?)null;
        var acting = settings.Mode == LearningMode.Auto && threshold is not null && !state.Stopped && autonomyEnabled;
        var sample = !acting || Draw() < settings.QaSample;
        if (acting && score >= threshold)
        {
            return evaluation with
            {
                Outcome = Outcome.Auto,
                Reasons = [.. evaluation.Reasons, LearnedGate.Approval(score, state.Threshold!, settings)],
                Routing = null,
                Learned = new GateJudgement(score, threshold, Approved: true, sample),
            };
        }

        return evaluation with { Learned = new GateJudgement(score, threshold, Approved: false, sample) };
    }

    /// <summary>
    /// Trains the workspace's model on its ledger and certifies a threshold; keeps the previous model when training
    /// fails. Runs one at a time per workspace.
    /// </summary>
    public async Task<GateState?> TrainAsync(string workspaceId, CancellationToken cancellationToken)
    {
        var turn = _training.GetOrAdd(workspaceId, static _ => new SemaphoreSlim(1, 1));
        await turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await TrainOnceAsync(workspaceId, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            turn.Release();
        }
    }

    private async Task<GateState?> TrainOnceAsync(string workspaceId, CancellationToken cancellationToken)
    {
        var policy = (await policies.GetAsync(workspaceId, cancellationToken).ConfigureAwait(false)).Policy;
        var settings = policy.Learning;
        if (settings.Mode == LearningMode.Off)
        {
            _states.TryRemove(workspaceId, out _);
            return null;
        }

        var now = time.GetUtcNow();
        var stop = await ReadStopAsync(workspaceId, cancellationToken).ConfigureAwait(false);
        var previous = State(workspaceId);
        var population = (await DecisionReader.ReadAsync(store, workspaceId, now - History, cancellationToken).ConfigureAwait(false))
            .Where(d => LearnedGate.InPopulation(settings, d)).ToList();
        GateState Keep(string status) => Publish(workspaceId, (previous is not null && previous.Settings.Equals(settings)
            ? previous with { Status = status }
            : new GateState(settings, null, null, population.Count, 0, now, null, status)) with { Stopped = stop.Stopped, StopReason = stop.Reason });

        if (population.Count < settings.MinDecisions)
        {
            return Keep(string.Create(CultureInfo.InvariantCulture,
                $"too few decisions to learn from: {population.Count:N0} of the {settings.MinDecisions:N0} this policy asks for (minDecisions), among cases held back only by {string.Join(", ", settings.Learnable)}"));
        }

        // Held out for calibration: 70 % of the unbiased sample, by a hash of the case id (stable across runs and
        // nodes): the bound's power grows with it. The model never sees them; everything else trains it.
        var calibration = population.Where(static d => d.Sample && HeldOut(d.CaseId)).ToList();
        var training = population.Where(static d => !(d.Sample && HeldOut(d.CaseId))).ToList();
        ApprovalModel model;
        try
        {
            model = await Task.Run(() => ApprovalModel.Train(training), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogTrainingFailed(workspaceId, e);
            return Keep($"training failed, the previous model is kept: {e.Message}");
        }

        var scored = calibration.Select(d => new Calibrated(model.Score(CaseFeatures.Of(d)), !d.ApprovedUnchanged)).ToList();
        var start = RiskControl.StartCovered(scored.Count, settings.MaxError, settings.Confidence);
        var grid = RiskControl.Grid(training.Select(d => model.Score(CaseFeatures.Of(d))), scored.Count, settings.MaxError, settings.Confidence, startCovered: start);
        var threshold = RiskControl.Choose(grid, scored, settings.MaxError, settings.Confidence, start);
        Save(workspaceId, model);
        // The live check counts the QA of approvals since this threshold took effect; an unchanged threshold keeps counting.
        var liveSince = previous?.Threshold?.Threshold is { } old && old == threshold.Threshold && previous.Settings.Equals(settings)
            ? previous.LiveSince
            : threshold.Threshold is null ? null : now;
        var state = new GateState(settings, model, threshold, population.Count, calibration.Count, now, liveSince,
            threshold.Threshold is null ? threshold.Reason : Certified(threshold, settings))
        {
            Stopped = stop.Stopped,
            StopReason = stop.Reason,
        };
        LogTrained(workspaceId, training.Count, calibration.Count, threshold.Threshold, threshold.Reason);
        return Publish(workspaceId, state);
    }

    /// <summary>
    /// After a QA check: the live bound of the gate's approvals; when QA shows their error above maxError, stops the gate (audited,
    /// admins told through <c>autonomy.changed</c>). Null when the gate has no live threshold.
    /// </summary>
    public async Task<LiveBound?> CheckLiveAsync(string workspaceId, CancellationToken cancellationToken)
    {
        if (await LiveAsync(workspaceId, cancellationToken).ConfigureAwait(false) is not { } live)
        {
            return null;
        }

        if (live.Broken && State(workspaceId) is { Stopped: false } state)
        {
            var reason = string.Create(CultureInfo.InvariantCulture,
                $"QA found {live.Errors} of {live.Checked} learned approvals not approved unchanged: at {state.Settings.Confidence * 100:0.#} % confidence their error is at least {live.QaLowerBound * 100:0.##} %, above maxError {state.Settings.MaxError * 100:0.##} %");
            await SetStoppedAsync(workspaceId, true, reason, Actor.System, cancellationToken).ConfigureAwait(false);
            LogStopped(workspaceId, reason);
        }

        return live;
    }

    /// <summary>The live bound now (see <see cref="LearnedGate.Live"/>); null when the gate has no certified threshold.</summary>
    public async Task<LiveBound?> LiveAsync(string workspaceId, CancellationToken cancellationToken)
    {
        if (State(workspaceId) is not { Threshold: { Threshold: not null } threshold, LiveSince: { } since } state)
        {
            return null;
        }

        var tally = await store.CountQaAsync(workspaceId, "learned", since, cancellationToken).ConfigureAwait(false);
        return LearnedGate.Live(threshold, tally.Checked, tally.Errors, state.Settings);
    }

    /// <summary>Stops or resumes the workspace's gate (audited as <c>integration.changed</c>, kind <c>learned-gate</c>).</summary>
    public async Task SetStoppedAsync(string workspaceId, bool stopped, string? reason, Actor actor, CancellationToken cancellationToken)
    {
        var config = JsonSerializer.Serialize(new StopSwitch(stopped, reason, time.GetUtcNow()), HandoffJson.Options);
        var summary = stopped ? $"learned gate stopped{(reason is null ? "" : ": " + reason)}" : "learned gate resumed";
        await store.SetIntegrationAsync(workspaceId, StopKind, config, summary, actor, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (State(workspaceId) is { } state)
        {
            // A resumed gate counts its live QA afresh: the checks that stopped it stay behind it.
            Publish(workspaceId, state with { Stopped = stopped, StopReason = reason, LiveSince = stopped ? state.LiveSince : time.GetUtcNow() });
        }
    }

    private async Task<StopSwitch> ReadStopAsync(string workspaceId, CancellationToken cancellationToken)
    {
        var json = await store.GetIntegrationAsync(workspaceId, StopKind, cancellationToken).ConfigureAwait(false);
        try
        {
            return json is null ? StopSwitch.Running : JsonSerializer.Deserialize<StopSwitch>(json, HandoffJson.Options) ?? StopSwitch.Running;
        }
        catch (JsonException)
        {
            // An unreadable switch fails closed.
            return new StopSwitch(true, "the stored stop switch could not be read", null);
        }
    }

    private GateState Publish(string workspaceId, GateState state)
    {
        _states[workspaceId] = state;
        return state;
    }

    private static string Certified(GateThreshold threshold, LearningSettings settings) => string.Create(CultureInfo.InvariantCulture,
        $"certified: at scores ≥ {threshold.Threshold:0.#####}, {threshold.Errors:N0} of {threshold.Covered:N0} held-out decisions were not approved unchanged; error ≤ {settings.MaxError * 100:0.##} % with {settings.Confidence * 100:0.#} % confidence (bound {threshold.ErrorUpperBound * 100:0.##} %); it would have approved {threshold.Coverage * 100:0.#} % of them");

    internal static bool HeldOut(string caseId) => SHA256.HashData(Encoding.UTF8.GetBytes(caseId))[0] < 179;

    /// <summary>Saves the model where the server keeps its data (nothing when it keeps none); written whole, then renamed.</summary>
    private void Save(string workspaceId, ApprovalModel model)
    {
        if (ModelPath(workspaceId) is not { } path)
        {
            return;
        }

        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var temporary = path + ".tmp";
            using (var file = File.Create(temporary))
            {
                model.Save(file);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch (IOException e)
        {
            LogSaveFailed(workspaceId, e);
        }
        catch (UnauthorizedAccessException e)
        {
            LogSaveFailed(workspaceId, e);
        }
    }

    /// <summary>The saved model of a workspace, or null: none saved, or a file that is not a Handoff approval model (refused, logged).</summary>
    public ApprovalModel? LoadSaved(string workspaceId)
    {
        if (ModelPath(workspaceId) is not { } path || !File.Exists(path))
        {
            return null;
        }

        try
        {
            using var file = File.OpenRead(path);
            return ApprovalModel.Load(file);
        }
        catch (InvalidDataException e)
        {
            LogModelRefused(workspaceId, path, e.Message);
            return null;
        }
    }

    internal string? ModelPath(string workspaceId) =>
        string.IsNullOrEmpty(options.Value.DataDirectory) ? null
        : Path.Combine(options.Value.DataDirectory, "models", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(workspaceId)))[..16] + ".model");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Training the learned gate of workspace {Workspace} failed; the previous model is kept")]
    private partial void LogTrainingFailed(string workspace, Exception e);

    [LoggerMessage(Level = LogLevel.Information, Message = "Learned gate of workspace {Workspace}: trained on {Training} decisions, calibrated on {Calibration}; threshold {Threshold}: {Reason}")]
    private partial void LogTrained(string workspace, int training, int calibration, double? threshold, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The learned gate of workspace {Workspace} stopped itself: {Reason}")]
    private partial void LogStopped(string workspace, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The learned gate's model of workspace {Workspace} could not be saved")]
    private partial void LogSaveFailed(string workspace, Exception e);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The saved model {Path} of workspace {Workspace} was refused: {Reason}")]
    private partial void LogModelRefused(string workspace, string path, string reason);

    private sealed record StopSwitch(bool Stopped, string? Reason, DateTimeOffset? At)
    {
        public static StopSwitch Running { get; } = new(false, null, null);
    }
}

/// <summary>
/// A workspace's learned gate on this node: its settings, model and certified threshold (null when none), the
/// population it learned from, when it was trained, since when its threshold is live, whether it is stopped, and in
/// words where it stands.
/// </summary>
internal sealed record GateState(
    LearningSettings Settings,
    ApprovalModel? Model,
    GateThreshold? Threshold,
    int Population,
    int CalibrationSize,
    DateTimeOffset TrainedAt,
    DateTimeOffset? LiveSince,
    string Status)
{
    public bool Stopped { get; init; }

    public string? StopReason { get; init; }

    /// <summary>Whether the gate approves cases now: auto, a certified threshold, not stopped.</summary>
    public bool Acting => Settings.Mode == LearningMode.Auto && Threshold?.Threshold is not null && !Stopped;
}

using System.Globalization;
using Handoff.Core.Learning;
using Handoff.Server.Policies;
using Handoff.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Handoff.Server.Learning;

/// <summary>
/// Trains the learned gate of every workspace whose policy turns learning on, in the background: first from the
/// model saved on disk (recalibrated at once), then from the ledger every <see cref="LearningOptions.TrainInterval"/>.
/// Each round also reads the gate's stop switch, so a gate stopped on another node stops here within one round.
/// </summary>
internal sealed partial class LearningWorker(
    IHandoffStore store, PolicyService policies, GateService gate, IOptions<HandoffServerOptions> options, TimeProvider time, ILogger<LearningWorker> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.Learning.TrainInterval;
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        // Let start-up (migrations, the first requests) go first.
        await Task.Delay(options.Value.Learning.FirstTrainingDelay, time, stoppingToken).ConfigureAwait(false);
        while (!stoppingToken.IsCancellationRequested)
        {
            await RoundAsync(stoppingToken).ConfigureAwait(false);
            await Task.Delay(interval, time, stoppingToken).ConfigureAwait(false);
        }
    }

    /// <summary>One round: every workspace with learning on is trained once.</summary>
    public async Task RoundAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<Workspace> workspaces;
        try
        {
            workspaces = await store.ListWorkspacesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogRoundFailed(log, e);
            return;
        }

        foreach (var workspace in workspaces)
        {
            try
            {
                var policy = (await policies.GetAsync(workspace.Id, cancellationToken).ConfigureAwait(false)).Policy;
                if (policy.Learning.Mode != LearningMode.Off)
                {
                    await gate.TrainAsync(workspace.Id, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One workspace's trouble (a store hiccup) must not keep the others from learning.
                LogWorkspaceFailed(log, workspace.Id, e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A learning round could not list the workspaces")]
    private static partial void LogRoundFailed(ILogger logger, Exception e);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Training the learned gate of workspace {Workspace} failed")]
    private static partial void LogWorkspaceFailed(ILogger logger, string workspace, Exception e);
}

/// <summary>How the learned gate trains (section <c>Handoff:Learning</c>).</summary>
public sealed class LearningOptions
{
    /// <summary>How often each workspace's gate is trained and recalibrated; zero or less turns background training off.</summary>
    /// <value>The default value is 10 minutes.</value>
    public TimeSpan TrainInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long after start the first training waits.</summary>
    /// <value>The default value is 10 seconds.</value>
    public TimeSpan FirstTrainingDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Whether decided cases get sentence embeddings (all-MiniLM-L6-v2, run on this machine's CPU) and precedents are
    /// ordered by them; off, precedents are ordered by full-text relevance alone.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool Embeddings { get; set; } = true;

    /// <summary>
    /// How long the embedding worker waits, once it has embedded every decision, before it looks for new ones; zero or
    /// less stops this node's worker (its precedents still use the vectors other nodes store). It starts after
    /// <see cref="FirstTrainingDelay"/>.
    /// </summary>
    /// <value>The default value is 5 seconds.</value>
    public TimeSpan EmbedInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The share of one core the embedding worker may keep busy while it works through a backlog: after each batch it
    /// pauses so that its time with the model is at most this share of its time. The model costs about 4–10 ms of CPU
    /// a decided case; at 0.25 a node embeds about 25–60 decisions a second, more than people decide, and the requests
    /// keep the rest of the machine however fast decisions come. 1 lets it run without pausing.
    /// </summary>
    /// <value>The default value is 0.25.</value>
    public double EmbedCpuShare { get; set; } = 0.25;

    // A timer waits at most about 49 days (uint.MaxValue - 1 milliseconds).
    private static readonly TimeSpan Longest = TimeSpan.FromDays(49);

    /// <summary>Throws naming the setting (<c>Handoff:Learning:…</c>) when a time is one no timer can wait, or a share is no share.</summary>
    internal void Validate()
    {
        if (!(EmbedCpuShare > 0 && EmbedCpuShare <= 1))
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"Handoff:Learning:{nameof(EmbedCpuShare)}: '{EmbedCpuShare}' is not a share of a core; give one above 0 and at most 1, as 0.25."));
        }

        foreach (var (name, value, mayBeOff) in new[] { (nameof(TrainInterval), TrainInterval, true), (nameof(EmbedInterval), EmbedInterval, true), (nameof(FirstTrainingDelay), FirstTrainingDelay, false) })
        {
            if (value > Longest || (!mayBeOff && value < TimeSpan.Zero))
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"Handoff:Learning:{name}: '{value}' is not a time to wait; give one from {(mayBeOff ? "0 (off)" : "0")} to {Longest.TotalDays:0} days, as 00:10:00."));
            }
        }
    }
}

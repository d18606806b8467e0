using System.Diagnostics;
using Handoff.Core.Learning;
using Handoff.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Handoff.Server.Learning;

/// <summary>
/// Embeds the decision ledger's text in the background, so that a person's decision never waits for the model: a batch
/// of the oldest rows without a vector, then — after a pause that keeps the model to
/// <see cref="LearningOptions.EmbedCpuShare"/> of a core, so that a backlog never starves the requests — the next, and
/// when none is left, again every <see cref="LearningOptions.EmbedInterval"/>. Every node runs one; two that embed the
/// same row store it once.
/// </summary>
internal sealed partial class EmbeddingWorker(
    IHandoffStore store, ITextEmbedder embedder, IOptions<HandoffServerOptions> options, TimeProvider time, ILogger<EmbeddingWorker> log)
    : BackgroundService
{
    /// <summary>How many rows one batch embeds (about 10 ms each on one core).</summary>
    internal const int BatchSize = 32;

    // The position the backlog is read from trails the newest row by this much: on PostgreSQL a row can commit after
    // rows numbered above it, and it is still found. Rows in between that have a vector cost an index probe each. A
    // heuristic: every SweepEvery idle rounds the whole ledger is read once more, for a row that committed later still.
    internal const long Trail = 1_000;

    internal const int SweepEvery = 720;

    private long _after;
    private int _idleRounds;

    // How long the model took in the last round: the pause is measured by it, not by the round's database work (whose
    // waits for other writes are not the model's CPU).
    private TimeSpan _modelTime;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var learning = options.Value.Learning;
        if (!learning.Embeddings || learning.EmbedInterval <= TimeSpan.Zero)
        {
            return;
        }

        await Task.Delay(learning.FirstTrainingDelay, time, stoppingToken).ConfigureAwait(false);
        while (!stoppingToken.IsCancellationRequested)
        {
            int embedded;
            try
            {
                embedded = await RoundAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogRoundFailed(log, e);
                embedded = 0;
            }

            await Task.Delay(
                embedded == 0 ? learning.EmbedInterval : PauseAfter(_modelTime, learning.EmbedCpuShare),
                time, stoppingToken).ConfigureAwait(false);
        }
    }

    /// <summary>The pause after a round that took <paramref name="busy"/>, so that rounds take <paramref name="share"/> of the time.</summary>
    internal static TimeSpan PauseAfter(TimeSpan busy, double share) =>
        share >= 1 || busy <= TimeSpan.Zero ? TimeSpan.Zero : busy * ((1 - share) / share);

    /// <summary>Embeds one batch of the backlog; returns how many rows it stored (0: nothing was waiting).</summary>
    public async Task<int> RoundAsync(CancellationToken cancellationToken)
    {
        var batch = await store.ListDecisionsToEmbedAsync(embedder.Model, _after, BatchSize, cancellationToken).ConfigureAwait(false);
        if (batch.Count == 0)
        {
            // Caught up: from now on only the newest rows are read (a restarted node would otherwise read the whole
            // ledger every round), and now and then all of it again.
            _after = ++_idleRounds % SweepEvery == 0
                ? 0
                : Math.Max(_after, await store.NewestDecisionSeqAsync(cancellationToken).ConfigureAwait(false) - Trail);
            return 0;
        }

        // The model is CPU work: off the caller's thread, one batch at a time. Real time, not the store's clock.
        var started = Stopwatch.GetTimestamp();
        var vectors = await Task.Run(() => Embed(batch), cancellationToken).ConfigureAwait(false);
        _modelTime = Stopwatch.GetElapsedTime(started);
        await store.SaveDecisionEmbeddingsAsync(embedder.Model, vectors, cancellationToken).ConfigureAwait(false);
        _after = Math.Max(_after, batch[^1].Seq - Trail);
        return vectors.Count;
    }

    /// <summary>
    /// The batch's vectors. Should the model fail on the batch, each row is tried alone, and a row it cannot embed while
    /// it embeds others gets an empty vector: stored so that it is not tried forever, and never compared
    /// (<see cref="Embedding.Cosine"/>). When it embeds none (it did not load, say), the round fails and is tried again.
    /// </summary>
    private List<(long Seq, float[] Vector)> Embed(IReadOnlyList<Storage.Learning.TextToEmbed> batch)
    {
        try
        {
            var vectors = embedder.Embed([.. batch.Select(static b => b.Text)]);
            return [.. batch.Select((b, i) => (b.Seq, vectors[i]))];
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogBatchFailed(log, e);
        }

        Exception? last = null;
        List<(long, float[])> one = [];
        foreach (var row in batch)
        {
            try
            {
                one.Add((row.Seq, embedder.Embed([row.Text])[0]));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                last = e;
                one.Add((row.Seq, []));
            }
        }

        if (one.All(static r => r.Item2.Length == 0))
        {
            throw new InvalidOperationException("The embedding model failed on every row of the batch.", last);
        }

        foreach (var (seq, _) in one.Where(static r => r.Item2.Length == 0))
        {
            LogRowFailed(log, seq, last!);
        }

        return one;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Embedding a batch of decisions failed; each is tried alone")]
    private static partial void LogBatchFailed(ILogger logger, Exception e);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Decision {Seq} could not be embedded; it is left out of similarity")]
    private static partial void LogRowFailed(ILogger logger, long seq, Exception e);

    [LoggerMessage(Level = LogLevel.Warning, Message = "An embedding round failed; it is tried again")]
    private static partial void LogRoundFailed(ILogger logger, Exception e);
}

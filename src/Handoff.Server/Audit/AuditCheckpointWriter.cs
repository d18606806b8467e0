using System.Globalization;
using System.Security.Cryptography;
using Handoff.Core.Audit;
using Handoff.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Handoff.Server.Audit;

/// <summary>
/// Writes a signed checkpoint of the audit log into <see cref="HandoffServerOptions.CheckpointFolder"/> on start and
/// then every <see cref="HandoffServerOptions.AuditCheckpointInterval"/> when the log has grown, keeping the newest
/// <see cref="HandoffServerOptions.AuditCheckpointsKept"/>. It signs only a log that extends what it signed before:
/// each pass verifies the entries since its last checkpoint (the first pass, from the newest file it can trust or
/// from the start), so a log changed underneath it is reported, never vouched for.
/// </summary>
/// <remarks>
/// Files are named by the head's sequence (<c>checkpoint-000000000042.json</c>), written to a temporary name and moved
/// into place: on several nodes sharing a folder, two nodes signing the same head write the same name, and either
/// copy is as good as the other.
/// </remarks>
internal sealed partial class AuditCheckpointWriter(
    IHandoffStore store, TimeProvider time, IOptions<HandoffServerOptions> options, ILogger<AuditCheckpointWriter> logger) : BackgroundService
{
    private const string Prefix = "checkpoint-";

    private readonly HandoffServerOptions _options = options.Value;
    private ECDsa? _key;
    private AuditEntry? _signed;
    private AuditTreeCheck _tree = new();
    private bool _started;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await WriteAsync(stoppingToken).ConfigureAwait(false);
                }
#pragma warning disable CA1031 // A failed pass must not stop checkpoints for good; it is logged and tried again next interval.
                catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
                {
                    LogFailed(logger, e);
                }

                await Task.Delay(_options.AuditCheckpointInterval, time, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary>One pass: the checkpoint written, or null when the log has not grown or no longer verifies.</summary>
    internal async Task<AuditCheckpoint?> WriteAsync(CancellationToken cancellationToken)
    {
        _key ??= AuditSigningKey.LoadOrCreate(_options.AuditSigningKeyPath);
        var folder = _options.CheckpointFolder;
        Directory.CreateDirectory(folder);
        if (!_started)
        {
            (_signed, _tree) = await ResumeAsync(folder, cancellationToken).ConfigureAwait(false);
            _started = true;
        }

        // The walk feeds the tree the entries it verifies: the root signed is the entries' own, whatever is stored.
        var (result, head) = await AuditLogVerifier.VerifyAsync(store, cancellationToken, _signed, _tree).ConfigureAwait(false);
        if (!result.Intact)
        {
            LogBroken(logger, result.FirstBadSequence ?? 0, result.Problem ?? "");
            _started = false; // the tree took some of the walk's entries: start again from a checkpoint next time
            return null;
        }

        if ((head?.Sequence ?? 0) == (_signed?.Sequence ?? 0) && File.Exists(PathOf(folder, head?.Sequence ?? 0)))
        {
            return null;
        }

        var checkpoint = AuditCheckpoints.Sign(head, await _tree.RootAsync().ConfigureAwait(false), time.GetUtcNow(), _key);
        var path = PathOf(folder, checkpoint.HeadSequence);
        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, AuditCheckpoints.Serialize(checkpoint) + "\n", cancellationToken).ConfigureAwait(false);
        File.Move(temporary, path, overwrite: true);
        _signed = head;
        Prune(folder);
        LogWritten(logger, checkpoint.Size, path);
        return checkpoint;
    }

    // Starts from the newest checkpoint this key signed whose head the log still has, and whose root the stored tree's
    // nodes still give (or the tree starts from the first entry); else from the first entry.
    private async Task<(AuditEntry? Signed, AuditTreeCheck Tree)> ResumeAsync(string folder, CancellationToken cancellationToken)
    {
        foreach (var file in Files(folder).Reverse())
        {
            AuditCheckpoint checkpoint;
            try
            {
                checkpoint = AuditCheckpoints.Parse(await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false));
            }
            catch (FormatException)
            {
                continue;
            }

            if (AuditCheckpoints.CheckSignature(checkpoint, _key!) is not null || checkpoint.HeadSequence == 0)
            {
                continue;
            }

            var atHead = await store.ReadAuditAsync(checkpoint.HeadSequence - 1, 1, cancellationToken).ConfigureAwait(false);
            var entry = atHead.Count == 1 ? atHead[0] : null;
            var problem = entry is null
                ? $"truncated: it covers entries 1..{checkpoint.Size} but the log ends before entry {checkpoint.HeadSequence}"
                : AuditCheckpoints.CheckExtends(checkpoint, checkpoint.Size, entry);
            if (problem is not null)
            {
                // The log no longer extends what this server signed: keep failing loudly rather than sign over it.
                LogBroken(logger, checkpoint.HeadSequence, $"{Path.GetFileName(file)}: {problem}");
                throw new InvalidOperationException($"The audit log no longer extends {file}: {problem}");
            }

            var tree = checkpoint.RootHash is { } root ? await AuditTreeCheck.ResumeAsync(store, checkpoint.Size, root, cancellationToken).ConfigureAwait(false) : null;
            return tree is null ? (null, new AuditTreeCheck()) : (entry, tree);
        }

        return (null, new AuditTreeCheck());
    }

    private void Prune(string folder)
    {
        var files = Files(folder).ToList();
        foreach (var old in files.Take(Math.Max(0, files.Count - _options.AuditCheckpointsKept)))
        {
            File.Delete(old);
        }
    }

    // Zero-padded sequences sort in order by name.
    private static IEnumerable<string> Files(string folder) =>
        Directory.EnumerateFiles(folder, Prefix + "*.json").Order(StringComparer.Ordinal);

    private static string PathOf(string folder, long sequence) =>
        Path.Combine(folder, Prefix + sequence.ToString("D12", CultureInfo.InvariantCulture) + ".json");

    public override void Dispose()
    {
        _key?.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Audit checkpoint of {Size} entries written to {Path}")]
    private static partial void LogWritten(ILogger logger, long size, string path);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Audit log does not verify at entry {Sequence}: {Problem}. No checkpoint written")]
    private static partial void LogBroken(ILogger logger, long sequence, string problem);

    [LoggerMessage(Level = LogLevel.Error, Message = "Writing an audit checkpoint failed; trying again next interval")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}

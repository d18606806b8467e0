using System.Globalization;
using System.Security.Claims;
using Handoff.Server.Auth;
using Handoff.Server.Events;
using Handoff.Storage;
using Microsoft.Extensions.Options;

namespace Handoff.Server.Api;

/// <summary>
/// <c>GET /v1/events</c>: one server-sent stream for an agent that serves many cases — every audit entry of the
/// caller's cases as it happens (an agent key's: the cases it submitted; a reviewer's or admin's: the workspace's),
/// each event as on a case's own stream plus its <c>caseId</c>. It starts at the moment of connecting, or after the
/// sequence in <c>Last-Event-ID</c> (or <c>?after=</c>), and never ends by itself. It reads the audit log in order,
/// woken by the workspace's changes (on any node), so a missed wake-up costs at most one keep-alive interval.
/// </summary>
internal static class WorkspaceEventStream
{
    // Audit entries read per query; a stream far behind catches up a page at a time.
    private const int Page = 500;

    // Whose each case is, remembered per stream; forgotten wholesale past this many (a stream lasting days).
    private const int RememberedCases = 10_000;

    public static async Task StreamAsync(
        HttpContext context, ClaimsPrincipal user, IHandoffStore store, CaseNotifier notifier, TimeProvider time,
        IOptions<HandoffServerOptions> options, CancellationToken cancellationToken)
    {
        var workspaceId = user.WorkspaceId();
        var caller = user.Actor();
        var request = context.Request;
        string? given = request.Headers["Last-Event-ID"];
        var field = "Last-Event-ID";
        if (string.IsNullOrEmpty(given) && request.Query.TryGetValue("after", out var after))
        {
            (given, field) = (after.ToString(), "after");
        }

        long lastSent;
        if (!string.IsNullOrEmpty(given))
        {
            if (!long.TryParse(given, NumberStyles.None, CultureInfo.InvariantCulture, out lastSent))
            {
                await JsonBody.Invalid(field, "Must be the id of an event this stream sent (a whole number, 0 for the start of the log).").ExecuteAsync(context).ConfigureAwait(false);
                return;
            }
        }
        else
        {
            // From now on: the newest entry of the workspace marks the start (entries of others are skipped anyway).
            var newest = await store.SearchAuditAsync(workspaceId, new AuditQuery { Limit = 1 }, cancellationToken).ConfigureAwait(false);
            lastSent = newest.Count > 0 ? newest[0].Sequence : 0;
        }

        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        // Where the stream starts, as an id with no event: a client that reconnects before its first event resumes
        // from here rather than "from now" (an EventSource keeps it as its last event id; nothing is dispatched).
        await WritePositionAsync(response, lastSent, cancellationToken).ConfigureAwait(false);

        var everyCase = caller.Kind != Roles.Agent;
        var mine = new Dictionary<string, bool>(StringComparer.Ordinal);
        var wake = new Wake();
        using var subscription = notifier.Subscribe(workspaceId, _ => wake.Set());
        // Where entries are sealed after commit (PostgreSQL), the change that woke the stream is in the sealed log a
        // sealing interval or so later: the stream looks again that often for a while after each wake.
        var sealInterval = store.Supports(StoreCapability.MultipleNodes) && options.Value.AuditSealInterval > TimeSpan.Zero
            ? options.Value.AuditSealInterval
            : (TimeSpan?)null;
        var looksLeft = 0;

        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                // Armed before reading: a change committed while the log is read wakes the wait below at once.
                var changed = wake.Arm();
                IReadOnlyList<Core.Audit.AuditEntry> entries;
                do
                {
                    entries = await store.ReadAuditAsync(lastSent, Page, cancellationToken).ConfigureAwait(false);
                    foreach (var entry in entries)
                    {
                        lastSent = entry.Sequence;
                        if (entry.WorkspaceId != workspaceId || !entry.Action.StartsWith("case.", StringComparison.Ordinal) || entry.Subject.Length == 0)
                        {
                            continue;
                        }

                        if (!everyCase && !await IsMineAsync(entry, caller, mine, store, workspaceId, cancellationToken).ConfigureAwait(false))
                        {
                            continue;
                        }

                        var text = await CaseEventStream.MessageTextAsync(store, workspaceId, entry, cancellationToken).ConfigureAwait(false);
                        await CaseEventStream.WriteAsync(response, entry.Sequence, entry, text, cancellationToken, caseId: entry.Subject).ConfigureAwait(false);
                    }
                }
                while (entries.Count == Page);

                await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
                var lookingAgain = sealInterval is not null && looksLeft > 0;
                try
                {
                    await changed.WaitAsync(lookingAgain ? sealInterval!.Value : options.Value.KeepAliveInterval, time, cancellationToken).ConfigureAwait(false);
                    looksLeft = LooksAfterAWake;
                }
                catch (TimeoutException) when (lookingAgain)
                {
                    looksLeft--;
                }
                catch (TimeoutException)
                {
                    // The keep-alive carries the position too: the entries skipped since (other cases) need no re-reading.
                    await WritePositionAsync(response, lastSent, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away.
        }
    }

    // Twenty sealing intervals: two seconds at the default 100 ms, ample for a sealer that keeps up.
    private const int LooksAfterAWake = 20;

    private static async Task WritePositionAsync(HttpResponse response, long position, CancellationToken cancellationToken)
    {
        await response.WriteAsync(string.Create(CultureInfo.InvariantCulture, $": keep-alive\nid: {position}\n\n"), cancellationToken).ConfigureAwait(false);
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A wake-up that is armed before each read of the log and set by any change of the workspace.</summary>
    private sealed class Wake
    {
        private TaskCompletionSource _current = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Arm()
        {
            var fresh = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _current, fresh);
            return fresh.Task;
        }

        public void Set() => Volatile.Read(ref _current).TrySetResult();
    }

    /// <summary>Whether an agent key submitted the entry's case: the creation says so itself; later entries ask the case once.</summary>
    private static async Task<bool> IsMineAsync(
        Core.Audit.AuditEntry entry, Core.Cases.Actor caller, Dictionary<string, bool> mine, IHandoffStore store, string workspaceId, CancellationToken cancellationToken)
    {
        if (mine.TryGetValue(entry.Subject, out var known))
        {
            return known;
        }

        if (mine.Count >= RememberedCases)
        {
            mine.Clear();
        }

        var submitter = entry.Action == "case.created"
            ? entry.ActorId
            : (await store.GetCaseAsync(workspaceId, entry.Subject, cancellationToken).ConfigureAwait(false))?.SubmittedBy?.Id;
        return mine[entry.Subject] = submitter == caller.Id;
    }
}

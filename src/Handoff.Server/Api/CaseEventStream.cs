using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Handoff.Core;
using Handoff.Core.Audit;
using Handoff.Core.Cases;
using Handoff.Server.Auth;
using Handoff.Server.Events;
using Handoff.Storage;
using Microsoft.Extensions.Options;

namespace Handoff.Server.Api;

/// <summary>
/// <c>GET /v1/cases/{id}/events</c>: the case's audit entries as server-sent events, first the history, then each new
/// one as it happens. Each event's id is its entry's id (<see cref="AuditEntry.Id"/>, in the case's order, sealed or
/// not), so a client that reconnects with <c>Last-Event-ID</c> resumes where it stopped. Once the case is closed the stream sends <c>event: end</c> with the final status and
/// ends; a reconnect that has already seen the last entry of a closed case gets 204, which tells a browser's
/// <c>EventSource</c> to stop rather than reconnect forever.
/// </summary>
internal static class CaseEventStream
{
    /// <summary>The type of the event that closes the stream of a closed case.</summary>
    public const string EndEvent = "end";

    // The store's action for a transcript message (AuditData.CaseMessage, internal to the store).
    private const string MessageAction = "case.message";

    public static async Task StreamAsync(
        string id, HttpContext context, ClaimsPrincipal user, IHandoffStore store, CaseNotifier notifier, TimeProvider time,
        IOptions<HandoffServerOptions> options, CancellationToken cancellationToken)
    {
        var workspaceId = user.WorkspaceId();
        var found = await store.GetCaseAsync(workspaceId, id, cancellationToken).ConfigureAwait(false);
        if (found is null)
        {
            await CasesApi.NotFound(id).ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        var resumed = long.TryParse(context.Request.Headers["Last-Event-ID"], NumberStyles.None, CultureInfo.InvariantCulture, out var lastSent);
        if (resumed && !found.Status.IsOpen()
            && (await store.GetCaseHistoryAsync(workspaceId, id, cancellationToken).ConfigureAwait(false)).All(e => e.Id <= lastSent))
        {
            // Everything was delivered, the end included. A first connection (no Last-Event-ID) still gets the history.
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);

        try
        {
            // The case before its history: a case read as closed has its closing entry in the history read after it
            // (both are written in one transaction), so the end event never overtakes it.
            async Task<(HandoffCase? Case, IReadOnlyList<AuditEntry> History)> ReadAsync(CancellationToken token) =>
                (await store.GetCaseAsync(workspaceId, id, token).ConfigureAwait(false),
                 await store.GetCaseHistoryAsync(workspaceId, id, token).ConfigureAwait(false));

            CaseWake? woken = null;
            var clean = false;
            while (!cancellationToken.IsCancellationRequested)
            {
                using var watch = notifier.Watch(id);
                // The streams one change woke share one read of it, when no change came between that wake and this
                // watch, nor while this stream read last (see CaseWake); otherwise it reads for itself.
                var (current, history) = woken is not null && clean && woken.Covers(watch)
                    ? await woken.ReadOnceAsync(new SharedRead(workspaceId), ReadAsync, cancellationToken).ConfigureAwait(false)
                    : await ReadAsync(cancellationToken).ConfigureAwait(false);
                clean = watch.Unchanged;

                // The log holds a message's digest, the case its text. A message added between the two reads is in the
                // history but not in the case read before it: then the case is read again (transcripts only grow).
                var texts = current?.Transcript;
                foreach (var entry in history.Where(e => e.Id > lastSent))
                {
                    string? text = null;
                    if (entry.Action == MessageAction && MessageNumber(entry) is { } number)
                    {
                        if (texts is null || number > texts.Count)
                        {
                            texts = (await store.GetCaseAsync(workspaceId, id, cancellationToken).ConfigureAwait(false))?.Transcript;
                        }

                        text = texts is not null && number <= texts.Count ? texts[number - 1].Text : null;
                    }

                    await WriteAsync(response, entry.Id, entry, text, cancellationToken).ConfigureAwait(false);
                    lastSent = entry.Id;
                }

                if (current is null)
                {
                    return;
                }

                if (!current.Status.IsOpen())
                {
                    await WriteEndAsync(response, current.Status, cancellationToken).ConfigureAwait(false);
                    return;
                }

                await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);

                woken = null;
                if (await watch.WaitAsync(options.Value.KeepAliveInterval, time, cancellationToken).ConfigureAwait(false))
                {
                    woken = watch.Wake;
                }
                else
                {
                    await response.WriteAsync(": keep-alive\n\n", cancellationToken).ConfigureAwait(false);
                    await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away.
        }
    }

    private static int? MessageNumber(AuditEntry entry)
    {
        using var data = JsonDocument.Parse(entry.Data);
        return data.RootElement.TryGetProperty("number", out var number) && number.TryGetInt32(out var value) ? value : null;
    }

    /// <summary>
    /// The last event: no id, so a client's Last-Event-ID stays the last entry's and a reconnect gets 204.
    /// </summary>
    private static async Task WriteEndAsync(HttpResponse response, CaseStatus status, CancellationToken cancellationToken)
    {
        var payload = JsonSerializer.Serialize(new { status }, HandoffJson.Options);
        await response.WriteAsync($"event: {EndEvent}\ndata: {payload}\n\n", cancellationToken).ConfigureAwait(false);
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The text of a <c>case.message</c> entry's message, read from the case (the log holds its digest); null for other entries.</summary>
    internal static async Task<string?> MessageTextAsync(IHandoffStore store, string workspaceId, AuditEntry entry, CancellationToken cancellationToken)
    {
        if (entry.Action != MessageAction || MessageNumber(entry) is not { } number)
        {
            return null;
        }

        var transcript = (await store.GetCaseAsync(workspaceId, entry.Subject, cancellationToken).ConfigureAwait(false))?.Transcript;
        return transcript is not null && number <= transcript.Count ? transcript[number - 1].Text : null;
    }

    /// <summary>
    /// A <c>case.message</c> entry's data gains the message's <paramref name="text"/>, which the log does not hold; the
    /// workspace's stream names the <paramref name="caseId"/> too.
    /// </summary>
    /// <summary>
    /// Writes <paramref name="entry"/> as an event numbered <paramref name="eventId"/>: its id on a case's stream (a
    /// case's entries are in its history as soon as they are committed, sealed or not), its place in the chain on the
    /// workspace's (which follows the sealed log).
    /// </summary>
    internal static async Task WriteAsync(HttpResponse response, long eventId, AuditEntry entry, string? text, CancellationToken cancellationToken, string? caseId = null)
    {
        var data = JsonNode.Parse(entry.Data);
        if (text is not null && data is JsonObject message)
        {
            message["text"] = text;
        }

        var payload = JsonSerializer.Serialize(new
        {
            sequence = eventId,
            caseId,
            action = entry.Action,
            at = entry.At,
            actor = new Actor(entry.ActorKind, entry.ActorId, entry.ActorName),
            data,
        }, HandoffJson.Options);
        await response.WriteAsync($"id: {eventId}\nevent: {entry.Action}\ndata: {payload}\n\n", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The key of the read that the streams one change woke share (see <see cref="CaseWake"/>).</summary>
    private sealed record SharedRead(string WorkspaceId);
}

using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
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
/// one as it happens; the stream ends once the case is closed. Each event's id is its audit sequence, so a client
/// that reconnects with <c>Last-Event-ID</c> resumes where it stopped.
/// </summary>
internal static class CaseEventStream
{
    public static async Task StreamAsync(
        string id, HttpContext context, ClaimsPrincipal user, IHandoffStore store, CaseNotifier notifier, TimeProvider time,
        IOptions<HandoffServerOptions> options, CancellationToken cancellationToken)
    {
        var workspaceId = user.WorkspaceId();
        if (await store.GetCaseAsync(workspaceId, id, cancellationToken).ConfigureAwait(false) is null)
        {
            await CasesApi.NotFound(id).ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        long.TryParse(context.Request.Headers["Last-Event-ID"], NumberStyles.None, CultureInfo.InvariantCulture, out var lastSent);
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);

        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                using var watch = notifier.Watch(id);
                var history = await store.GetCaseHistoryAsync(workspaceId, id, cancellationToken).ConfigureAwait(false);
                foreach (var entry in history.Where(e => e.Sequence > lastSent))
                {
                    await WriteAsync(response, entry, cancellationToken).ConfigureAwait(false);
                    lastSent = entry.Sequence;
                }

                await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
                var current = await store.GetCaseAsync(workspaceId, id, cancellationToken).ConfigureAwait(false);
                if (current is null || !current.Status.IsOpen())
                {
                    return;
                }

                if (!await watch.WaitAsync(options.Value.KeepAliveInterval, time, cancellationToken).ConfigureAwait(false))
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

    private static async Task WriteAsync(HttpResponse response, AuditEntry entry, CancellationToken cancellationToken)
    {
        var payload = JsonSerializer.Serialize(new
        {
            sequence = entry.Sequence,
            action = entry.Action,
            at = entry.At,
            actor = new Actor(entry.ActorKind, entry.ActorId, entry.ActorName),
            data = JsonElement.Parse(entry.Data),
        }, HandoffJson.Options);
        await response.WriteAsync($"id: {entry.Sequence}\nevent: {entry.Action}\ndata: {payload}\n\n", cancellationToken).ConfigureAwait(false);
    }
}

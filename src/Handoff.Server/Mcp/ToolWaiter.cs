using Handoff.Core.Cases;
using Handoff.Server.Auth;
using Handoff.Server.Events;
using ModelContextProtocol;

namespace Handoff.Server.Mcp;

/// <summary>
/// A tool's wait for a person (<see cref="CaseWaiter"/>), sending <c>notifications/progress</c> every
/// <see cref="ProgressInterval"/> while it lasts when the client asked for progress: on the same response stream, so it
/// works on the stateless endpoint, and a client that resets its timeout on progress never gives up on a wait.
/// </summary>
internal sealed class ToolWaiter(CaseWaiter waiter, TimeProvider time)
{
    /// <summary>How often a wait reports; well inside any client's timeout, and few enough messages to be no load.</summary>
    public static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(5);

    /// <summary>As <see cref="CaseWaiter.WaitAsync"/>, in the caller's workspace, reporting progress meanwhile.</summary>
    public Task<HandoffCase?> WaitAsync(ToolCall call, string caseId, TimeSpan wait, CancellationToken cancellationToken) =>
        ReportingAsync(call, waiter.WaitAsync(call.Caller.WorkspaceId(), caseId, wait, cancellationToken), wait, "a person to decide", cancellationToken);

    /// <summary>As <see cref="CaseWaiter.WaitForMessagesAsync"/>, in the caller's workspace, reporting progress meanwhile.</summary>
    public Task<HandoffCase?> WaitForMessagesAsync(ToolCall call, string caseId, int after, TimeSpan wait, CancellationToken cancellationToken) =>
        ReportingAsync(call, waiter.WaitForMessagesAsync(call.Caller.WorkspaceId(), caseId, after, wait, cancellationToken), wait, "the person's reply", cancellationToken);

    private async Task<HandoffCase?> ReportingAsync(ToolCall call, Task<HandoffCase?> waiting, TimeSpan wait, string what, CancellationToken cancellationToken)
    {
        if (call.ProgressToken is not { } token || wait <= TimeSpan.Zero)
        {
            return await waiting.ConfigureAwait(false);
        }

        using var ticks = new PeriodicTimer(ProgressInterval, time);
        var waited = TimeSpan.Zero;
        // A disposed timer ends a pending tick with false, so the tick left behind when the wait wins is harmless.
        while (true)
        {
            var tick = ticks.WaitForNextTickAsync(cancellationToken).AsTask();
            if (await Task.WhenAny(waiting, tick).ConfigureAwait(false) == waiting)
            {
                return await waiting.ConfigureAwait(false);
            }

            await tick.ConfigureAwait(false); // throws when the call is cancelled
            waited += ProgressInterval;
            var progress = new ProgressNotificationValue
            {
                Progress = (float)waited.TotalSeconds,
                Total = (float)wait.TotalSeconds,
                Message = $"Waiting for {what} ({waited.TotalSeconds:0} of {wait.TotalSeconds:0} seconds).",
            };
            await call.Server.NotifyProgressAsync(token, progress, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }
}

using System.Text.Json.Nodes;
using Handoff.Client.Tests.Infrastructure;

namespace Handoff.Client.Tests;

/// <summary>What the SDK tells an agent about what happens next: live or queued, and the expected wait with its basis.</summary>
public sealed class HandlingTests
{
    [Fact]
    public async Task SubmitCase_ForAPerson_ExposesTheModeAndTheExpectedWait_AndAnAutoCaseHasNone()
    {
        await using var server = await ClientTestServer.StartAsync();
        var client = server.Agent();

        var queued = await client.SubmitCaseAsync(Cases.Refund(), TestContext.Current.CancellationToken);

        // Nobody in the default workspace is online, so the built-in policy's "either" queues the case; with no
        // pick-ups yet the estimate is the stated default.
        var handling = Assert.IsType<CaseHandling>(queued.Handling);
        Assert.False(handling.IsLive);
        Assert.Equal("queue", handling.Mode);
        Assert.Equal(TimeSpan.FromMinutes(15), handling.ExpectedWait);
        Assert.Contains("no pick-ups at team sales", handling.Basis, StringComparison.Ordinal);
        Assert.Null(handling.LiveUntil);
    }

    [Fact]
    public void CaseEvent_OfALiveFallback_ReadsTheExpectedWaitAndItsBasis()
    {
        var data = JsonNode.Parse("""{"status":"queued","expectedWaitSeconds":171,"basis":"median of 3 pick-ups at team billing, priority normal, in the last 2 h"}""")!.AsObject();
        var fallback = new CaseEvent(9, CaseEvent.LiveFallback, DateTimeOffset.UnixEpoch, new Actor("system", "system", "Handoff"), data);
        var other = fallback with { Action = "case.claimed" };

        Assert.Equal(TimeSpan.FromSeconds(171), fallback.ExpectedWait);
        Assert.StartsWith("median of 3 pick-ups", fallback.WaitBasis, StringComparison.Ordinal);
        Assert.Null(other.ExpectedWait);
        Assert.Null(other.WaitBasis);
    }
}

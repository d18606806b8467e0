using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Handoff.Server.Events;
using Handoff.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Handoff.Server.Tests.Api;

/// <summary>Two real servers on one PostgreSQL schema: what one node does, the other hears of at once.</summary>
public sealed class SeveralNodesTests : IDisposable
{
    private readonly PostgresSchema _schema = new();

    public void Dispose() => _schema.Dispose();

    [Fact]
    public async Task DecisionOnOneNode_WakesTheAgentLongPollingAnother()
    {
        await using var a = await StartNodeAsync();
        await using var b = await StartNodeAsync();
        var id = await TestCases.SubmitPendingAsync(a.Client(a.AgentKey));

        // Fake time never moves: only the relay's signal can answer the waiting request on B.
        var waiting = b.Client(a.AgentKey).GetAsync($"/v1/cases/{id}/decision?wait=300");
        await b.UntilSomeoneWaitsOnAsync(id);
        using var decide = await TestCases.DecideAsync(a.Client(a.ReviewerKey), id, new { verdict = "approve" });
        Assert.Equal(HttpStatusCode.OK, decide.StatusCode);

        using var response = await waiting.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("approve", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("decision").GetProperty("verdict").GetString());
    }

    [Fact]
    public async Task ListeningConnectionKilled_TheRelayListensAgain_AndWakesWhoeverWaits()
    {
        await using var a = await StartNodeAsync();
        await using var b = await StartNodeAsync();
        var id = await TestCases.SubmitPendingAsync(a.Client(a.AgentKey));
        var waiting = b.Client(a.AgentKey).GetAsync($"/v1/cases/{id}/decision?wait=300");
        await b.UntilSomeoneWaitsOnAsync(id);

        _schema.Execute(
            $"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '{_schema.Name}' AND query = 'LISTEN {PostgresEventRelay.Channel}'");
        await UntilAsync(() => Relay(a).Reconnects > 0 && Relay(b).Reconnects > 0 && Relay(a).Listening && Relay(b).Listening);
        // Woken by the reconnection (signals may have been missed), the request read the case and waits again.
        await b.UntilSomeoneWaitsOnAsync(id);
        Assert.False(waiting.IsCompleted);
        using var decide = await TestCases.DecideAsync(a.Client(a.ReviewerKey), id, new { verdict = "reject", text = "No." });

        using var response = await waiting.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task KeyRevokedOnOneNode_IsRefusedOnTheOtherAtOnce()
    {
        await using var a = await StartNodeAsync();
        await using var b = await StartNodeAsync();
        var agentOnB = b.Client(a.AgentKey);
        var id = await TestCases.SubmitPendingAsync(agentOnB); // B has the key in its cache now.
        var keyId = (await a.Store.FindApiKeyByHashAsync(Server.Auth.ApiKeys.Hash(a.AgentKey), TestContext.Current.CancellationToken))!.Id;

        Assert.True(await a.App.Services.GetRequiredService<Server.Auth.ApiKeyCache>().RevokeAsync(
            (await a.Store.FindWorkspaceAsync("default", TestContext.Current.CancellationToken))!.Id, keyId, Core.Cases.Actor.Cli("tests"), TestContext.Current.CancellationToken));

        // B's cached hit would last 30 s of (fake, unmoving) time; only the relay's signal can end it.
        await UntilAsync(async () => (await agentOnB.GetAsync($"/v1/cases/{id}")).StatusCode == HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task AutonomyStoppedOnOneNode_TheOtherEscalatesWhatItWouldHaveApproved()
    {
        await using var a = await StartNodeAsync();
        await using var b = await StartNodeAsync();
        var agentOnB = b.Client(a.AgentKey);
        var routine = TestCases.Auto();
        Assert.Equal("approved", await StatusOfAsync(agentOnB, routine)); // B has the policy cached now.

        using var stop = await a.Client(a.AdminKey).PutAsJsonAsync("/v1/autonomy", new { enabled = false, reason = "incident" }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, stop.StatusCode);

        await UntilAsync(async () => await StatusOfAsync(agentOnB, routine) != "approved");
    }

    [Fact]
    public async Task AutonomyStoppedWithoutASignal_TheOtherNodeChecksItsCopyAgainWithinTheRefresh()
    {
        await using var a = await StartNodeAsync();
        await using var b = await StartNodeAsync();
        var agentOnB = b.Client(a.AgentKey);
        var routine = TestCases.Auto();
        Assert.Equal("approved", await StatusOfAsync(agentOnB, routine));

        // Straight into the store, as if the node that wrote it died before its signal went out.
        var workspace = (await a.Store.FindWorkspaceAsync("default", TestContext.Current.CancellationToken))!;
        await a.Store.SetAutonomyAsync(workspace.Id, false, "incident", Core.Cases.Actor.Cli("tests"), TestContext.Current.CancellationToken);

        Assert.Equal("approved", await StatusOfAsync(agentOnB, routine)); // B's copy is younger than the refresh
        b.Time.Advance(Server.Policies.PolicyService.SharedStoreRefresh);
        Assert.NotEqual("approved", await StatusOfAsync(agentOnB, routine));
    }

    [Fact]
    public async Task EntriesWrittenOnBothNodes_AreSealedByTheNodesSealers_IntoOneChainTheAuditPageVerifies()
    {
        await using var a = await StartNodeAsync();
        await using var b = await StartNodeAsync();
        var first = await TestCases.SubmitPendingAsync(a.Client(a.AgentKey));
        var second = await TestCases.SubmitPendingAsync(b.Client(a.AgentKey));
        using (await TestCases.DecideAsync(b.Client(a.ReviewerKey), first, new { verdict = "approve" }))
        {
        }

        // Written unsealed; each node's sealer looks again every AuditSealInterval of its clock.
        Assert.True((await a.Store.GetUnsealedAuditAsync(TestContext.Current.CancellationToken)).Count > 0);
        await UntilAsync(async () =>
        {
            a.Time.Advance(TimeSpan.FromMilliseconds(100));
            b.Time.Advance(TimeSpan.FromMilliseconds(100));
            return (await b.Store.GetUnsealedAuditAsync(TestContext.Current.CancellationToken)).Count == 0;
        });

        var report = await Server.Audit.AuditLogVerifier.CheckAsync(a.Store, null, TestContext.Current.CancellationToken);
        Assert.True(report.Intact, string.Join("\n", report.Problems));
        Assert.Equal(Storage.UnsealedAudit.None, report.Unsealed);
        var log = await a.Store.ReadAuditAsync(0, 1000, TestContext.Current.CancellationToken);
        Assert.Equal(report.Chain.Checked, log.Count);
        Assert.Contains(log, e => e.Subject == second && e.Action == "case.created");
        Assert.Contains(log, e => e.Subject == first && e.Action == "case.decided");
    }

    [Fact]
    public async Task AWorkspaceStreamOnOneNode_GetsASubmissionOnAnother_OnceASealerHasSealedIt()
    {
        await using var a = await StartNodeAsync();
        await using var b = await StartNodeAsync();
        await using var stream = await WorkspaceEventStreamTests.Events.OpenAsync(b.Client(a.ReviewerKey), "/v1/events");

        var id = await TestCases.SubmitPendingAsync(a.Client(a.AgentKey));

        // The stream, woken by the relay, finds the entry unsealed and looks again each sealing interval of its
        // clock; the sealers run on theirs. Two seconds of the clocks, well inside the 15 s keep-alive that would
        // otherwise be the stream's next look.
        var next = stream.NextAsync();
        for (var step = 0; step < 20 && !next.IsCompleted; step++)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
            a.Time.Advance(TimeSpan.FromMilliseconds(100));
            b.Time.Advance(TimeSpan.FromMilliseconds(100));
        }

        var created = await next;
        Assert.Equal("case.created", created.EventType);
        Assert.Contains(id, created.Data, StringComparison.Ordinal);
    }

    private async Task<TestServer> StartNodeAsync() => await TestServer.StartAsync(options => options.Store = _schema.Store);

    private static PostgresEventRelay Relay(TestServer node) => node.App.Services.GetRequiredService<PostgresEventRelay>();

    private static async Task<string?> StatusOfAsync(HttpClient agent, System.Text.Json.Nodes.JsonObject body) =>
        (await TestCases.SubmitAsync(agent, (System.Text.Json.Nodes.JsonObject)body.DeepClone())).GetProperty("status").GetString();

    private static Task UntilAsync(Func<bool> condition) => UntilAsync(() => Task.FromResult(condition()));

    private static async Task UntilAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 500; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        Assert.Fail("the other node did not catch up");
    }
}

using System.Diagnostics.Metrics;
using System.Net.Http.Json;
using System.Text.Json;
using Handoff.Server.Diagnostics;
using Handoff.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Handoff.Server.Tests.Diagnostics;

public sealed class HandoffMetricsTests
{
    [Fact]
    public async Task SubmitAndDecide_AreCountedByOutcomeAndVerdict()
    {
        await using var server = await TestServer.StartAsync();
        var meters = server.App.Services.GetRequiredService<IMeterFactory>();
        using var submitted = new MetricCollector<long>(meters, HandoffMetrics.MeterName, "handoff.cases.submitted");
        using var decided = new MetricCollector<long>(meters, HandoffMetrics.MeterName, "handoff.cases.decided");
        var agent = server.Client(server.AgentKey);

        await TestCases.SubmitAsync(agent, TestCases.Auto());
        var id = await TestCases.SubmitPendingAsync(agent);
        using var decide = await TestCases.DecideAsync(server.Client(server.ReviewerKey), id, new { verdict = "approve" });

        Assert.Equal(["auto", "review"], submitted.GetMeasurementSnapshot().Select(m => (string)m.Tags["outcome"]!).Order());
        Assert.Equal("approve", Assert.Single(decided.GetMeasurementSnapshot()).Tags["verdict"]);
    }

    [Fact]
    public async Task TheStoresWrites_AreMeasuredThroughTheHostsMeters()
    {
        await using var server = await TestServer.StartAsync();
        await server.DrainOutboxAsync();
        // The names operators are told to watch (docs/operations.md), through the host's own meter factory.
        using var batches = new MetricCollector<int>(server.App.Services.GetRequiredService<IMeterFactory>(), "Handoff.Storage", "handoff.store.batch.size");

        await TestCases.SubmitAsync(server.Client(server.AgentKey), TestCases.Auto());

        var batch = Assert.Single(batches.GetMeasurementSnapshot());
        Assert.Equal(1, batch.Value);
        Assert.Equal("sqlite", batch.Tags["backend"]);
    }

    [Fact]
    public async Task AWaitingServer_WritesNothingUntilACaseExpires()
    {
        await using var server = await TestServer.StartAsync();
        var agent = server.Client(server.AgentKey);
        var body = TestCases.HighValue();
        body["expiresIn"] = "2m";
        var id = await TestCases.SubmitPendingAsync(agent, body);
        await server.DrainOutboxAsync();
        await RolledUpAsync(server);
        using var batches = new MetricCollector<int>(server.App.Services.GetRequiredService<IMeterFactory>(), "Handoff.Storage", "handoff.store.batch.size");
        var waiting = agent.GetAsync($"/v1/cases/{id}/decision?wait=300", TestContext.Current.CancellationToken);

        // Two minutes pass in 5-second steps, each waking the expiry worker, the outbox dispatcher and (every other
        // step) the overview's roll-up; only the expiry writes, and then the dispatcher writes once to move past the
        // expiry's audit entry, and the roll-up once to count the case it closed.
        await server.AdvanceUntilAsync(waiting);
        await server.DrainOutboxAsync();
        await RolledUpAsync(server);

        using var response = await waiting;
        Assert.Equal("rejected", (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("status").GetString());
        // Counted in writes, not batches: the dispatcher's and the roll-up's writes, woken by one step, may share a commit.
        Assert.Equal(3, batches.GetMeasurementSnapshot().Sum(static m => m.Value));
    }

    // Lets the overview's roll-up worker reach the end of the audit log, the clock moving on in 5-second steps.
    private static async Task RolledUpAsync(TestServer server)
    {
        var ct = TestContext.Current.CancellationToken;
        var end = (await server.Store.ReadAuditAsync(0, 10_000, ct))[^1].Sequence;
        var workspace = (await server.Store.ListWorkspacesAsync(ct)).Single(static w => w.Name != "other");
        while ((await server.Store.GetOverviewFactsAsync(workspace.Id, DateTimeOffset.MinValue, ct)).Position < end)
        {
            server.Time.Advance(TimeSpan.FromSeconds(5));
            await Task.Delay(10, ct);
        }
    }
}

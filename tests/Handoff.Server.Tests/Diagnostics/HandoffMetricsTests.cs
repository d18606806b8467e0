using System.Diagnostics.Metrics;
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
        // The names operators are told to watch (docs/operations.md), through the host's own meter factory.
        using var batches = new MetricCollector<int>(server.App.Services.GetRequiredService<IMeterFactory>(), "Handoff.Storage", "handoff.store.batch.size");

        await TestCases.SubmitAsync(server.Client(server.AgentKey), TestCases.Auto());

        // The expiry worker's passes are batches too, so there may be more than the submission's.
        var measured = batches.GetMeasurementSnapshot();
        Assert.NotEmpty(measured);
        Assert.All(measured, batch => Assert.Equal("sqlite", batch.Tags["backend"]));
    }
}

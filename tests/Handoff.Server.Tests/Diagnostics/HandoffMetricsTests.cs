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
}

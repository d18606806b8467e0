using System.Net;
using Handoff.Server.Tests.Infrastructure;
using Handoff.Tests.Shared;

namespace Handoff.Server.Tests.Api;

/// <summary>A node whose PostgreSQL goes away answers 503 problems, not 500s, and serves again once it is back.</summary>
public sealed class DatabaseDownTests
{
    [Fact]
    public async Task DatabaseStopped_Answers503Problem_AndServesAgainWhenItIsBack()
    {
        // A PostgreSQL of this test's own, so that stopping it disturbs no other test.
        var database = new PostgresScript();
        try
        {
            var store = await database.StartAsync();
            await using var server = await TestServer.StartAsync(options => options.Store = store);
            var agent = server.Client(server.AgentKey);
            var id = await TestCases.SubmitPendingAsync(agent);

            await database.StopAsync();
            using (var down = await agent.GetAsync($"/v1/cases/{id}", TestContext.Current.CancellationToken))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
                Assert.Equal("application/problem+json", down.Content.Headers.ContentType?.MediaType);
                Assert.Contains("Idempotency-Key", await down.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
            }

            await database.StartAsync();
            using var back = await agent.GetAsync($"/v1/cases/{id}", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, back.StatusCode);
        }
        finally
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            await database.DestroyAsync();
        }
    }
}

using Handoff.Core.Learning;
using Handoff.Server.Learning;
using Handoff.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Handoff.Server.Tests.Learning;

/// <summary>The background embedding of decided cases: batches, and a text the model cannot take.</summary>
public sealed class EmbeddingWorkerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ATextTheModelFailsOn_IsStoredEmpty_AndNotTriedAgain_WhileTheRestOfItsBatchIsEmbedded()
    {
        await using var server = await TestServer.StartAsync();
        var agent = server.Client(server.AgentKey);
        var reviewer = server.Client(server.ReviewerKey);
        List<string> ids = [];
        foreach (var text in (string[])["Broken kettle", "poison pill", "Where is my parcel"])
        {
            var body = TestCases.HighValue();
            body["summary"] = text;
            var id = await TestCases.SubmitPendingAsync(agent, body);
            using var decided = await TestCases.DecideAsync(reviewer, id, new { verdict = "approve" });
            ids.Add(id);
        }

        var model = new Picky();
        var worker = new EmbeddingWorker(
            server.Store, model, server.App.Services.GetRequiredService<IOptions<HandoffServerOptions>>(), server.Time, NullLogger<EmbeddingWorker>.Instance);

        Assert.Equal(3, await worker.RoundAsync(Ct));
        Assert.Equal(0, await worker.RoundAsync(Ct));

        var workspace = (await server.Store.ListWorkspacesAsync(Ct)).Single(static w => w.Name != "other");
        var stored = await server.Store.GetDecisionEmbeddingsAsync(workspace.Id, model.Model, ids, Ct);
        Assert.Equal([2, 0, 2], ids.Select(id => stored[id].Length));
        Assert.Equal(4, model.Calls); // the batch, then each of its three alone; never again
    }

    [Fact]
    public async Task LearningSettings_ComeFromConfiguration_AsTheOperationsGuideSays()
    {
        // docs/operations.md: Handoff__Learning__EmbedInterval=0 on every node but one lets that one embed.
        await using var server = await TestServer.StartAsync(null,
            "--Handoff:Learning:EmbedInterval=00:00:00", "--Handoff:Learning:Embeddings=false", "--Handoff:Learning:TrainInterval=00:30:00");

        var learning = server.App.Services.GetRequiredService<IOptions<HandoffServerOptions>>().Value.Learning;

        Assert.Equal(TimeSpan.Zero, learning.EmbedInterval);
        Assert.False(learning.Embeddings);
        Assert.Equal(TimeSpan.FromMinutes(30), learning.TrainInterval);
    }

    [Theory]
    [InlineData("--Handoff:Learning:FirstTrainingDelay=-00:00:05", "Handoff:Learning:FirstTrainingDelay")]
    [InlineData("--Handoff:Learning:TrainInterval=60.00:00:00", "Handoff:Learning:TrainInterval")]
    [InlineData("--Handoff:Learning:EmbedInterval=50.00:00:00", "Handoff:Learning:EmbedInterval")]
    public async Task ALearningTimeNoTimerCanWait_StopsTheStart_NamingTheSetting(string setting, string name)
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => TestServer.StartAsync(null, setting));

        Assert.StartsWith(name + ":", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-0.5")]
    [InlineData("1.5")]
    [InlineData("NaN")]
    public async Task AnEmbeddingShareThatIsNoShareOfACore_StopsTheStart_NamingTheSetting(string share)
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => TestServer.StartAsync(null, $"--Handoff:Learning:EmbedCpuShare={share}"));

        Assert.StartsWith("Handoff:Learning:EmbedCpuShare:", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(10, 0.25, 30)]
    [InlineData(10, 0.5, 10)]
    [InlineData(40, 0.8, 10)]
    [InlineData(10, 1, 0)]
    [InlineData(0, 0.25, 0)]
    public void BetweenBatches_TheWorkerPauses_SoThatTheModelKeepsItsShareOfACore(int busyMs, double share, int pauseMs)
    {
        var pause = EmbeddingWorker.PauseAfter(TimeSpan.FromMilliseconds(busyMs), share);

        Assert.Equal(TimeSpan.FromMilliseconds(pauseMs), pause);
        Assert.Equal(share, busyMs == 0 ? share : busyMs / (busyMs + pause.TotalMilliseconds), 9);
    }

    [Fact]
    public async Task AModelThatFailsOnEverything_StoresNothing_AndTheRowsWaitForTheNextRound()
    {
        await using var server = await TestServer.StartAsync();
        var id = await DecidedAsync(server, "poison alone");
        var model = new Picky();
        var worker = Worker(server, model);

        await Assert.ThrowsAsync<InvalidOperationException>(() => worker.RoundAsync(Ct));
        await Assert.ThrowsAsync<InvalidOperationException>(() => worker.RoundAsync(Ct));

        Assert.Single(await server.Store.ListDecisionsToEmbedAsync(model.Model, 0, 10, Ct));
        Assert.Equal(4, model.Calls); // tried alone each round, stored never
        Assert.Empty(await server.Store.GetDecisionEmbeddingsAsync((await WorkspaceAsync(server)).Id, model.Model, [id], Ct));
    }

    [Fact]
    public async Task OnceCaughtUp_ItStillFindsTheNextDecision()
    {
        await using var server = await TestServer.StartAsync();
        await DecidedAsync(server, "Broken kettle");
        var model = new Picky();
        var worker = Worker(server, model);
        Assert.Equal(1, await worker.RoundAsync(Ct));
        Assert.Equal(0, await worker.RoundAsync(Ct));

        var later = await DecidedAsync(server, "Where is my parcel");

        Assert.Equal(1, await worker.RoundAsync(Ct));
        Assert.Single(await server.Store.GetDecisionEmbeddingsAsync((await WorkspaceAsync(server)).Id, model.Model, [later], Ct));
    }

    private static EmbeddingWorker Worker(TestServer server, ITextEmbedder model) =>
        new(server.Store, model, server.App.Services.GetRequiredService<IOptions<HandoffServerOptions>>(), server.Time, NullLogger<EmbeddingWorker>.Instance);

    private static async Task<Handoff.Storage.Workspace> WorkspaceAsync(TestServer server) =>
        (await server.Store.ListWorkspacesAsync(Ct)).Single(static w => w.Name != "other");

    private static async Task<string> DecidedAsync(TestServer server, string summary)
    {
        var body = TestCases.HighValue();
        body["summary"] = summary;
        var id = await TestCases.SubmitPendingAsync(server.Client(server.AgentKey), body);
        using var decided = await TestCases.DecideAsync(server.Client(server.ReviewerKey), id, new { verdict = "approve" });
        Assert.True(decided.IsSuccessStatusCode);
        return id;
    }

    /// <summary>A model that cannot embed a text with "poison" in it.</summary>
    private sealed class Picky : ITextEmbedder
    {
        public int Calls { get; private set; }

        public string Model => "picky";

        public IReadOnlyList<float[]> Embed(IReadOnlyList<string> texts)
        {
            Calls++;
            return texts.Any(static t => t.Contains("poison", StringComparison.Ordinal))
                ? throw new InvalidOperationException("The model cannot take this text.")
                : [.. texts.Select(static _ => new[] { 0.6f, 0.8f })];
        }
    }
}

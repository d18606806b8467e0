using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Handoff.Core.Cases;
using Handoff.Embeddings;
using Handoff.Samples.SupportAgent.Classification;
using Handoff.Server;
using Handoff.Server.Auth;
using Handoff.Server.Hosting;
using Handoff.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Handoff.Eval;

/// <summary>
/// Streams a labelled data set through a real Handoff server on loopback: the sample agent's ML.NET intent
/// classifier, trained on the train split, proposes a label for each test message with its confidence; the policy
/// pins must-escalate labels to people and leaves the rest to the learned gate (every proposal is below a floor of
/// 1); an oracle reviewer approves what is right and corrects what is wrong, and answers the QA checks. The gate is
/// retrained every <see cref="EvalSettings.RetrainEvery"/> decisions. Each run uses a fresh server and its own shuffle.
/// </summary>
public static class EvalRunner
{
    public static async Task<EvalReport> RunAsync(
        string dataName, IReadOnlyList<EvalExample> examples, IReadOnlySet<string> mustEscalate, EvalSettings settings,
        IProgress<EvalProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(mustEscalate);
        ArgumentNullException.ThrowIfNull(settings);
        var train = examples.Where(static e => e.IsTrain).ToList();
        var test = examples.Where(static e => e.IsTest).ToList();
        if (settings.TrainLimit is { } trainLimit)
        {
            train = [.. Shuffle(train, settings.Seed).Take(trainLimit)];
        }

        if (train.Count == 0 || test.Count == 0)
        {
            throw new InvalidDataException($"The data needs both splits: {train.Count} train and {test.Count} test examples were found.");
        }

        progress?.Report(new EvalProgress("training the agent's classifier", 0, 0, train.Count));
        var labeled = train.Select(static e => LabeledText.Of(e.Label, e.Text)).ToList();
        var embedder = new MiniLmEmbedder();
        var classifier = await Task.Run(
            () => settings.Agent == EvalAgent.Embeddings ? IntentClassifier.Train(labeled, embedder.Embed) : IntentClassifier.Train(labeled), cancellationToken).ConfigureAwait(false);

        // The classifier does not change between runs: each test message is ranked once (the embedder reads batches).
        progress?.Report(new EvalProgress("ranking the test messages", 0, 0, test.Count));
        var texts = test.Select(static e => e.Text).Distinct(StringComparer.Ordinal).ToList();
        var ranked = await Task.Run(() => classifier.RankAll(texts), cancellationToken).ConfigureAwait(false);
        var proposals = texts.Select((text, i) => (text, ranked[i][0])).ToDictionary(static p => p.text, static p => p.Item2, StringComparer.Ordinal);
        var runs = new List<EvalRun>(settings.Runs);
        for (var run = 0; run < settings.Runs; run++)
        {
            var seed = settings.Seed + run;
            var stream = Shuffle(test, seed);
            if (settings.Limit is { } limit)
            {
                stream = [.. stream.Take(limit)];
            }

            runs.Add(await RunOnceAsync(proposals, stream, mustEscalate, settings, seed, run, progress, cancellationToken).ConfigureAwait(false));
        }

        return new EvalReport(dataName, settings, train.Count, test.Count, runs);
    }

    private static async Task<EvalRun> RunOnceAsync(
        Dictionary<string, IntentScore> proposals, IReadOnlyList<EvalExample> stream, IReadOnlySet<string> mustEscalate, EvalSettings settings, int seed, int run,
        IProgress<EvalProgress>? progress, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(Path.GetTempPath(), "handoff-eval", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var policyPath = Path.Combine(directory, "policy.yaml");
        await File.WriteAllTextAsync(policyPath, Policy(mustEscalate, settings), cancellationToken).ConfigureAwait(false);
        var options = new HandoffServerOptions { DataDirectory = directory, PolicyFile = policyPath, AuditCheckpointInterval = TimeSpan.Zero };
        options.Learning.TrainInterval = TimeSpan.Zero;
        // Nothing here reads precedents: the embedding worker would only take CPU from the run.
        options.Learning.Embeddings = false;
        // The same two as arguments too: configuration (Handoff__Learning__… in the environment) is bound over the
        // options, and the command line is the one source nothing overrides.
        var app = HandoffServer.Build(["--Handoff:Learning:TrainInterval=00:00:00", "--Handoff:Learning:Embeddings=false"], options,
            static services => services.AddLogging(static l => l.SetMinimumLevel(LogLevel.Warning)));
        app.Urls.Add("http://127.0.0.1:0");
        try
        {
            await app.InitializeAsync(cancellationToken).ConfigureAwait(false);
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            var store = app.Services.GetRequiredService<IHandoffStore>();
            var time = app.Services.GetRequiredService<TimeProvider>();
            var actor = Actor.Cli("eval");
            using var agent = Client(app, await ApiKeys.IssueAsync(store, "default", ApiKeyRole.Agent, "eval agent", actor, time, cancellationToken).ConfigureAwait(false));
            using var reviewer = Client(app, await ApiKeys.IssueAsync(store, "default", ApiKeyRole.Reviewer, "eval oracle", actor, time, cancellationToken).ConfigureAwait(false));
            using var admin = Client(app, await ApiKeys.IssueAsync(store, "default", ApiKeyRole.Admin, "eval admin", actor, time, cancellationToken).ConfigureAwait(false));

            var outcomes = new List<CaseOutcome>(stream.Count);
            var points = new List<EvalPoint>();
            var sinceTraining = 0;
            var status = "not trained yet";
            var right = 0;
            foreach (var example in stream)
            {
                var top = proposals[example.Text];
                var correct = top.Intent == example.Label && !mustEscalate.Contains(example.Label);
                right += top.Intent == example.Label ? 1 : 0;
                var created = await SubmitAsync(agent, example.Text, top.Intent, top.Probability, cancellationToken).ConfigureAwait(false);
                var id = created.GetProperty("id").GetString()!;
                var approved = created.GetProperty("status").GetString() == "approved";
                var learned = created.TryGetProperty("learned", out var l) ? l : default;
                var byGate = learned.ValueKind == JsonValueKind.Object && learned.GetProperty("approved").GetBoolean();
                var qa = false;
                if (!approved)
                {
                    await DecideAsync(reviewer, id, correct, example.Label, cancellationToken).ConfigureAwait(false);
                    sinceTraining++;
                }
                else if (learned.ValueKind == JsonValueKind.Object && learned.GetProperty("sample").GetBoolean())
                {
                    using var check = await reviewer.PostAsJsonAsync($"/v1/cases/{id}/qa", new { agreed = correct }, cancellationToken).ConfigureAwait(false);
                    check.EnsureSuccessStatusCode();
                    qa = true;
                    sinceTraining++;
                }

                outcomes.Add(new CaseOutcome(example.Label, top.Intent, top.Probability, correct, mustEscalate.Contains(top.Intent), approved, byGate,
                    learned.ValueKind == JsonValueKind.Object && learned.TryGetProperty("score", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetDouble() : null, qa));
                if (sinceTraining >= settings.RetrainEvery)
                {
                    sinceTraining = 0;
                    using var trained = await admin.PostAsync("/v1/learning/gate/train", null, cancellationToken).ConfigureAwait(false);
                    trained.EnsureSuccessStatusCode();
                    status = (await trained.Content.ReadFromJsonAsync<JsonElement>(cancellationToken).ConfigureAwait(false)).GetProperty("status").GetString() ?? "";
                }

                if (outcomes.Count % settings.ReportEvery == 0 || outcomes.Count == stream.Count)
                {
                    points.Add(Point(outcomes, settings, status));
                }

                progress?.Report(new EvalProgress($"run {run + 1} of {settings.Runs}", run, outcomes.Count, stream.Count) { Latest = points.Count > 0 ? points[^1] : null });
            }

            return new EvalRun(seed, points, settings.MaxError, (double)right / stream.Count);
        }
        finally
        {
            await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // Left for the OS to clean.
            }
        }
    }

    /// <summary>The figures so far: the gate's, a floor tuned in hindsight to the gate's measured error, and one tuned to maxError.</summary>
    internal static EvalPoint Point(IReadOnlyList<CaseOutcome> outcomes, EvalSettings settings, string status)
    {
        var gate = Figures.OfGate(outcomes, settings.Confidence);
        var from = Math.Max(0, (outcomes.Count - 1) / settings.ReportEvery * settings.ReportEvery);
        return new EvalPoint(
            outcomes.Count, gate, FloorFigures.Tune(outcomes, gate.SilentError, settings.Confidence),
            FloorFigures.Tune(outcomes, settings.MaxError, settings.Confidence), status)
        {
            Window = Figures.OfGate([.. outcomes.Skip(from)], settings.Confidence),
        };
    }

    /// <summary>The policy under test: must-escalate labels pinned to people, everything else below a floor of 1 and so the learned gate's.</summary>
    internal static string Policy(IReadOnlySet<string> mustEscalate, EvalSettings settings)
    {
        static string Number(double value) => value.ToString("0.#####", CultureInfo.InvariantCulture);
        var labels = string.Join(", ", mustEscalate.Order(StringComparer.Ordinal).Select(static l => JsonSerializer.Serialize(l)));
        var pinned = mustEscalate.Count == 0 ? "" : $$"""
              - id: must-escalate
                when: { facts.intent: { in: [{{labels}}] } }
                outcome: escalate
                pinned: true
                reason: A person must handle this kind of request.

            """;
        return $$"""
            defaults:
              confidenceFloor: 1
              lowConfidence: review
            rules:
            {{pinned}}learning: { mode: auto, maxError: {{Number(settings.MaxError)}}, confidence: {{Number(settings.Confidence)}}, minDecisions: {{settings.MinDecisions}}, qaSample: {{Number(settings.QaSample)}} }

            """;
    }

    private static HttpClient Client(WebApplication app, string key)
    {
        var client = new HttpClient { BaseAddress = app.ListeningAddress(), Timeout = TimeSpan.FromMinutes(5) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    private static async Task<JsonElement> SubmitAsync(HttpClient agent, string text, string intent, float confidence, CancellationToken cancellationToken)
    {
        var body = new
        {
            kind = "reply",
            summary = text.Length <= 200 ? text : text[..200],
            facts = new { intent },
            conversation = new[] { new { role = "customer", text } },
            proposal = new { text = $"Intent: {intent}", confidence = Math.Round((double)confidence, 6) },
        };
        using var response = await agent.PostAsJsonAsync("/v1/cases", body, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken).ConfigureAwait(false);
    }

    private static async Task DecideAsync(HttpClient reviewer, string id, bool correct, string truth, CancellationToken cancellationToken)
    {
        object decision = correct ? new { verdict = "approve" } : new { verdict = "reject", text = $"Wrong: the request is {truth}." };
        using var response = await reviewer.PostAsJsonAsync($"/v1/cases/{id}/decision", decision, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
    }

    private static List<EvalExample> Shuffle(IReadOnlyList<EvalExample> examples, int seed)
    {
        var shuffled = examples.ToArray();
        new Random(seed).Shuffle(shuffled);
        return [.. shuffled];
    }
}

/// <summary>Where a run is: what it does, which run, how many cases of how many, and the latest report point.</summary>
public sealed record EvalProgress(string Stage, int Run, int Done, int Total)
{
    public EvalPoint? Latest { get; init; }
}

using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Handoff.Core.Cases;
using Handoff.Core.Learning;
using Handoff.Embeddings;
using Handoff.Server;
using Handoff.Server.Learning;
using Handoff.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Handoff.LoadDriver.Learning;

/// <summary>
/// How good the precedents are (issue 15): CLINC150's train split (15,000 in-scope utterances, 150 intents, read from
/// ../shared/datasets) decided into a SQLite ledger and embedded by the server's own path, then each test utterance's
/// precedents found as the case view finds them, by full-text relevance alone and with sentence embeddings. A precedent
/// is a good one when it has the query's intent: the case a person most needs to see is one that asked the same thing.
/// <code>
/// dotnet run -c Release --project bench/Handoff.LoadDriver -- --scenario precedent-quality [--queries 4500] [--clinc150 DIR]
/// </code>
/// </summary>
internal static class PrecedentQualityBench
{
    private const int Shown = 5;

    public static async Task<int> RunAsync(string[] args)
    {
        var directory = Arguments.String(args, "--clinc150", null) ?? FindClinc150();
        if (directory is null || !File.Exists(Path.Combine(directory, "data_full.json")))
        {
            await Console.Error.WriteLineAsync("CLINC150 was not found; pass --clinc150 DIR (the folder of data_full.json)").ConfigureAwait(false);
            return 2;
        }

        Dictionary<string, string[][]> data;
        await using (var file = File.OpenRead(Path.Combine(directory, "data_full.json")))
        {
            data = await JsonSerializer.DeserializeAsync<Dictionary<string, string[][]>>(file).ConfigureAwait(false) ?? throw new InvalidDataException("data_full.json is empty");
        }

        var train = data["train"];
        var test = data["test"].Take(Arguments.Int(args, "--queries", data["test"].Length)).ToArray();
        var folder = Directory.CreateTempSubdirectory("handoff-precedent-quality-").FullName;
        try
        {
            using var store = new SqliteHandoffStore(Path.Combine(folder, "handoff.db"), TimeProvider.System);
            await store.MigrateAsync(CancellationToken.None).ConfigureAwait(false);
            var ws = await store.EnsureWorkspaceAsync("bench", Actor.Cli("bench"), CancellationToken.None).ConfigureAwait(false);
            var intentOf = Fill(Path.Combine(folder, "handoff.db"), ws.Id, train);

            var embedder = new MiniLmEmbedder();
            var embedding = Stopwatch.StartNew();
            var embedded = 0;
            long after = 0;
            while (await store.ListDecisionsToEmbedAsync(embedder.Model, after, 256, CancellationToken.None).ConfigureAwait(false) is { Count: > 0 } batch)
            {
                var vectors = embedder.Embed([.. batch.Select(static b => b.Text)]);
                await store.SaveDecisionEmbeddingsAsync(embedder.Model, [.. batch.Select((b, i) => (b.Seq, vectors[i]))], CancellationToken.None).ConfigureAwait(false);
                after = batch[^1].Seq;
                embedded += batch.Count;
            }

            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"embedded {embedded} decisions in {embedding.Elapsed.TotalSeconds:0} s ({embedding.Elapsed.TotalMilliseconds / embedded:0.0} ms each)"));
            Console.WriteLine($"CLINC150: {train.Length:N0} decided cases (the train split), {test.Length:N0} new cases (the test split), {Shown} precedents each.");
            Console.WriteLine();
            Console.WriteLine("| ordered by | cases with a precedent | first precedent of the same intent | of the 5 shown, same intent | p50 (ms) | p95 (ms) |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|");
            foreach (var (name, on) in (List<(string, bool)>)[("full-text relevance", false), ("sentence embeddings (full-text candidates)", true)])
            {
                var precedents = new Precedents(store, embedder, Options.Create(new HandoffServerOptions { Learning = new LearningOptions { Embeddings = on } }));
                Console.WriteLine(await MeasureAsync(name, precedents, ws.Id, test, intentOf).ConfigureAwait(false));
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }

        return 0;
    }

    private static async Task<string> MeasureAsync(string name, Precedents precedents, string workspaceId, string[][] test, Dictionary<string, string> intentOf)
    {
        int withAny = 0, firstSame = 0, shownSame = 0, shown = 0;
        var latencies = new List<double>(test.Length);
        foreach (var query in test)
        {
            var started = Stopwatch.GetTimestamp();
            var (ranked, _) = await precedents.RankAsync(workspaceId, query[0], null, [], null, Shown, CancellationToken.None).ConfigureAwait(false);
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (ranked.Count == 0)
            {
                continue;
            }

            withAny++;
            firstSame += intentOf[ranked[0].Record.CaseId] == query[1] ? 1 : 0;
            shownSame += ranked.Count(r => intentOf[r.Record.CaseId] == query[1]);
            shown += ranked.Count;
        }

        latencies.Sort();
        double P(double p) => latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(p * latencies.Count) - 1)];
        return string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {(double)withAny / test.Length:P1} | {(double)firstSame / test.Length:P1} | {(double)shownSame / Math.Max(1, shown):P1} | {P(0.5):0.0} | {P(0.95):0.0} |");
    }

    // Straight into the ledger, one decided case per train utterance (no action, no rule: only the words tell them apart).
    private static Dictionary<string, string> Fill(string file, string workspaceId, string[][] rows)
    {
        using var connection = new SqliteConnection(SqliteHandoffStore.BuildConnectionString(file, pooling: false));
        connection.Open();
        using var transaction = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO decisions (case_id, workspace_id, created_at, decided_at, kind, action, intent, rules, confidence, verdict, decided_by, text)
            VALUES ($case, $ws, $at, $at, 'question', NULL, $intent, '[]', NULL, 'respond', 'usr_bench', $text)
            """;
        var parameters = new[] { "$case", "$ws", "$at", "$intent", "$text" }.ToDictionary(static n => n, n => insert.Parameters.Add(new SqliteParameter(n, null)));
        var start = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var intentOf = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < rows.Length; i++)
        {
            var id = $"cs_{i:x12}";
            parameters["$case"].Value = id;
            parameters["$ws"].Value = workspaceId;
            parameters["$at"].Value = start.AddMinutes(i).ToString("O", CultureInfo.InvariantCulture);
            parameters["$intent"].Value = rows[i][1];
            parameters["$text"].Value = rows[i][0] + "\n";
            insert.ExecuteNonQuery();
            intentOf[id] = rows[i][1];
        }

        transaction.Commit();
        return intentOf;
    }

    private static string? FindClinc150()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "datasets", "clinc150");
            if (File.Exists(Path.Combine(candidate, "data_full.json")))
            {
                return candidate;
            }
        }

        return null;
    }
}

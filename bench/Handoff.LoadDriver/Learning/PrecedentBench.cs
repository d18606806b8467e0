using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Handoff.Core.Cases;
using Handoff.Core.Learning;
using Handoff.Server.Learning;
using Handoff.Storage.Learning;
using Handoff.Storage.Sqlite;
using Handoff.Storage.Postgres;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace Handoff.LoadDriver.Learning;

/// <summary>
/// The precedent search at scale (issue 15): a SQLite ledger filled with N decisions whose texts are the Bitext
/// customer-support sample's (read from ../shared/datasets, never copied), then the full-text search timed for
/// queries written like new cases.
/// <code>
/// dotnet run -c Release --project bench/Handoff.LoadDriver -- --scenario precedents [--decisions 100000,1000000] [--queries 300]
///     [--bitext PATH] [--embeddings] [--postgres CONNECTION-STRING]
/// </code>
/// With <c>--postgres</c> the ledger is a PostgreSQL store's instead, in a database of its own
/// (<c>handoff_precedents_bench</c>, made afresh on that server for each size; the role needs CREATEDB), filled by COPY.
/// With <c>--embeddings</c> every ledger row also gets its text's all-MiniLM-L6-v2 vector (each distinct Bitext text
/// is embedded once), and the same queries are timed again through <see cref="Precedents.RankAsync"/> with embeddings
/// on: the search, the candidates' vectors read, the query embedded, the candidates re-ranked.
/// </summary>
internal static class PrecedentBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var sizes = Arguments.Ints(args, "--decisions", [100_000, 1_000_000]);
        var queries = Arguments.Int(args, "--queries", 300);
        var path = Arguments.String(args, "--bitext", null) ?? FindBitext();
        if (path is null || !File.Exists(path))
        {
            await Console.Error.WriteLineAsync("The Bitext sample was not found; pass --bitext PATH to Bitext_Sample_Customer_Support_Training_Dataset.csv").ConfigureAwait(false);
            return 2;
        }

        var embeddings = args.Contains("--embeddings");
        var postgres = Arguments.String(args, "--postgres", null);
        var rows = Csv.Read(path).Skip(1).Where(static r => r.Length >= 11).Select(static r => (Text: r[2], Intent: r[3], Category: r[8], Response: r[10])).ToList();
        Console.Error.WriteLine($"bitext: {rows.Count} rows from {path}");
        Dictionary<string, float[]>? vectors = null;
        if (embeddings)
        {
            var embedding = Stopwatch.StartNew();
            var texts = rows.Select(static r => LedgerText(r.Text, r.Response)).Distinct(StringComparer.Ordinal).ToList();
            var embedded = new List<float[]>(texts.Count);
            foreach (var chunk in texts.Chunk(256))
            {
                embedded.AddRange(Embedder.Embed(chunk));
            }

            vectors = texts.Select((t, i) => (t, embedded[i])).ToDictionary(static p => p.t, static p => p.Item2, StringComparer.Ordinal);
            Console.Error.WriteLine($"embedded {texts.Count} distinct texts in {embedding.Elapsed.TotalSeconds:0} s");
        }

        Console.WriteLine(embeddings
            ? "| decisions in the ledger | fill (s) | database (MB) | queries | p50 (ms) | p95 (ms) | p99 (ms) | max (ms) | mean matches returned | with embeddings: p50 (ms) | p95 (ms) | p99 (ms) |"
            : "| decisions in the ledger | fill (s) | database (MB) | queries | p50 (ms) | p95 (ms) | p99 (ms) | max (ms) | mean matches returned |");
        Console.WriteLine(embeddings ? "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|" : "|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var size in sizes)
        {
            if (postgres is not null)
            {
                Console.WriteLine(await MeasurePostgresAsync(postgres, rows, size, queries, vectors).ConfigureAwait(false));
                continue;
            }

            var directory = Directory.CreateTempSubdirectory("handoff-precedents-").FullName;
            try
            {
                Console.WriteLine(await MeasureAsync(Path.Combine(directory, "handoff.db"), rows, size, queries, vectors).ConfigureAwait(false));
            }
            finally
            {
                SqliteConnection.ClearAllPools();
                Directory.Delete(directory, recursive: true);
            }
        }

        return 0;
    }

    private static readonly Handoff.Embeddings.MiniLmEmbedder Embedder = new();

    private static string LedgerText(string text, string response) => $"{text}\n{response[..Math.Min(response.Length, 300)]}\n";

    private static async Task<string> MeasureAsync(
        string file, List<(string Text, string Intent, string Category, string Response)> rows, int size, int queries, Dictionary<string, float[]>? vectors)
    {
        using var store = new SqliteHandoffStore(file, TimeProvider.System);
        await store.MigrateAsync(CancellationToken.None).ConfigureAwait(false);
        var ws = await store.EnsureWorkspaceAsync("bench", Actor.Cli("bench"), CancellationToken.None).ConfigureAwait(false);
        var random = new Random(15);
        var filling = Stopwatch.StartNew();
        Fill(file, ws.Id, rows, size, random, vectors);
        var fill = filling.Elapsed;
        return await TimeAsync(store, ws.Id, rows, size, queries, vectors, fill, new FileInfo(file).Length, random.Next()).ConfigureAwait(false);
    }

    private static async Task<string> MeasurePostgresAsync(
        string connectionString, List<(string Text, string Intent, string Category, string Response)> rows, int size, int queries, Dictionary<string, float[]>? vectors)
    {
        const string Database = "handoff_precedents_bench";
        await using (var server = new NpgsqlConnection(connectionString))
        {
            await server.OpenAsync().ConfigureAwait(false);
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Database} WITH (FORCE)", server);
            await drop.ExecuteNonQueryAsync().ConfigureAwait(false);
            await using var create = new NpgsqlCommand($"CREATE DATABASE {Database}", server);
            await create.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        await using var dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { Database = Database }.ConnectionString);
        using var store = new PostgresHandoffStore(dataSource, TimeProvider.System);
        await store.MigrateAsync(CancellationToken.None).ConfigureAwait(false);
        var ws = await store.EnsureWorkspaceAsync("bench", Actor.Cli("bench"), CancellationToken.None).ConfigureAwait(false);
        var random = new Random(15);
        var filling = Stopwatch.StartNew();
        await using (var connection = await dataSource.OpenConnectionAsync().ConfigureAwait(false))
        {
            await FillPostgresAsync(connection, ws.Id, rows, size, random, vectors).ConfigureAwait(false);
        }

        var fill = filling.Elapsed;
        await using var sizeOf = dataSource.CreateCommand("SELECT pg_database_size(current_database())");
        var bytes = (long)(await sizeOf.ExecuteScalarAsync().ConfigureAwait(false))!;
        return await TimeAsync(store, ws.Id, rows, size, queries, vectors, fill, bytes, random.Next()).ConfigureAwait(false);
    }

    // COPY into the ledger (the generated tsvector and its GIN index follow), then each row's vector by its text; analyzed.
    private static async Task FillPostgresAsync(
        NpgsqlConnection connection, string workspaceId, List<(string Text, string Intent, string Category, string Response)> rows, int size, Random random, Dictionary<string, float[]>? vectors)
    {
        var start = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY decisions (case_id, workspace_id, created_at, decided_at, kind, action, intent, rules, confidence, verdict, decided_by, text) FROM STDIN (FORMAT BINARY)").ConfigureAwait(false))
        {
            for (var i = 0; i < size; i++)
            {
                var row = rows[random.Next(rows.Count)];
                var at = start.AddSeconds(i * 30L).ToString("O", CultureInfo.InvariantCulture);
                await copy.StartRowAsync().ConfigureAwait(false);
                await copy.WriteAsync($"cs_{i:x12}", NpgsqlDbType.Text).ConfigureAwait(false);
                await copy.WriteAsync(workspaceId, NpgsqlDbType.Text).ConfigureAwait(false);
                await copy.WriteAsync(at, NpgsqlDbType.Text).ConfigureAwait(false);
                await copy.WriteAsync(at, NpgsqlDbType.Text).ConfigureAwait(false);
                await copy.WriteAsync("action", NpgsqlDbType.Text).ConfigureAwait(false);
                await copy.WriteAsync(row.Intent, NpgsqlDbType.Text).ConfigureAwait(false);
                await copy.WriteAsync(row.Intent, NpgsqlDbType.Text).ConfigureAwait(false);
                await copy.WriteAsync(JsonSerializer.Serialize(new[] { $"review-{row.Category.ToLowerInvariant()}" }), NpgsqlDbType.Text).ConfigureAwait(false);
                await copy.WriteAsync(Math.Round(random.NextDouble(), 2), NpgsqlDbType.Double).ConfigureAwait(false);
                await copy.WriteAsync(random.NextDouble() < 0.8 ? "approve" : "reject", NpgsqlDbType.Text).ConfigureAwait(false);
                await copy.WriteAsync("usr_bench", NpgsqlDbType.Text).ConfigureAwait(false);
                await copy.WriteAsync(LedgerText(row.Text, row.Response), NpgsqlDbType.Text).ConfigureAwait(false);
            }

            await copy.CompleteAsync().ConfigureAwait(false);
        }

        if (vectors is not null)
        {
            await using (var create = new NpgsqlCommand("CREATE TEMP TABLE text_vectors (text text PRIMARY KEY, vector bytea NOT NULL)", connection))
            {
                await create.ExecuteNonQueryAsync().ConfigureAwait(false);
            }

            await using (var copy = await connection.BeginBinaryImportAsync("COPY text_vectors (text, vector) FROM STDIN (FORMAT BINARY)").ConfigureAwait(false))
            {
                foreach (var (text, vector) in vectors)
                {
                    await copy.StartRowAsync().ConfigureAwait(false);
                    await copy.WriteAsync(text, NpgsqlDbType.Text).ConfigureAwait(false);
                    await copy.WriteAsync(Embedding.ToBytes(vector), NpgsqlDbType.Bytea).ConfigureAwait(false);
                }

                await copy.CompleteAsync().ConfigureAwait(false);
            }

            await using var insert = new NpgsqlCommand(
                "INSERT INTO decision_embeddings (model, seq, vector) SELECT @model, d.seq, t.vector FROM decisions d JOIN text_vectors t ON t.text = d.text", connection);
            insert.Parameters.AddWithValue("model", Handoff.Embeddings.MiniLmEmbedder.ModelName);
            insert.CommandTimeout = 0;
            await insert.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        await using var analyze = new NpgsqlCommand("ANALYZE", connection);
        analyze.CommandTimeout = 0;
        await analyze.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    private static async Task<string> TimeAsync(
        Handoff.Storage.IHandoffStore store, string workspaceId, List<(string Text, string Intent, string Category, string Response)> rows, int size, int queries,
        Dictionary<string, float[]>? vectors, TimeSpan fill, long bytes, int seed)
    {
        var latencies = new List<double>(queries);
        long returned = 0;
        var draws = new Random(seed);
        for (var q = -20; q < queries; q++)
        {
            var row = rows[draws.Next(rows.Count)];
            var query = new PrecedentQuery(DecisionText.Terms(row.Text), row.Intent, null);
            var started = Stopwatch.GetTimestamp();
            var found = await store.FindPrecedentsAsync(workspaceId, query, CancellationToken.None).ConfigureAwait(false);
            if (q >= 0)
            {
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                returned += found.Count;
            }
        }

        latencies.Sort();
        var megabytes = bytes / 1024.0 / 1024.0;
        var line = string.Create(CultureInfo.InvariantCulture,
            $"| {size:N0} | {fill.TotalSeconds:0} | {megabytes:N0} | {queries} | {P(latencies, 0.5):0.0} | {P(latencies, 0.95):0.0} | {P(latencies, 0.99):0.0} | {latencies[^1]:0.0} | {(double)returned / queries:0.0} |");
        if (vectors is null)
        {
            return line;
        }

        // The same queries again (the same random draws), the way the case view asks with embeddings on.
        var precedents = new Precedents(store, Embedder, Microsoft.Extensions.Options.Options.Create(new Handoff.Server.HandoffServerOptions()));
        var again = new Random(seed);
        var ranked = new List<double>(queries);
        for (var q = -20; q < queries; q++)
        {
            var row = rows[again.Next(rows.Count)];
            var started = Stopwatch.GetTimestamp();
            await precedents.RankAsync(workspaceId, row.Text, row.Intent, [], null, Precedents.DefaultCount, CancellationToken.None).ConfigureAwait(false);
            if (q >= 0)
            {
                ranked.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }

        ranked.Sort();

        // Where that time goes: the candidates' vectors read, and the query embedded, each timed alone.
        var reads = new List<double>(queries);
        var embeds = new List<double>(queries);
        var parts = new Random(seed);
        for (var q = -20; q < queries; q++)
        {
            var row = rows[parts.Next(rows.Count)];
            var found = await store.FindPrecedentsAsync(workspaceId, new PrecedentQuery(DecisionText.Terms(row.Text), row.Intent, null), CancellationToken.None).ConfigureAwait(false);
            var started = Stopwatch.GetTimestamp();
            await store.GetDecisionEmbeddingsAsync(workspaceId, Embedder.Model, [.. found.Select(static m => m.Record.CaseId)], CancellationToken.None).ConfigureAwait(false);
            var read = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            started = Stopwatch.GetTimestamp();
            Embedder.Embed([row.Text]);
            if (q >= 0)
            {
                reads.Add(read);
                embeds.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }

        reads.Sort();
        embeds.Sort();
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{size:N0}: vectors read p50 {P(reads, 0.5):0.0} ms, p95 {P(reads, 0.95):0.0} ms; query embedded p50 {P(embeds, 0.5):0.0} ms, p95 {P(embeds, 0.95):0.0} ms"));
        return line + string.Create(CultureInfo.InvariantCulture, $" {P(ranked, 0.5):0.0} | {P(ranked, 0.95):0.0} | {P(ranked, 0.99):0.0} |");
    }

    private static double P(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    // Straight into the ledger (and, through its trigger, the FTS index) in one transaction: what years of decisions leave.
    private static void Fill(
        string file, string workspaceId, List<(string Text, string Intent, string Category, string Response)> rows, int size, Random random, Dictionary<string, float[]>? vectors)
    {
        using var connection = new SqliteConnection(SqliteHandoffStore.BuildConnectionString(file, pooling: false));
        connection.Open();
        using var transaction = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO decisions (case_id, workspace_id, created_at, decided_at, kind, action, intent, rules, confidence, verdict, decided_by, text)
            VALUES ($case, $ws, $at, $at, 'action', $action, $intent, $rules, $confidence, $verdict, 'usr_bench', $text)
            """;
        var parameters = new[] { "$case", "$ws", "$at", "$action", "$intent", "$rules", "$confidence", "$verdict", "$text" }
            .ToDictionary(static n => n, n => insert.Parameters.Add(new SqliteParameter(n, null)));
        insert.Prepare();
        using var embed = connection.CreateCommand();
        embed.Transaction = transaction;
        embed.CommandText = "INSERT INTO decision_embeddings (model, seq, vector) VALUES ($model, last_insert_rowid(), $vector)";
        embed.Parameters.Add(new SqliteParameter("$model", Handoff.Embeddings.MiniLmEmbedder.ModelName));
        var vector = embed.Parameters.Add(new SqliteParameter("$vector", null));
        var start = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < size; i++)
        {
            var row = rows[random.Next(rows.Count)];
            var at = start.AddSeconds(i * 30L).ToString("O", CultureInfo.InvariantCulture);
            parameters["$case"].Value = $"cs_{i:x12}";
            parameters["$ws"].Value = workspaceId;
            parameters["$at"].Value = at;
            parameters["$action"].Value = row.Intent;
            parameters["$intent"].Value = row.Intent;
            parameters["$rules"].Value = JsonSerializer.Serialize(new[] { $"review-{row.Category.ToLowerInvariant()}" });
            parameters["$confidence"].Value = Math.Round(random.NextDouble(), 2);
            parameters["$verdict"].Value = random.NextDouble() < 0.8 ? "approve" : "reject";
            // The customer's words, and the start of the reply the agent proposed.
            parameters["$text"].Value = LedgerText(row.Text, row.Response);
            insert.ExecuteNonQuery();
            if (vectors is not null)
            {
                vector.Value = Embedding.ToBytes(vectors[LedgerText(row.Text, row.Response)]);
                embed.ExecuteNonQuery();
            }
        }

        transaction.Commit();
    }

    private static string? FindBitext()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "datasets", "bitext", "Bitext_Sample_Customer_Support_Training_Dataset.csv");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}

/// <summary>RFC 4180: fields separated by commas, quoted when they hold commas, quotes (doubled) or line breaks.</summary>
internal static class Csv
{
    public static IEnumerable<string[]> Read(string path)
    {
        using var reader = new StreamReader(path, Encoding.UTF8);
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        int c;
        while ((c = reader.Read()) != -1)
        {
            var ch = (char)c;
            if (quoted)
            {
                if (ch == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        field.Append('"');
                        reader.Read();
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    field.Append(ch);
                }
            }
            else if (ch == '"')
            {
                quoted = true;
            }
            else if (ch == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else if (ch == '\n')
            {
                fields.Add(field.ToString().TrimEnd('\r'));
                field.Clear();
                yield return [.. fields];
                fields.Clear();
            }
            else
            {
                field.Append(ch);
            }
        }

        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            yield return [.. fields];
        }
    }
}

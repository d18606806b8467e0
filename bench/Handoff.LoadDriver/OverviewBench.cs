using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Handoff.Core.Cases;
using Handoff.Core.Policy;
using Handoff.Core.Statistics;
using Handoff.Storage;
using Handoff.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Handoff.LoadDriver;

/// <summary>
/// The dashboard's overview, the inbox and a case's history at a million stored cases (issue 17): a SQLite store filled
/// through <see cref="IHandoffStore.CreateCaseAsync"/> and <see cref="IHandoffStore.DecideCaseAsync"/> with 30 days of
/// cases (90 % auto-approved, 3 % blocked, 7 % for a person, of which those older than two hours are decided), then
/// timed: the overview read case by case (no roll-up yet: what the page cost before roll-ups, and what it costs right
/// after an upgrade), the roll-up of the whole log, the overview from the roll-ups, and again with a tail of cases
/// closed since the last roll-up.
/// <code>
/// dotnet run -c Release --project bench/Handoff.LoadDriver -- --scenario overview [--cases 1000000] [--reads 30] [--tail 1000] [--keep | --reuse DIR]
/// </code>
/// </summary>
internal static class OverviewBench
{
    private const int Days = 30;
    private static readonly CancellationToken None = CancellationToken.None;

    public static async Task<int> RunAsync(string[] args)
    {
        var cases = Arguments.Int(args, "--cases", 1_000_000);
        var reads = Arguments.Int(args, "--reads", 30);
        var tail = Arguments.Int(args, "--tail", 1_000);
        var reuse = Arguments.String(args, "--reuse", null);
        var keep = args.Contains("--keep") || reuse is not null;
        var directory = reuse ?? Directory.CreateTempSubdirectory("handoff-overview-").FullName;
        try
        {
            var file = Path.Combine(directory, "handoff.db");
            using var store = new SqliteHandoffStore(file, TimeProvider.System);
            await store.MigrateAsync(None).ConfigureAwait(false);
            var ws = (await store.EnsureWorkspaceAsync("bench", Actor.Cli("bench"), None).ConfigureAwait(false)).Id;
            var now = TimeProvider.System.GetUtcNow();

            if (reuse is null)
            {
                var fill = Stopwatch.StartNew();
                var (autoApproved, open) = await FillAsync(store, ws, cases, now).ConfigureAwait(false);
                fill.Stop();
                var bytes = DatabaseBytes(file);
                Console.WriteLine($"filled {cases:N0} cases ({autoApproved:N0} auto-approved, {open:N0} open) in {fill.Elapsed.TotalSeconds:0} s; database {bytes / 1e6:N0} MB, {bytes / (double)cases:N0} bytes per case");
            }
            else
            {
                // A database kept by an earlier run (--keep): its roll-ups are undone, so they are timed again from the start.
                using var connection = new SqliteConnection(SqliteHandoffStore.BuildConnectionString(file, pooling: false));
                connection.Open();
                using var reset = connection.CreateCommand();
                reset.CommandText = "DELETE FROM daily_totals; UPDATE daily_totals_position SET position = 0";
                reset.ExecuteNonQuery();
                Console.WriteLine($"reusing {file} ({DatabaseBytes(file) / 1e6:N0} MB), roll-ups undone");
            }

            var since = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddDays(-(Days - 1));
            var unrolled = await TimeAsync(3, () => OverviewAsync(store, ws, since, now)).ConfigureAwait(false);
            Console.WriteLine($"overview read case by case (before any roll-up): {Show(unrolled)}");

            var batches = new List<double>();
            var rollUp = Stopwatch.StartNew();
            while (true)
            {
                var batch = Stopwatch.StartNew();
                if (await store.RollUpClosedCasesAsync(Handoff.Server.Statistics.RollUpWorker.BatchSize, None).ConfigureAwait(false) == 0)
                {
                    break;
                }

                batches.Add(batch.Elapsed.TotalMilliseconds);
            }

            rollUp.Stop();
            batches.Sort();
            Console.WriteLine($"roll-up of the whole log: {rollUp.Elapsed.TotalSeconds:0.0} s in {batches.Count:N0} writes of {Handoff.Server.Statistics.RollUpWorker.BatchSize} entries: p50 {Percentile(batches, 50):0.0} ms, p99 {Percentile(batches, 99):0.0} ms, max {batches[^1]:0.0} ms each");
            Console.WriteLine($"database after the roll-up: {DatabaseBytes(file) / 1e6:N0} MB");

            var rolled = await TimeAsync(reads, () => OverviewAsync(store, ws, since, now)).ConfigureAwait(false);
            Console.WriteLine($"overview from the roll-ups: {Show(rolled)}");

            await AddTailAsync(store, ws, tail, now).ConfigureAwait(false);
            var withTail = await TimeAsync(reads, () => OverviewAsync(store, ws, since, now)).ConfigureAwait(false);
            Console.WriteLine($"overview with {tail:N0} cases closed since the last roll-up: {Show(withTail)}");

            var inbox = await TimeAsync(reads, () => store.ListOpenCasesAsync(ws, null, 50, None)).ConfigureAwait(false);
            Console.WriteLine($"inbox, first page of 50: {Show(inbox)}");
            var someCase = (await store.ListOpenCasesAsync(ws, null, 1, None).ConfigureAwait(false))[0].Id;
            var history = await TimeAsync(reads, () => store.GetCaseHistoryAsync(ws, someCase, None)).ConfigureAwait(false);
            Console.WriteLine($"a case's history: {Show(history)}");
            return 0;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            if (keep)
            {
                Console.Error.WriteLine($"kept {directory}");
            }
            else
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    private static async Task<Overview> OverviewAsync(IHandoffStore store, string ws, DateTimeOffset since, DateTimeOffset now)
    {
        var facts = await store.GetOverviewFactsAsync(ws, since, None).ConfigureAwait(false);
        return CaseStatistics.Compute(facts.ClosedDays, facts.Records, now, Days);
    }

    // 64 writes in flight, so the store's group commit fills its batches as a busy server's would.
    internal static async Task<(int AutoApproved, int Open)> FillAsync(IHandoffStore store, string ws, int count, DateTimeOffset now)
    {
        var random = new Random(17);
        var autoApproved = 0;
        var open = 0;
        var inFlight = new List<Task>(64);
        for (var i = 0; i < count; i++)
        {
            var createdAt = now.AddSeconds(-random.NextDouble() * Days * 86_400 * 0.999);
            var roll = random.NextDouble();
            var outcome = roll < 0.90 ? Outcome.Auto : roll < 0.93 ? Outcome.Block : Outcome.Review;
            var decideAfter = outcome == Outcome.Review && now - createdAt > TimeSpan.FromHours(2)
                ? TimeSpan.FromSeconds(30 + random.NextDouble() * random.NextDouble() * 7_200)
                : (TimeSpan?)null;
            autoApproved += outcome == Outcome.Auto ? 1 : 0;
            open += outcome == Outcome.Review && decideAfter is null ? 1 : 0;
            inFlight.Add(CreateAsync(store, NewCase(ws, createdAt, outcome, i), decideAfter, random.Next(4) == 0 ? Verdict.Reject : Verdict.Approve));
            if (inFlight.Count == 64)
            {
                await Task.WhenAll(inFlight).ConfigureAwait(false);
                inFlight.Clear();
            }

            if (i % 100_000 == 99_999)
            {
                Console.Error.WriteLine($"  {i + 1:N0} cases");
            }
        }

        await Task.WhenAll(inFlight).ConfigureAwait(false);
        return (autoApproved, open);
    }

    private static async Task CreateAsync(IHandoffStore store, HandoffCase c, TimeSpan? decideAfter, Verdict verdict)
    {
        await store.CreateCaseAsync(c, None).ConfigureAwait(false);
        if (decideAfter is { } after)
        {
            var decision = new Decision
            {
                Verdict = verdict,
                ProposalDigest = ProposalDigest.Compute(c.Content.Proposal),
                DecidedBy = new Actor("user", "usr_rita", "Rita"),
                DecidedAt = c.CreatedAt + after,
            };
            await store.DecideCaseAsync(c.WorkspaceId, c.Id, decision, verdict == Verdict.Reject ? CaseStatus.Rejected : CaseStatus.Approved, None).ConfigureAwait(false);
        }
    }

    // Cases that arrive and close after the last roll-up: what the overview reads one by one until the next.
    private static async Task AddTailAsync(IHandoffStore store, string ws, int count, DateTimeOffset now)
    {
        var tasks = new List<Task>(count);
        for (var i = 0; i < count; i++)
        {
            var review = i % 10 == 0;
            tasks.Add(CreateAsync(store, NewCase(ws, now.AddMinutes(-30), review ? Outcome.Review : Outcome.Auto, -i - 1), review ? TimeSpan.FromMinutes(5) : null, Verdict.Approve));
        }

        await Task.WhenAll(tasks).ConfigureAwait(false);
    }

    private static HandoffCase NewCase(string ws, DateTimeOffset createdAt, Outcome outcome, int n)
    {
        var content = new CaseContent
        {
            Kind = CaseKind.Action,
            Summary = $"Refund order {n}",
            Channel = "chat",
            Subject = JsonDocument.Parse($$"""{"id":"cus_{{n % 5000}}","tier":"gold"}""").RootElement.Clone(),
            Facts = JsonDocument.Parse($$"""{"amount":{{n % 2000}}.5,"topic":"refund"}""").RootElement.Clone(),
            Proposal = new Proposal($"I have refunded order {n}.", new ToolCall("refund", JsonDocument.Parse($$"""{"orderId":"{{n}}"}""").RootElement.Clone()), 0.91),
        };
        Reason[] reasons = outcome switch
        {
            Outcome.Auto => [],
            Outcome.Block => [new Reason("fraud", "Looks like fraud", Outcome.Block)],
            _ => [new Reason("big-refund", "Refunds above 1,000 need review", Outcome.Review)],
        };
        var status = outcome switch { Outcome.Auto => CaseStatus.Approved, Outcome.Block => CaseStatus.Blocked, _ => CaseStatus.Pending };
        return new HandoffCase
        {
            Id = $"cs_{Guid.CreateVersion7(createdAt):N}",
            WorkspaceId = ws,
            Content = content,
            Evaluation = new Evaluation(outcome, reasons, "support", Priority.Normal, 0.8, 1),
            Status = status,
            CreatedAt = createdAt,
            UpdatedAt = createdAt,
            Decision = outcome is Outcome.Auto or Outcome.Block ? Decisions.ByPolicy(content, outcome, 1, createdAt) : null,
        };
    }

    private static async Task<List<double>> TimeAsync<T>(int times, Func<Task<T>> read)
    {
        var samples = new List<double>(times);
        for (var i = 0; i < times; i++)
        {
            var watch = Stopwatch.StartNew();
            await read().ConfigureAwait(false);
            samples.Add(watch.Elapsed.TotalMilliseconds);
        }

        samples.Sort();
        return samples;
    }

    private static string Show(List<double> sorted) =>
        string.Create(CultureInfo.InvariantCulture, $"p50 {Percentile(sorted, 50):0.0} ms, p99 {Percentile(sorted, 99):0.0} ms, max {sorted[^1]:0.0} ms over {sorted.Count} reads");

    private static double Percentile(List<double> sorted, int p) => sorted[Math.Clamp((int)Math.Ceiling(p / 100.0 * sorted.Count), 1, sorted.Count) - 1];

    private static long DatabaseBytes(string file) =>
        new[] { file, file + "-wal" }.Where(File.Exists).Sum(static f => new FileInfo(f).Length);
}

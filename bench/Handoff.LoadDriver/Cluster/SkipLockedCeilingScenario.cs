using System.Diagnostics;
using Npgsql;

namespace Handoff.LoadDriver.Cluster;

/// <summary>
/// <c>skip-locked-ceiling</c>: no Handoff at all. On a fresh database of the same PostgreSQL, a table
/// <c>ceiling_jobs</c> of M rows (text id, status, a ~1 KB text payload like a case document; a partial index on
/// the pending rows' ids, as a queue table has) is drained by R connections, each looping on
/// <c>BEGIN; SELECT id … WHERE status = 'pending' ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED; UPDATE … SET
/// status = 'done', done_by = …; COMMIT</c> (prepared statements, three round trips per claim). The rate is the
/// most a claim-and-decide of one row per transaction can do on this machine. With <c>advisory</c> every
/// transaction first takes one transaction-level advisory lock, the same for all, as Handoff's writes do: what
/// serialising the writes costs the bare loop.
/// </summary>
internal static class SkipLockedCeilingScenario
{
    private const long LockKey = 0x4265_6e63_68; // "Bench"

    public sealed record Result(int Connections, bool Advisory, int Rows, long Claims, TimeSpan Elapsed, Samples Latency, CpuMeter.Usage Cpu)
    {
        public double ClaimsPerSecond => Claims / Elapsed.TotalSeconds;
    }

    public static async Task<Result> RunAsync(ClusterOptions options, int connections, bool advisory)
    {
        await using var database = await BenchDatabase.CreateAsync(options.AdminConnectionString).ConfigureAwait(false);
        var warmup = options.WarmupCases;
        var builder = new NpgsqlConnectionStringBuilder(database.ConnectionString)
        {
            MaxPoolSize = connections + 2,
            ApplicationName = "handoff-bench-ceiling",
        };
        await using var dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
        await SetUpAsync(dataSource, warmup + options.CeilingRows).ConfigureAwait(false);
        Console.Error.WriteLine($"skip-locked-ceiling: {connections} connection(s){(advisory ? " + advisory lock" : "")}, {options.CeilingRows} rows (+{warmup} warm-up) on {database.Name}");

        var workers = new List<Worker>();
        try
        {
            for (var i = 0; i < connections; i++)
            {
                workers.Add(await Worker.OpenAsync(dataSource, $"worker {i + 1}", advisory).ConfigureAwait(false));
            }

            // Warm-up: the first rows, not counted.
            var warmed = -1;
            await Task.WhenAll(workers.Select(async w =>
            {
                while (Interlocked.Increment(ref warmed) < warmup && await w.ClaimAsync().ConfigureAwait(false))
                {
                }
            })).ConfigureAwait(false);

            var latency = new Samples();
            long claims = 0;
            var cpu = CpuMeter.Start([]);
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(workers.Select(async w =>
            {
                while (true)
                {
                    var started = Stopwatch.GetTimestamp();
                    if (!await w.ClaimAsync().ConfigureAwait(false))
                    {
                        return;
                    }

                    latency.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    Interlocked.Increment(ref claims);
                }
            })).ConfigureAwait(false);
            var elapsed = clock.Elapsed;
            var usage = cpu.Stop();

            var done = await ScalarAsync(dataSource, "SELECT count(*) FROM ceiling_jobs WHERE status = 'done'").ConfigureAwait(false);
            if (done != warmup + options.CeilingRows)
            {
                throw new InvalidOperationException($"Expected every row done, found {done} of {warmup + options.CeilingRows}.");
            }

            return new Result(connections, advisory, options.CeilingRows, claims, elapsed, latency, usage);
        }
        finally
        {
            foreach (var worker in workers)
            {
                await worker.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static async Task SetUpAsync(NpgsqlDataSource dataSource, int rows)
    {
        await using var connection = await dataSource.OpenConnectionAsync().ConfigureAwait(false);
        foreach (var sql in (string[])[
            "CREATE TABLE ceiling_jobs (id text PRIMARY KEY, status text NOT NULL, payload text NOT NULL, done_by text, done_at timestamptz)",
            // The queue's index: only the pending rows, in claiming order. With an index on (status, id) instead, the
            // planner walked the primary key and read every finished row at each claim (20,000 rows: 304 claims/s).
            "CREATE INDEX ix_ceiling_jobs_pending ON ceiling_jobs (id) WHERE status = 'pending'",
            // 32 × md5 = 1,024 characters that do not compress, like a JSON case document of that size.
            "INSERT INTO ceiling_jobs (id, status, payload) SELECT 'case_' || lpad(g::text, 9, '0'), 'pending', repeat(md5(g::text), 32) FROM generate_series(1, @rows) AS g",
            "VACUUM ANALYZE ceiling_jobs"])
        {
            await using var command = new NpgsqlCommand(sql, connection);
            if (sql.Contains("@rows", StringComparison.Ordinal))
            {
                command.Parameters.AddWithValue("rows", rows);
            }

            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
    }

    private static async Task<long> ScalarAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync().ConfigureAwait(false))!;
    }

    /// <summary>One connection with its prepared statements, claiming one row per transaction.</summary>
    private sealed class Worker : IAsyncDisposable
    {
        private readonly NpgsqlConnection _connection;
        private readonly NpgsqlCommand _lock;
        private readonly NpgsqlCommand _select;
        private readonly NpgsqlCommand _update;
        private readonly bool _advisory;

        private Worker(NpgsqlConnection connection, string name, bool advisory)
        {
            _connection = connection;
            _advisory = advisory;
            _lock = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection);
            _lock.Parameters.AddWithValue("key", LockKey);
            _select = new NpgsqlCommand("SELECT id FROM ceiling_jobs WHERE status = 'pending' ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED", connection);
            _update = new NpgsqlCommand("UPDATE ceiling_jobs SET status = 'done', done_by = @by, done_at = now() WHERE id = @id", connection);
            _update.Parameters.AddWithValue("by", name);
            _update.Parameters.Add(new NpgsqlParameter<string>("id", ""));
        }

        public static async Task<Worker> OpenAsync(NpgsqlDataSource dataSource, string name, bool advisory)
        {
            var connection = await dataSource.OpenConnectionAsync().ConfigureAwait(false);
            var worker = new Worker(connection, name, advisory);
            await worker._lock.PrepareAsync().ConfigureAwait(false);
            await worker._select.PrepareAsync().ConfigureAwait(false);
            await worker._update.PrepareAsync().ConfigureAwait(false);
            return worker;
        }

        /// <summary>Claims and finishes one row; false when none was left.</summary>
        public async Task<bool> ClaimAsync()
        {
            await using var transaction = await _connection.BeginTransactionAsync().ConfigureAwait(false);
            if (_advisory)
            {
                _lock.Transaction = transaction;
                await _lock.ExecuteNonQueryAsync().ConfigureAwait(false);
            }

            _select.Transaction = transaction;
            if (await _select.ExecuteScalarAsync().ConfigureAwait(false) is not string id)
            {
                await transaction.CommitAsync().ConfigureAwait(false);
                return false;
            }

            _update.Transaction = transaction;
            ((NpgsqlParameter<string>)_update.Parameters["id"]).TypedValue = id;
            await _update.ExecuteNonQueryAsync().ConfigureAwait(false);
            await transaction.CommitAsync().ConfigureAwait(false);
            return true;
        }

        public async ValueTask DisposeAsync()
        {
            await _lock.DisposeAsync().ConfigureAwait(false);
            await _select.DisposeAsync().ConfigureAwait(false);
            await _update.DisposeAsync().ConfigureAwait(false);
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}

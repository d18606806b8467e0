using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Npgsql;

namespace Handoff.Cluster.Tests;

/// <summary>
/// The multi-node proof: three real <c>handoff serve</c> processes on one PostgreSQL database, agents and reviewers
/// spread over all of them, one node SIGKILLed in the middle — the one sealing the audit log at that moment — and
/// afterwards the database shows every case decided exactly once, by the one reviewer who held it, every audit entry
/// sealed by the survivors, with a chain that verifies.
/// </summary>
public sealed class ClusterTests
{
    // 10,000 in CI; HANDOFF_CLUSTER_CASES asks for more (a longer run outside CI: 100,000 takes about half an hour here).
    private static readonly int Cases = int.TryParse(Environment.GetEnvironmentVariable("HANDOFF_CLUSTER_CASES"), CultureInfo.InvariantCulture, out var cases) && cases >= 10_000 ? cases : 10_000;
    private const int NodeCount = 3;
    private const int Agents = 40;
    private const int Reviewers = 20;

    // At least the number of agents (each has at most one open case), so every pending case is on the first page
    // and none waits behind newer ones.
    private const int PageSize = 50;
    private static readonly int KillAfterDecisions = Cases * 3 / 10;
    private const int WaitSeconds = 30;

    // Not an assertion on time: a hang (a case nobody can decide, a node that never answers) fails with what was
    // reached instead of blocking the run.
    private static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(20) * (Cases / 10_000);

    private readonly ITestOutputHelper _output = TestContext.Current.TestOutputHelper!;

    [Fact]
    public async Task ThreeNodes_TenThousandCasesOrMore_OneNodeKilledMidway_EveryCaseIsDecidedExactlyOnce_AndTheAuditChainVerifies()
    {
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        guard.CancelAfter(HangGuard);
        var ct = guard.Token;
        var total = Stopwatch.StartNew();

        await using var database = await ClusterDatabase.CreateAsync(ct);
        var dataRoot = Path.Combine(Path.GetTempPath(), "handoff-cluster-tests", Guid.NewGuid().ToString("N"));
        var nodes = new List<Node>();
        using var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(10),
            MaxConnectionsPerServer = int.MaxValue,
        };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(WaitSeconds + 60) };
        try
        {
            // Three nodes on one fresh database, started together: each runs the migrations and the first-start setup
            // (workspace, built-in policy) at the same time as the others.
            var ports = HandoffProcess.FreePorts(NodeCount);
            for (var i = 0; i < NodeCount; i++)
            {
                var directory = Path.Combine(dataRoot, $"node{i}");
                Directory.CreateDirectory(directory);
                // Named, so that the database can tell which node's connection holds the sealer's lock.
                nodes.Add(Node.Start(i, ports[i], $"{database.ConnectionString};Application Name=handoff-node{i}", directory));
            }

            await Task.WhenAll(nodes.Select(n => n.WaitUntilUpAsync(http, ct)));
            _output.WriteLine($"{NodeCount} nodes up after {total.Elapsed.TotalSeconds:F1} s on database {database.Name}: " +
                              string.Join(", ", nodes.Select(n => $"{n.BaseAddress} (pid {n.Process.Id})")));
            // Started together, they still set up once: one workspace, the built-in policy published once.
            Assert.Equal(1L, await ScalarAsync<long>(database, "SELECT count(*) FROM workspaces"));
            Assert.Equal(1L, await ScalarAsync<long>(database, "SELECT count(*) FROM policies"));

            var keys = await CreateKeysAsync(database, ct);
            var client = new FailoverClient(http, nodes.Select(n => n.BaseAddress).ToList());
            var run = new Run(client, keys.Agent, keys.Reviewers);
            var killed = run.KillSignal.Task.ContinueWith(async _ =>
            {
                // The node whose connection holds the audit sealer's lock: killed, as far as a moment's look can tell,
                // in the middle of a sealing batch.
                run.KilledNode = await SealingNodeAsync(database, ct);
                run.DecidedAtKill = Volatile.Read(ref run.Decided);
                client.NoteKill();
                await nodes[run.KilledNode].KillAsync();
            }, ct, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default).Unwrap();

            var clock = Stopwatch.StartNew();
            await run.RunAsync(ct);
            clock.Stop();
            Assert.True(run.KillSignal.Task.IsCompleted, $"The kill was never signalled ({KillAfterDecisions} decisions).");
            await killed;
            Assert.True(nodes[run.KilledNode].Process.HasExited);
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => http.GetAsync(new Uri(nodes[run.KilledNode].BaseAddress, "healthz"), ct));

            // The survivors seal what the dead sealer left: nothing written stays unsealed.
            var sealing = Stopwatch.StartNew();
            while (await ScalarAsync<long>(database, "SELECT count(*) FROM audit WHERE seq IS NULL") > 0)
            {
                await Task.Delay(50, ct);
            }

            _output.WriteLine($"every audit entry sealed {sealing.Elapsed.TotalMilliseconds:F0} ms after the run");
            Report(run, client, clock.Elapsed);
            run.AssertWhatTheClientsSaw();
            await AssertTheDatabaseAsync(database, run, ct);

            // The Merkle tree's stored nodes, grown side by side by every node (one of them killed), reach the log's end;
            // audit verify below recomputes each from the entries.
            var sealedEntries = await ScalarAsync<long>(database, "SELECT count(*) FROM audit");
            while (await ScalarAsync<long>(database, "SELECT count(*) FROM audit_tree WHERE level = 8") < sealedEntries / 256)
            {
                await Task.Delay(100, ct);
            }

            var (exit, verified, error) = await HandoffProcess.RunAsync(ct, "audit", "verify", "--store", database.ConnectionString);
            Assert.True(exit == 0, $"handoff audit verify exited {exit}: {verified}{error}");
            _output.WriteLine($"handoff audit verify: {verified.Trim()}");
            _output.WriteLine($"whole test: {total.Elapsed.TotalSeconds:F1} s");
        }
        catch (OperationCanceledException) when (guard.IsCancellationRequested && !TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            Assert.Fail($"The run did not finish within {HangGuard} (a hang guard, not a performance limit).\n" +
                        string.Join("\n", nodes.Select(n => $"node {n.Index} (exited: {n.Process.HasExited}):\n{n.Output}")));
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }

            try
            {
                Directory.Delete(dataRoot, recursive: true);
            }
            catch (IOException)
            {
                // Left for the OS to clean.
            }
        }
    }

    private async Task<(string Agent, string[] Reviewers)> CreateKeysAsync(ClusterDatabase database, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        using var turns = new SemaphoreSlim(4);
        async Task<string> CreateAsync(string role, string name)
        {
            await turns.WaitAsync(ct);
            try
            {
                var (exit, key, error) = await HandoffProcess.RunAsync(ct, "keys", "create", "--store", database.ConnectionString, "--role", role, "--name", name);
                Assert.True(exit == 0, $"handoff keys create --role {role} exited {exit}: {error}");
                Assert.StartsWith("hk_", key.Trim(), StringComparison.Ordinal);
                return key.Trim();
            }
            finally
            {
                turns.Release();
            }
        }

        var agent = CreateAsync("agent", "cluster agent");
        var reviewers = Enumerable.Range(0, Reviewers).Select(i => CreateAsync("reviewer", $"reviewer {i}")).ToList();
        var result = (await agent, await Task.WhenAll(reviewers));
        _output.WriteLine($"{1 + Reviewers} keys created with `handoff keys create` in {clock.Elapsed.TotalSeconds:F1} s");
        return result;
    }

    private void Report(Run run, FailoverClient client, TimeSpan elapsed)
    {
        _output.WriteLine($"{Cases} cases through {NodeCount} nodes ({Agents} agents, {Reviewers} reviewers) in {elapsed.TotalSeconds:F1} s: " +
                          $"{(Cases / elapsed.TotalSeconds).ToString("F0", CultureInfo.InvariantCulture)} cases/s");
        _output.WriteLine($"node {run.KilledNode}, sealing the audit log at that moment, SIGKILLed after {run.DecidedAtKill} decisions");
        _output.WriteLine($"claims: {run.Claims.Count} won, {run.ClaimConflicts} lost to another reviewer (409); " +
                          $"{run.HeldThroughKill} claimed on node {run.KilledNode} before it died and decided on a survivor after");
        _output.WriteLine($"decisions: {run.Decisions.Count} answered 2xx, {run.RecoveredDecisions.Count} committed on a node that died before answering " +
                          "(the retry elsewhere answered 409 'already decided' by the same reviewer)");
        _output.WriteLine($"retries on another node (refused, reset, timeout or 503): {client.RetriesBeforeKill} before the kill, {client.RetriesAfterKill} after it");
        _output.WriteLine($"submissions replayed by Idempotency-Key: {run.Replays}; long-polls that ended 202 and were renewed: {run.RenewedPolls}");
        _output.WriteLine($"empty pending pages: {run.EmptyPages}; requests that could not avoid the node they had to avoid: {run.SameNode}");
    }

    // Polls the locks until a node's connection holds the sealer's (the two-key advisory lock AdvisoryLock.Sealer).
    private static async Task<int> SealingNodeAsync(ClusterDatabase database, CancellationToken ct)
    {
        while (true)
        {
            await using (var command = database.DataSource.CreateCommand(
                $"""
                SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                WHERE l.locktype = 'advisory' AND l.objsubid = 2 AND l.classid = {Handoff.Storage.Postgres.AdvisoryLock.Sealer} AND l.granted
                """))
            {
                if (await command.ExecuteScalarAsync(ct) is string name && name.StartsWith("handoff-node", StringComparison.Ordinal))
                {
                    return int.Parse(name["handoff-node".Length..], CultureInfo.InvariantCulture);
                }
            }

            await Task.Delay(1, ct);
        }
    }

    private static async Task AssertTheDatabaseAsync(ClusterDatabase database, Run run, CancellationToken ct)
    {
        // Every case closed, approved, by the reviewer who holds it, the one the agent was told about.
        var cases = new Dictionary<string, (string Status, string? AssignedTo, string? DecidedBy, string? Verdict)>();
        await using (var command = database.DataSource.CreateCommand("SELECT id, status, assigned_to_id, document FROM cases"))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                using var document = JsonDocument.Parse(reader.GetString(3));
                var decision = Property(document.RootElement, "decision");
                cases.Add(reader.GetString(0), (reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                    decision is { } d ? Property(Property(d, "decidedBy")!.Value, "id")?.GetString() : null,
                    decision is { } v ? Property(v, "verdict")?.GetString() : null));
            }
        }

        Assert.Equal(Cases, cases.Count);
        Assert.All(cases, c =>
        {
            Assert.Equal("approved", c.Value.Status);
            Assert.Equal("approve", c.Value.Verdict, StringComparer.OrdinalIgnoreCase);
            Assert.NotNull(c.Value.AssignedTo);
            Assert.Equal(c.Value.AssignedTo, c.Value.DecidedBy);
            Assert.Equal(run.DecidedBy[c.Key], c.Value.DecidedBy);
            Assert.Equal(run.AgentDecisions[c.Key], c.Value.DecidedBy);
        });

        // The audit log: per case one creation, one decision, and claims that never overlap.
        var history = new Dictionary<string, List<(long Seq, string Action, string Actor)>>();
        await using (var command = database.DataSource.CreateCommand("SELECT seq, action, subject, actor_id FROM audit WHERE action LIKE 'case.%' ORDER BY seq"))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var subject = reader.GetString(2);
                if (!history.TryGetValue(subject, out var entries))
                {
                    history[subject] = entries = [];
                }

                entries.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(3)));
            }
        }

        Assert.Equal(cases.Keys.Order(StringComparer.Ordinal), history.Keys.Order(StringComparer.Ordinal));
        var problems = new List<string>();
        foreach (var (caseId, entries) in history)
        {
            string? holder = null;
            foreach (var (seq, action, actor) in entries)
            {
                switch (action)
                {
                    case "case.claimed" when holder is not null && holder != actor:
                        problems.Add($"{caseId}: claimed by {actor} at {seq} while {holder} held it");
                        break;
                    case "case.claimed":
                        holder = actor;
                        break;
                    case "case.released":
                        holder = null;
                        break;
                    case "case.decided" when holder != actor:
                        problems.Add($"{caseId}: decided by {actor} at {seq} while {holder ?? "nobody"} held it");
                        break;
                    case "case.decided" or "case.created":
                        break;
                    default:
                        problems.Add($"{caseId}: unexpected {action} at {seq}");
                        break;
                }
            }

            var actions = entries.Select(e => e.Action).ToList();
            if (actions.Count(a => a == "case.created") != 1 || actions[0] != "case.created")
            {
                problems.Add($"{caseId}: {actions.Count(a => a == "case.created")} creations");
            }

            if (actions.Count(a => a == "case.decided") != 1 || actions[^1] != "case.decided")
            {
                problems.Add($"{caseId}: {actions.Count(a => a == "case.decided")} decisions (history: {string.Join(", ", actions)})");
            }

            // Nobody releases in this run, and a repeated claim by the holder audits nothing: exactly one claim.
            if (actions.Count(a => a == "case.claimed") != 1)
            {
                problems.Add($"{caseId}: {actions.Count(a => a == "case.claimed")} claims (history: {string.Join(", ", actions)})");
            }
        }

        Assert.True(problems.Count == 0, $"{problems.Count} audit problems, the first: {string.Join("\n", problems.Take(20))}");
    }

    private static JsonElement? Property(JsonElement element, string name)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value;
            }
        }

        return null;
    }

    private static async Task<T> ScalarAsync<T>(ClusterDatabase database, string sql)
    {
        await using var command = database.DataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The agents and reviewers, and what each of them was told.</summary>
    private sealed class Run(FailoverClient client, string agentKey, string[] reviewerKeys)
    {
        private int _killedNode = -1;

        private readonly string _runId = Guid.NewGuid().ToString("N")[..8];
        private readonly ConcurrentQueue<Exception> _failures = new();
        private int _nextCase;
        public int Decided;
        public int ClaimConflicts;
        public int Replays;
        public int RenewedPolls;
        public int EmptyPages;
        public int SameNode;
        public int HeldThroughKill;

        public int DecidedAtKill { get; set; }

        /// <summary>The node killed; set before the client hears of the kill.</summary>
        public int KilledNode
        {
            get => Volatile.Read(ref _killedNode);
            set => Volatile.Write(ref _killedNode, value);
        }

        public TaskCompletionSource KillSignal { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Case id → the reviewer key id the agent's long-poll named as the decider.</summary>
        public ConcurrentDictionary<string, string> AgentDecisions { get; } = new();

        /// <summary>Case id → the case number the agent submitted it as.</summary>
        public ConcurrentDictionary<string, int> Submitted { get; } = new();

        /// <summary>Every 2xx claim: case id and the reviewer key id it named as the holder.</summary>
        public ConcurrentQueue<(string CaseId, string Reviewer)> Claims { get; } = new();

        /// <summary>Every 2xx decision: case id and the reviewer key id that decided.</summary>
        public ConcurrentQueue<(string CaseId, string Reviewer)> Decisions { get; } = new();

        /// <summary>Decisions that committed on a node killed before it answered (see <see cref="ReviewerAsync"/>).</summary>
        public ConcurrentQueue<(string CaseId, string Reviewer)> RecoveredDecisions { get; } = new();

        /// <summary>Case id → who decided it, from the reviewers' side.</summary>
        public ConcurrentDictionary<string, string> DecidedBy { get; } = new();

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            async Task Guarded(Func<CancellationToken, Task> work)
            {
                try
                {
                    await work(stop.Token);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    // Stopped because another client failed (reported below) or the run was cancelled (thrown below):
                    // letting this escape would report the stop instead of its cause.
                }
                catch (Exception e)
                {
                    // The first failure stops everyone, so that it is reported instead of a hang.
                    _failures.Enqueue(e);
                    await stop.CancelAsync();
                }
            }

            var agents = Enumerable.Range(0, Agents).Select(a => Task.Run(() => Guarded(AgentAsync), CancellationToken.None));
            var reviewers = Enumerable.Range(0, Reviewers).Select(r => Task.Run(() => Guarded(t => ReviewerAsync(r, t)), CancellationToken.None));
            await Task.WhenAll(agents.Concat(reviewers));
            if (!_failures.IsEmpty)
            {
                throw new AggregateException("A client met something it should not have.", _failures);
            }

            cancellationToken.ThrowIfCancellationRequested();
        }

        /// <summary>
        /// Submits a case to one node (round-robin by case number), then long-polls for its decision on another, until
        /// it has it; then the next case.
        /// </summary>
        private async Task AgentAsync(CancellationToken ct)
        {
            while (Interlocked.Increment(ref _nextCase) - 1 is var n && n < Cases)
            {
                var body = $$$"""{"kind":"action","summary":"Refund {{{n}}}","facts":{"amount":5000},"proposal":{"text":"refund","confidence":0.9}}""";
                var submitted = await client.SendAsync(HttpMethod.Post, "v1/cases", agentKey, n % NodeCount, -1, ct, body, $"{_runId}-{n}");
                switch (submitted.Status)
                {
                    case HttpStatusCode.Created:
                        Expect("pending", submitted.Json.GetProperty("status").GetString(), submitted);
                        break;
                    case HttpStatusCode.OK:
                        // A retry after the first node died with the request: the same case, created once.
                        Interlocked.Increment(ref Replays);
                        break;
                    default:
                        throw new InvalidOperationException($"Submitting case {n}: {submitted}");
                }

                var id = submitted.Json.GetProperty("id").GetString()!;
                if (!Submitted.TryAdd(id, n))
                {
                    throw new InvalidOperationException($"Case {n} got the id of case {Submitted[id]}: {id}");
                }

                var node = (submitted.Node + 1) % NodeCount;
                while (true)
                {
                    var poll = await client.SendAsync(HttpMethod.Get, $"v1/cases/{id}/decision?wait={WaitSeconds}", agentKey, node, submitted.Node, ct);
                    if (poll.Node == submitted.Node)
                    {
                        Interlocked.Increment(ref SameNode);
                    }

                    if (poll.Status == HttpStatusCode.OK)
                    {
                        var json = poll.Json;
                        Expect("approved", json.GetProperty("status").GetString(), poll);
                        var decision = json.GetProperty("decision");
                        Expect("approve", decision.GetProperty("verdict").GetString(), poll);
                        AgentDecisions[id] = decision.GetProperty("decidedBy").GetProperty("id").GetString()!;
                        break;
                    }

                    if (poll.Status != HttpStatusCode.Accepted)
                    {
                        throw new InvalidOperationException($"Waiting for {id}: {poll}");
                    }

                    Interlocked.Increment(ref RenewedPolls);
                    node = poll.Node;
                }
            }
        }

        /// <summary>
        /// Lists pending cases on some node, picks one at random from the page (so reviewers collide), claims it on some
        /// node and decides it on another; until every case is decided.
        /// </summary>
        private async Task ReviewerAsync(int reviewer, CancellationToken ct)
        {
            var random = new Random(reviewer * 7919 + 17);
            var key = reviewerKeys[reviewer];
            string? me = null;
            while (Volatile.Read(ref Decided) < Cases)
            {
                var page = await client.SendAsync(HttpMethod.Get, $"v1/cases?status=pending&limit={PageSize}", key, random.Next(NodeCount), -1, ct);
                if (page.Status != HttpStatusCode.OK)
                {
                    throw new InvalidOperationException($"Listing: {page}");
                }

                var items = page.Json.GetProperty("items");
                if (items.GetArrayLength() == 0)
                {
                    Interlocked.Increment(ref EmptyPages);
                    await Task.Delay(20, ct);
                    continue;
                }

                var id = items[random.Next(items.GetArrayLength())].GetProperty("id").GetString()!;
                var claim = await client.SendAsync(HttpMethod.Post, $"v1/cases/{id}/claim", key, random.Next(NodeCount), -1, ct);
                if (claim.Status == HttpStatusCode.Conflict)
                {
                    Interlocked.Increment(ref ClaimConflicts);
                    continue;
                }

                if (claim.Status != HttpStatusCode.OK)
                {
                    throw new InvalidOperationException($"Claiming {id}: {claim}");
                }

                // A claim whose first answer was lost with a dead node and repeated elsewhere answers 200 as well:
                // claiming a case one already holds is a no-op. Either way the holder is named.
                var holder = claim.Json.GetProperty("assignedTo").GetProperty("id").GetString()!;
                var claimedBeforeKill = !client.Killed;
                me ??= holder;
                Expect(me, holder, claim);
                Claims.Enqueue((id, holder));

                // The claim belongs to the reviewer, not to the node: decide through another one.
                var decideOn = (claim.Node + 1 + random.Next(NodeCount - 1)) % NodeCount;
                var decision = await client.SendAsync(HttpMethod.Post, $"v1/cases/{id}/decision", key, decideOn, claim.Node, ct, """{"verdict":"approve"}""");
                if (decision.Node == claim.Node)
                {
                    Interlocked.Increment(ref SameNode);
                }

                if (decision.Status == HttpStatusCode.OK)
                {
                    var json = decision.Json;
                    Expect("approved", json.GetProperty("status").GetString(), decision);
                    Expect(me, json.GetProperty("decision").GetProperty("decidedBy").GetProperty("id").GetString(), decision);
                    Decisions.Enqueue((id, me));
                }
                else if (decision.Status == HttpStatusCode.Conflict && decision.FailedAttempts > 0
                         && decision.Json.TryGetProperty("decidedBy", out var by) && by.GetProperty("id").GetString() == me)
                {
                    // The first attempt committed on a node that was killed before it could answer; the retry on
                    // another node finds the case already decided, by this reviewer.
                    RecoveredDecisions.Enqueue((id, me));
                }
                else
                {
                    throw new InvalidOperationException($"Deciding {id}, which {me} holds: {decision}");
                }

                if (claim.Node == KilledNode && claimedBeforeKill && client.Killed)
                {
                    Interlocked.Increment(ref HeldThroughKill);
                }

                if (!DecidedBy.TryAdd(id, me))
                {
                    throw new InvalidOperationException($"{id} was decided twice: by {DecidedBy[id]} and by {me}");
                }

                if (Interlocked.Increment(ref Decided) == KillAfterDecisions)
                {
                    KillSignal.TrySetResult();
                }
            }
        }

        public void AssertWhatTheClientsSaw()
        {
            Assert.Equal(Cases, Submitted.Count);
            Assert.Equal(Cases, AgentDecisions.Count);
            Assert.Equal(Cases, DecidedBy.Count);

            // Exactly one decision per case reached a reviewer: 2xx answers, plus the ones whose answer died with the
            // node (committed once, confirmed by the 409 that names the same reviewer).
            Assert.Equal(Cases, Decisions.Count + RecoveredDecisions.Count);
            Assert.Equal(Decisions.Count, Decisions.Select(d => d.CaseId).Distinct().Count());
            Assert.Empty(Decisions.Select(d => d.CaseId).Intersect(RecoveredDecisions.Select(d => d.CaseId)));

            // No two reviewers ever both got a 2xx claim on the same case.
            var contested = Claims.GroupBy(c => c.CaseId).Where(g => g.Select(c => c.Reviewer).Distinct().Count() > 1).Select(g => g.Key).ToList();
            Assert.True(contested.Count == 0, $"Cases claimed by two reviewers: {string.Join(", ", contested.Take(10))}");

            // The agent heard of the decision the reviewer made, through another node's long-poll.
            Assert.All(AgentDecisions, a => Assert.Equal(DecidedBy[a.Key], a.Value));
            Assert.Equal(Cases, Claims.Select(c => c.CaseId).Distinct().Count());
        }

        private static void Expect(string? expected, string? actual, Reply reply)
        {
            if (!string.Equals(expected, actual, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"Expected {expected}, got {actual}: {reply}");
            }
        }
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Handoff.Cluster.Tests;

/// <summary>
/// A node killed while an offer it made is ringing: nothing on that node survives, so the offer must lapse and the case
/// move on from what the database holds alone — on another node, whose offer worker finds the offer due.
/// </summary>
public sealed class OfferFailoverTests
{
    // Long enough that node A is surely killed before its own offer worker could lapse the offer; short enough to wait.
    private const string AcceptTimeout = "15s";

    // Not an assertion on time: a case stuck ringing fails with what was reached instead of blocking the run.
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task NodeKilledWhileItsOfferRings_AnotherNodeLapsesTheOfferAndOffersTheCaseToTheNextMember_AndItCanBeDecided()
    {
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        guard.CancelAfter(Deadline);
        var ct = guard.Token;
        await using var database = await ClusterDatabase.CreateAsync(ct);
        var dataRoot = Path.Combine(Path.GetTempPath(), "handoff-cluster-tests", Guid.NewGuid().ToString("N"));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        var nodes = new List<Node>();
        try
        {
            // A push team of two, set up in the store before any node runs.
            await CliAsync(null, ct, "teams", "add", "support", "--mode", "push", "--accept-timeout", AcceptTimeout);
            foreach (var (email, name) in new[] { ("ana@example.com", "Ana"), ("ben@example.com", "Ben") })
            {
                await CliAsync("correct horse battery staple", ct, "users", "add", "--email", email, "--name", name, "--role", "reviewer", "--team", "support");
            }

            var admin = await KeyAsync("admin", ct);
            var agent = await KeyAsync("agent", ct);
            var reviewer = await KeyAsync("reviewer", ct);

            // Node A alone, so that the offer is surely its own.
            var ports = HandoffProcess.FreePorts(2);
            var a = Start(0, ports[0]);
            await a.WaitUntilUpAsync(http, ct);

            // Both online, and for long enough that nobody turns away for want of an open dashboard during the test.
            await SendAsync(a, HttpMethod.Put, "v1/routing/settings", admin, """{"awayAfter":"1d"}""", HttpStatusCode.OK, ct);
            var people = (await SendAsync(a, HttpMethod.Get, "v1/people", admin, null, HttpStatusCode.OK, ct)).RootElement;
            var ids = people.EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!, p => p.GetProperty("id").GetString()!);
            foreach (var id in ids.Values)
            {
                await SendAsync(a, HttpMethod.Put, $"v1/people/{id}/presence", admin, """{"presence":"online"}""", HttpStatusCode.OK, ct);
            }

            // Low confidence: the built-in policy sends it to a person of team support.
            var submitted = await SendAsync(a, HttpMethod.Post, "v1/cases", agent,
                """{"kind":"reply","summary":"Where is my parcel?","proposal":{"text":"It left yesterday.","confidence":0.5}}""", HttpStatusCode.Created, ct);
            var caseId = submitted.RootElement.GetProperty("id").GetString()!;

            var first = await PollAsync(database, caseId, static s => s.RingsFor, ct);
            await a.KillAsync();
            var atKill = await ReadAsync(database, caseId, ct);
            // The precondition of the scenario, not a timing assertion: the offer outlived its node.
            Assert.True(atKill.RingsFor == first && !atKill.Actions.Contains("case.offerLapsed"),
                $"The offer was answered or lapsed before node A died: {string.Join(", ", atKill.Actions)}");
            var next = ids.Values.Single(id => id != first);

            // Node B starts on the same database and knows nothing but what is in it.
            var b = Start(1, ports[1]);
            await b.WaitUntilUpAsync(http, ct);
            var moved = await PollAsync(database, caseId, s => s.RingsFor == next || s.AssignedTo is not null || s.Status != "pending" ? s : null, ct);

            Assert.Equal(next, moved.RingsFor);
            Assert.Equal(["case.created", "case.offered", "case.offerLapsed", "case.offered"], moved.Actions);

            // Not stuck: it can still be decided, on the node that is left.
            var decided = await SendAsync(b, HttpMethod.Post, $"v1/cases/{caseId}/decision", reviewer, """{"verdict":"approve"}""", HttpStatusCode.OK, ct);
            Assert.Equal("approved", decided.RootElement.GetProperty("status").GetString());
            var (exit, verified, error) = await HandoffProcess.RunAsync(ct, "audit", "verify", "--store", database.ConnectionString);
            Assert.True(exit == 0, $"handoff audit verify exited {exit}: {verified}{error}");
        }
        catch (OperationCanceledException) when (guard.IsCancellationRequested && !TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            Assert.Fail($"The case did not move on within {Deadline} (a hang guard, not a performance limit).\n" +
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

        Node Start(int index, int port)
        {
            var directory = Path.Combine(dataRoot, $"node{index}");
            Directory.CreateDirectory(directory);
            var node = Node.Start(index, port, database.ConnectionString, directory);
            nodes.Add(node);
            return node;
        }

        async Task CliAsync(string? input, CancellationToken cancellationToken, params string[] args)
        {
            var (exit, output, error) = await HandoffProcess.RunWithInputAsync(input, cancellationToken, [.. args, "--store", database.ConnectionString]);
            Assert.True(exit == 0, $"handoff {string.Join(' ', args)} exited {exit}: {output}{error}");
        }

        async Task<string> KeyAsync(string role, CancellationToken cancellationToken)
        {
            var (exit, key, error) = await HandoffProcess.RunAsync(cancellationToken, "keys", "create", "--store", database.ConnectionString, "--role", role, "--name", role);
            Assert.True(exit == 0, $"handoff keys create --role {role} exited {exit}: {error}");
            return key.Trim();
        }

        async Task<JsonDocument> SendAsync(Node node, HttpMethod method, string path, string key, string? json, HttpStatusCode expected, CancellationToken cancellationToken)
        {
            using var request = new HttpRequestMessage(method, new Uri(node.BaseAddress, path));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            if (json is not null)
            {
                request.Content = new StringContent(json, Encoding.UTF8, "application/json");
            }

            using var response = await http.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            Assert.True(response.StatusCode == expected, $"{method} {path} on node {node.Index}: {(int)response.StatusCode} {body}");
            return JsonDocument.Parse(body);
        }
    }

    /// <summary>Reads the case until <paramref name="until"/> gives something; the guard's deadline ends a wait that never does.</summary>
    private static async Task<T> PollAsync<T>(ClusterDatabase database, string caseId, Func<CaseState, T?> until, CancellationToken ct)
        where T : class
    {
        while (true)
        {
            if (until(await ReadAsync(database, caseId, ct)) is { } found)
            {
                return found;
            }

            await Task.Delay(100, ct);
        }
    }

    private static async Task<CaseState> ReadAsync(ClusterDatabase database, string caseId, CancellationToken ct)
    {
        await using var command = database.DataSource.CreateCommand("SELECT status, assigned_to_id, document FROM cases WHERE id = $1");
        command.Parameters.AddWithValue(caseId);
        string status, document;
        string? assignedTo;
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            Assert.True(await reader.ReadAsync(ct));
            (status, assignedTo, document) = (reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetString(2));
        }

        using var json = JsonDocument.Parse(document);
        var ringsFor = json.RootElement.TryGetProperty("offer", out var offer) && offer.ValueKind == JsonValueKind.Object
            ? offer.GetProperty("to").GetProperty("id").GetString()
            : null;
        var actions = new List<string>();
        await using var history = database.DataSource.CreateCommand("SELECT action FROM audit WHERE subject = $1 ORDER BY seq");
        history.Parameters.AddWithValue(caseId);
        await using (var reader = await history.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                actions.Add(reader.GetString(0));
            }
        }

        return new CaseState(status, assignedTo, ringsFor, actions);
    }

    private sealed record CaseState(string Status, string? AssignedTo, string? RingsFor, List<string> Actions);
}

using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Handoff.Core.Notifications.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Handoff.Cluster.Tests;

/// <summary>
/// The outbox's promise under the worst a process can suffer: a server killed with SIGKILL again and again while it
/// delivers to a receiver. Every event reaches the receiver at least once, none is lost, and a message delivered twice
/// carries the same <c>webhook-id</c> and the same signed body.
/// </summary>
public sealed class WebhookKillTests
{
    private const int Cases = 30;
    private const int Kills = 4;

    // Not an assertion on time: a run that never delivers everything fails with what arrived instead of blocking.
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task ServerKilledRepeatedlyWhileDelivering_EveryEventArrivesAtLeastOnce_DuplicatesWithTheSameIdAndBody()
    {
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        guard.CancelAfter(Deadline);
        var ct = guard.Token;
        await using var database = await ClusterDatabase.CreateAsync(ct);
        await using var receiver = await Receiver.StartAsync(ct);
        var dataRoot = Path.Combine(Path.GetTempPath(), "handoff-cluster-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataRoot);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        var port = HandoffProcess.FreePorts(1)[0];
        // The receiver is on loopback, which only an operator's configuration opens; a short lease, so that what a
        // killed node was sending is sent again within seconds rather than a minute.
        var environment = new Dictionary<string, string>
        {
            ["Handoff__Webhooks__AllowedNetworks__0"] = "127.0.0.0/8",
            ["Handoff__Notifications__DeliveryLease"] = "00:00:03",
        };
        Node? node = null;
        var killed = new List<string>();
        try
        {
            var admin = await KeyAsync("admin");
            var agent = await KeyAsync("agent");
            node = await StartAsync();

            using var created = await SendAsync(HttpMethod.Post, "v1/webhooks", admin,
                $$"""{"url":"{{receiver.Url}}","eventTypes":["case.created","case.escalated"]}""", HttpStatusCode.Created);
            receiver.Secret = WebhookSecret.Parse(created.RootElement.GetProperty("secret").GetString()!);

            // Half go to a person (two events each), half the policy approves (one event each).
            var expected = new HashSet<(string Type, string Case)>();
            for (var i = 0; i < Cases; i++)
            {
                var confidence = i % 2 == 0 ? "0.5" : "0.95";
                using var submitted = await SendAsync(HttpMethod.Post, "v1/cases", agent,
                    "{\"kind\":\"reply\",\"summary\":\"Parcel " + i + "\",\"proposal\":{\"text\":\"It left yesterday.\",\"confidence\":" + confidence + "}}", HttpStatusCode.Created);
                var id = submitted.RootElement.GetProperty("id").GetString()!;
                expected.Add(("case.created", id));
                if (submitted.RootElement.GetProperty("status").GetString() == "pending")
                {
                    expected.Add(("case.escalated", id));
                }
            }

            // Killed as soon as deliveries are arriving, each time, and started again on the same database.
            for (var kill = 0; kill < Kills; kill++)
            {
                var arrived = receiver.Count;
                while (receiver.Count == arrived && receiver.Distinct(expected).Count < expected.Count)
                {
                    await Task.Delay(20, ct);
                }

                await node.KillAsync();
                killed.Add($"kill {kill + 1} with {receiver.Distinct(expected).Count} of {expected.Count} events in");
                await node.DisposeAsync();
                node = await StartAsync();
            }

            while (receiver.Distinct(expected).Count < expected.Count)
            {
                await Task.Delay(100, ct);
            }

            Assert.Empty(receiver.BadSignatures);
            Assert.Equal(expected.OrderBy(e => e).ToList(), receiver.Distinct(expected).OrderBy(e => e).ToList());
            // The same event delivered twice is the same message: same id, same signed body.
            foreach (var copies in receiver.Received.GroupBy(static r => r.Id))
            {
                Assert.Single(copies.Select(static c => c.Body).Distinct());
            }

            // And an event sent again is never sent under a new id.
            foreach (var copies in receiver.Received.GroupBy(static r => (r.Type, r.Case)))
            {
                Assert.Single(copies.Select(static c => c.Id).Distinct());
            }
        }
        catch (OperationCanceledException) when (guard.IsCancellationRequested && !TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            Assert.Fail($"Not every event arrived within {Deadline} (a hang guard, not a performance limit): {receiver.Received.Count} received; " +
                        $"{string.Join("; ", killed)}\n{node?.Output}");
        }
        finally
        {
            if (node is not null)
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

        async Task<Node> StartAsync()
        {
            var started = Node.Start(0, port, database.ConnectionString, dataRoot, environment);
            await started.WaitUntilUpAsync(http, ct);
            return started;
        }

        async Task<string> KeyAsync(string role)
        {
            var (exit, key, error) = await HandoffProcess.RunAsync(ct, "keys", "create", "--store", database.ConnectionString, "--role", role, "--name", role);
            Assert.True(exit == 0, $"handoff keys create --role {role} exited {exit}: {error}");
            return key.Trim();
        }

        async Task<JsonDocument> SendAsync(HttpMethod method, string path, string key, string json, HttpStatusCode expectedStatus)
        {
            using var request = new HttpRequestMessage(method, new Uri(node!.BaseAddress, path));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
            using var response = await http.SendAsync(request, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            Assert.True(response.StatusCode == expectedStatus, $"{method} {path}: {(int)response.StatusCode} {body}");
            return JsonDocument.Parse(body);
        }
    }

    /// <summary>A webhook receiver on loopback that checks each signature and records what arrived; it answers slowly, so kills land mid-delivery.</summary>
    private sealed class Receiver : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private Receiver(WebApplication app, string url)
        {
            _app = app;
            Url = url;
        }

        public string Url { get; }

        public WebhookSecret? Secret { get; set; }

        public ConcurrentQueue<(string Id, string Type, string Case, string Body)> ReceivedQueue { get; } = new();

        public List<(string Id, string Type, string Case, string Body)> Received => [.. ReceivedQueue];

        public ConcurrentQueue<string> BadSignatures { get; } = new();

        public int Count => ReceivedQueue.Count;

        public static async Task<Receiver> StartAsync(CancellationToken cancellationToken)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            Receiver? receiver = null;
            app.MapPost("/hook", async (HttpRequest request) =>
            {
                using var reader = new StreamReader(request.Body);
                var body = await reader.ReadToEndAsync();
                var headers = request.Headers.ToDictionary(static h => h.Key, static h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
                var check = WebhookSignature.Verify([receiver!.Secret!], headers, body, TimeProvider.System.GetUtcNow());
                if (!check.Verified)
                {
                    receiver.BadSignatures.Enqueue($"{headers.GetValueOrDefault("webhook-id")}: {check.Message}");
                    return Results.StatusCode(400);
                }

                using var json = JsonDocument.Parse(body);
                var type = json.RootElement.GetProperty("type").GetString()!;
                var caseId = json.RootElement.GetProperty("data").GetProperty("case").GetProperty("id").GetString()!;
                // Slow enough that a kill finds deliveries under way.
                await Task.Delay(50);
                receiver.ReceivedQueue.Enqueue((headers["webhook-id"], type, caseId, body));
                return Results.NoContent();
            });
            await app.StartAsync(cancellationToken);
            var address = app.Urls.First();
            receiver = new Receiver(app, $"{address.TrimEnd('/')}/hook");
            return receiver;
        }

        /// <summary>The expected events that arrived, each once.</summary>
        public HashSet<(string Type, string Case)> Distinct(HashSet<(string Type, string Case)> expected) =>
            [.. ReceivedQueue.Select(static r => (r.Type, r.Case)).Where(expected.Contains)];

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}

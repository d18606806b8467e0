using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Handoff.Cluster.Tests;

/// <summary>An answer from some node: its status, its body, which node gave it, and how many attempts failed first.</summary>
internal sealed record Reply(HttpStatusCode Status, string Body, int Node, int FailedAttempts)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public override string ToString() => $"{(int)Status} from node {Node}: {Body}";
}

/// <summary>
/// What a client of a cluster does: send to the node it prefers and, when that node does not answer (connection
/// refused or reset, a timeout) or answers 503, try the next one. A node that failed is passed over for a moment.
/// </summary>
internal sealed class FailoverClient(HttpClient http, IReadOnlyList<Uri> nodes)
{
    private static readonly long PassOver = Stopwatch.Frequency * 3;

    private readonly long[] _failedAt = new long[nodes.Count];
    private long _retriesBeforeKill;
    private long _retriesAfterKill;
    private volatile bool _killed;

    public int NodeCount => nodes.Count;

    public long RetriesBeforeKill => Interlocked.Read(ref _retriesBeforeKill);

    public long RetriesAfterKill => Interlocked.Read(ref _retriesAfterKill);

    /// <summary>Whether <see cref="NoteKill"/> was called.</summary>
    public bool Killed => _killed;

    /// <summary>From now on retries count as "after the kill".</summary>
    public void NoteKill() => _killed = true;

    /// <summary>
    /// Sends until some node answers with anything but 503. <paramref name="avoid"/> is a node not to use while
    /// another one is available (-1 for none).
    /// </summary>
    public async Task<Reply> SendAsync(
        HttpMethod method, string path, string key, int preferred, int avoid, CancellationToken cancellationToken,
        string? json = null, string? idempotencyKey = null)
    {
        var node = Choose(preferred, avoid);
        for (var failed = 0; ; failed++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var request = new HttpRequestMessage(method, new Uri(nodes[node], path));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            if (idempotencyKey is not null)
            {
                request.Headers.Add("Idempotency-Key", idempotencyKey);
            }

            if (json is not null)
            {
                request.Content = new StringContent(json, Encoding.UTF8, "application/json");
            }

            try
            {
                using var response = await http.SendAsync(request, cancellationToken);
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                if (response.StatusCode != HttpStatusCode.ServiceUnavailable)
                {
                    return new Reply(response.StatusCode, body, node, failed);
                }
            }
            catch (HttpRequestException)
            {
                // Refused or reset: the node is gone (or going).
            }
            catch (IOException)
            {
                // The connection broke while the body was read.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // HttpClient's own timeout: the node stopped answering.
            }

            Interlocked.Increment(ref _killed ? ref _retriesAfterKill : ref _retriesBeforeKill);
            Volatile.Write(ref _failedAt[node], Stopwatch.GetTimestamp());
            await Task.Delay(Math.Min(20 * (failed + 1), 500), cancellationToken);
            node = Choose(node + 1, avoid);
        }
    }

    /// <summary>The first node from <paramref name="start"/> on that is not <paramref name="avoid"/> and did not just fail.</summary>
    private int Choose(int start, int avoid)
    {
        var n = nodes.Count;
        var now = Stopwatch.GetTimestamp();
        for (var pass = 0; pass < 3; pass++)
        {
            for (var k = 0; k < n; k++)
            {
                var candidate = (start + k) % n;
                var avoided = candidate == avoid && pass < 2;
                var failedRecently = Volatile.Read(ref _failedAt[candidate]) is var at && at != 0 && now - at < PassOver && pass < 1;
                if (!avoided && !failedRecently)
                {
                    return candidate;
                }
            }
        }

        return start % n;
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Handoff.Client;
using Actor = Handoff.Core.Cases.Actor;
using Handoff.Core;
using Handoff.Server;
using Handoff.Server.Auth;
using Handoff.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Handoff.LoadDriver;

/// <summary>
/// Webhooks (issue 14): the auto path with no subscriber and with a <c>case.created</c> webhook to a receiver on
/// 127.0.0.1, side by side, each on a fresh server; and how fast the outbox delivers to that receiver, both while
/// the load runs and alone, draining what the load left.
/// <code>
/// dotnet run -c Release --project bench/Handoff.LoadDriver -- --scenario webhooks [--seconds 10] [--concurrency 32] [--warmup 15] [--rounds 2]
/// </code>
/// The receiver verifies every signature with the .NET SDK's <see cref="HandoffWebhook"/> and counts duplicates.
/// </summary>
internal static class WebhookBench
{

    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = Arguments.Int(args, "--seconds", 10);
        var concurrency = Arguments.Int(args, "--concurrency", 32);
        var warmup = TimeSpan.FromSeconds(Arguments.Int(args, "--warmup", 15));
        var rounds = Arguments.Int(args, "--rounds", 2);
        // Settings for the server with the webhook, e.g. --server-arg --Handoff:Notifications:DeliveryParallelism=64
        string[] serverArgs = ["--Handoff:Webhooks:AllowedNetworks:0=127.0.0.0/8", .. args.Select((a, i) => (a, i)).Where(p => p.i > 0 && args[p.i - 1] == "--server-arg").Select(p => p.a)];

        await using var receiver = await Receiver.StartAsync().ConfigureAwait(false);
        var runs = new List<(LoadResult Plain, LoadResult Hooked, DeliveryFigures Delivery)>();
        for (var round = 1; round <= rounds; round++)
        {
            Console.Error.WriteLine($"round {round} of {rounds}: auto path, no subscriber");
            var plain = await Scenarios.AutoPathAsync(seconds, concurrency, warmup).ConfigureAwait(false);
            Console.Error.WriteLine($"round {round} of {rounds}: auto path, case.created webhook to {receiver.Url}");
            var (hooked, delivery) = await WithWebhookAsync(receiver, serverArgs, seconds, concurrency, warmup).ConfigureAwait(false);
            runs.Add((plain, hooked, delivery));
        }

        Console.WriteLine();
        Console.WriteLine("| round | auto path, no subscriber (req/s) | p50 / p99 (ms) | with a case.created webhook (req/s) | p50 / p99 (ms) | ratio |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|");
        for (var i = 0; i < runs.Count; i++)
        {
            var (plain, hooked, _) = runs[i];
            Console.WriteLine(Invariant($"| {i + 1} | {plain.Throughput:N0} | {plain.P50Ms:0.00} / {plain.P99Ms:0.00} | {hooked.Throughput:N0} | {hooked.P50Ms:0.00} / {hooked.P99Ms:0.00} | {hooked.Throughput / plain.Throughput:P0} |"));
        }

        Console.WriteLine();
        Console.WriteLine("| round | events | delivered while the load ran | delivery rate under load (/s) | backlog at the end | drained in (s) | delivery rate alone (/s) | lag p50 / p99 (s) | bad signatures | duplicates |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (var i = 0; i < runs.Count; i++)
        {
            Console.WriteLine(runs[i].Delivery.ToMarkdownRow(i + 1));
        }

        Console.WriteLine();
        for (var i = 0; i < runs.Count; i++)
        {
            Console.WriteLine(Invariant($"round {i + 1}, no subscriber: {runs[i].Plain.CpuMicrosecondsPerRequest:N0} µs CPU per request, cores {runs[i].Plain.CpuShare:P0} busy; {runs[i].Plain.Breakdown()}"));
            Console.WriteLine(Invariant($"round {i + 1}, webhook: {runs[i].Hooked.CpuMicrosecondsPerRequest:N0} µs CPU per request, cores {runs[i].Hooked.CpuShare:P0} busy; {runs[i].Hooked.Breakdown()}"));
        }

        Console.WriteLine($"server settings with the webhook: {string.Join(' ', serverArgs)}");
        Console.WriteLine($"({concurrency} concurrent clients, {seconds} s measured after a {warmup.TotalSeconds:0} s warm-up; each run on a fresh SQLite server in this process)");
        return runs.All(r => r.Plain.Errors == 0 && r.Hooked.Errors == 0 && r.Delivery.Complete && r.Delivery.BadSignatures == 0) ? 0 : 1;
    }

    private static Task<(LoadResult, DeliveryFigures)> WithWebhookAsync(Receiver receiver, string[] serverArgs, int seconds, int concurrency, TimeSpan warmup) =>
        Scenarios.WithServerAsync(serverArgs, async (app, directory) =>
        {
            var store = app.Services.GetRequiredService<IHandoffStore>();
            var agentKey = await ApiKeys.IssueAsync(store, "default", ApiKeyRole.Agent, "load driver", Actor.Cli("load"), TimeProvider.System).ConfigureAwait(false);
            var adminKey = await ApiKeys.IssueAsync(store, "default", ApiKeyRole.Admin, "load driver", Actor.Cli("load"), TimeProvider.System).ConfigureAwait(false);
            var address = await Scenarios.StartAsync(app).ConfigureAwait(false);
            using (var admin = Scenarios.NewClient(address, adminKey, 1))
            {
                using var added = await admin.PostAsJsonAsync("v1/webhooks", new { url = receiver.Url, eventTypes = new[] { "case.created" } }).ConfigureAwait(false);
                added.EnsureSuccessStatusCode();
                var endpoint = await added.Content.ReadFromJsonAsync<JsonElement>().ConfigureAwait(false);
                receiver.Reset(endpoint.GetProperty("secret").GetString()!);
            }

            long created = 0;
            using var client = Scenarios.NewClient(address, agentKey, concurrency);
            Console.Error.WriteLine($"handoff: {address}v1/cases (data in {directory})");
            var started = Stopwatch.GetTimestamp();
            var load = await LoadGenerator.RunAsync(
                async () =>
                {
                    var ok = await Scenarios.PostAsync(client, "v1/cases").ConfigureAwait(false);
                    if (ok)
                    {
                        Interlocked.Increment(ref created);
                    }

                    return ok;
                },
                concurrency, TimeSpan.FromSeconds(seconds), warmup).ConfigureAwait(false);
            var loadTime = Stopwatch.GetElapsedTime(started);
            var atEnd = receiver.Count;

            // Alone now: the outbox drains what the load left, with nothing else running.
            var drain = Stopwatch.StartNew();
            while (receiver.Count < created && drain.Elapsed < TimeSpan.FromMinutes(10))
            {
                await Task.Delay(20).ConfigureAwait(false);
            }

            var drained = drain.Elapsed;
            return (load, new DeliveryFigures(created, atEnd, loadTime, receiver.Count, drained, receiver.Lags(), receiver.BadSignatures, receiver.Duplicates));
        });

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    /// <param name="Events">Cases created (warm-up included), one <c>case.created</c> event each.</param>
    /// <param name="AtLoadEnd">How many the receiver had when the load stopped.</param>
    /// <param name="Delivered">How many it had in the end.</param>
    /// <param name="Lags">From each event's time (the audit entry's) to its arrival, in seconds, sorted.</param>
    private sealed record DeliveryFigures(
        long Events, long AtLoadEnd, TimeSpan LoadTime, long Delivered, TimeSpan Drained, double[] Lags, long BadSignatures, long Duplicates)
    {
        public bool Complete => Delivered >= Events;

        public string ToMarkdownRow(int round)
        {
            var backlog = Events - AtLoadEnd;
            var alone = Drained.TotalSeconds > 0 ? backlog / Drained.TotalSeconds : 0;
            return Invariant(
                $"| {round} | {Events:N0} | {AtLoadEnd:N0} | {AtLoadEnd / LoadTime.TotalSeconds:N0} | {backlog:N0} | {Drained.TotalSeconds:0.0} | {alone:N0} | {Percentile(0.50):0.0} / {Percentile(0.99):0.0} | {BadSignatures} | {Duplicates}{(Complete ? "" : $" (only {Delivered:N0} arrived)")} |");
        }

        private double Percentile(double p) => Lags.Length == 0 ? double.NaN : Lags[Math.Min(Lags.Length - 1, (int)Math.Ceiling(p * Lags.Length) - 1)];
    }

    /// <summary>A webhook receiver on 127.0.0.1: verifies each message, remembers its id and how late it arrived, answers 204.</summary>
    private sealed class Receiver : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private ConcurrentDictionary<string, double> _arrived = new(StringComparer.Ordinal);
        private HandoffWebhook? _verifier;
        private long _bad;
        private long _duplicates;

        private Receiver(WebApplication app) => _app = app;

        public string Url { get; private set; } = "";

        public long Count => _arrived.Count;

        public long BadSignatures => Interlocked.Read(ref _bad);

        public long Duplicates => Interlocked.Read(ref _duplicates);

        public static async Task<Receiver> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            var app = builder.Build();
            var receiver = new Receiver(app);
            app.MapPost("/hook", receiver.ReceiveAsync);
            receiver.Url = $"{await Scenarios.StartAsync(app).ConfigureAwait(false)}hook";
            return receiver;
        }

        public void Reset(string secret)
        {
            _verifier = new HandoffWebhook(secret);
            _arrived = new(StringComparer.Ordinal);
            Interlocked.Exchange(ref _bad, 0);
            Interlocked.Exchange(ref _duplicates, 0);
        }

        public double[] Lags() => [.. _arrived.Values.Order()];

        private async Task<IResult> ReceiveAsync(HttpRequest request)
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync().ConfigureAwait(false);
            HandoffWebhookEvent e;
            try
            {
                e = _verifier!.Verify(name => request.Headers[name].ToString() is { Length: > 0 } value ? value : null, body);
            }
            catch (HandoffWebhookException)
            {
                Interlocked.Increment(ref _bad);
                return Results.BadRequest();
            }

            var lag = (TimeProvider.System.GetUtcNow() - e.Timestamp).TotalSeconds;
            if (!_arrived.TryAdd(e.Id, lag))
            {
                Interlocked.Increment(ref _duplicates);
            }

            return Results.NoContent();
        }

        public ValueTask DisposeAsync() => _app.DisposeAsync();
    }
}

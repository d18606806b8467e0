using System.CommandLine;
using Handoff.Samples.SupportAgent.Shop;
using Microsoft.Extensions.Logging;

namespace Handoff.Samples.SupportAgent;

/// <summary>
/// <c>dotnet run --project samples/SupportAgent -- --key hk_…</c> answers ten customer conversations against a
/// running Handoff and prints how each ended; <c>… -- evaluate</c> measures the classifier.
/// </summary>
internal static class Program
{
    public static Task<int> Main(string[] args)
    {
        var server = new Option<string>("--server") { Description = "The Handoff server.", DefaultValueFactory = _ => "http://127.0.0.1:5080/" };
        var key = new Option<string?>("--key") { Description = "An agent API key (default: $HANDOFF_AGENT_KEY).", DefaultValueFactory = _ => Environment.GetEnvironmentVariable("HANDOFF_AGENT_KEY") };
        var count = new Option<int>("--conversations") { Description = "How many customer conversations to answer.", DefaultValueFactory = _ => 10 };
        var training = new Option<TrainingSource>("--training") { Description = "What the classifier learns from: shipped, bitext or both.", DefaultValueFactory = _ => TrainingSource.Shipped };
        var chatEndpoint = new Option<string?>("--chat-endpoint") { Description = "An OpenAI-compatible endpoint (e.g. Ollama's http://localhost:11434/v1): a model drafts instead of the classifier." };
        var chatModel = new Option<string>("--chat-model") { Description = "The model at --chat-endpoint.", DefaultValueFactory = _ => "llama3.2" };
        var chatKey = new Option<string?>("--chat-key") { Description = "The endpoint's API key (default: $OPENAI_API_KEY).", DefaultValueFactory = _ => Environment.GetEnvironmentVariable("OPENAI_API_KEY") };

        var root = new RootCommand("A customer-support agent that asks Handoff before it acts.") { server, key, count, training, chatEndpoint, chatModel, chatKey };
        root.SetAction(async (parse, cancellationToken) =>
        {
            if (!Uri.TryCreate(parse.GetValue(server), UriKind.Absolute, out var serverUri)
                || (parse.GetValue(chatEndpoint) is { } endpoint && !Uri.TryCreate(endpoint, UriKind.Absolute, out _)))
            {
                await Console.Error.WriteLineAsync("support-agent: --server and --chat-endpoint must be absolute URLs, such as http://127.0.0.1:5080/.").ConfigureAwait(false);
                return 2;
            }

            var options = new SupportAgentOptions
            {
                Server = serverUri,
                AgentKey = parse.GetValue(key),
                Training = parse.GetValue(training),
                ChatEndpoint = parse.GetValue(chatEndpoint) is { } chat ? new Uri(chat) : null,
                ChatModel = parse.GetValue(chatModel)!,
                ChatApiKey = parse.GetValue(chatKey),
            };
            if (options.Problem() is { } problem)
            {
                await Console.Error.WriteLineAsync($"support-agent: {problem}").ConfigureAwait(false);
                return 2;
            }

            using var loggers = LoggerFactory.Create(logging => logging.AddSimpleConsole(console => console.SingleLine = true));
            using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
            var agent = SupportAgentFactory.Create(options, http, new SimulatedShop(loggers.CreateLogger<SimulatedShop>()), loggers);
            var traffic = new DemoTraffic();
            var outcomes = await Task.WhenAll(Enumerable.Range(0, parse.GetValue(count))
                .Select(_ => agent.HandleAsync(traffic.Next(), cancellationToken))).ConfigureAwait(false);
            foreach (var outcome in outcomes)
            {
                await Console.Out.WriteLineAsync(
                    $"{outcome.CaseId}\t{outcome.Outcome}\t{outcome.Status}\t{outcome.Decision?.Verdict}\t{outcome.Ran?.Name}").ConfigureAwait(false);
            }

            return 0;
        });

        var evaluate = new Command("evaluate", "Train the classifier on each source and measure it on examples it did not learn from.");
        evaluate.SetAction(async (_, cancellationToken) =>
        {
            foreach (var line in ClassifierReport.Lines(cancellationToken))
            {
                await Console.Out.WriteLineAsync(line).ConfigureAwait(false);
            }

            return 0;
        });
        root.Subcommands.Add(evaluate);
        return root.Parse(args).InvokeAsync();
    }
}

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
    private const int MaxConversations = 1000;

    public static Task<int> Main(string[] args) => RunAsync(args, Environment.GetEnvironmentVariable, Console.Out, Console.Error);

    /// <summary>The command line, with the environment and the console given: what a test runs.</summary>
    internal static Task<int> RunAsync(string[] args, Func<string, string?> environment, TextWriter output, TextWriter error)
    {
        // The keys are read from the environment after parsing, never as the options' default values: help prints
        // those, and a secret would end up in a terminal, a screenshot or a CI log.
        var server = new Option<string>("--server") { Description = "The Handoff server.", DefaultValueFactory = _ => "http://127.0.0.1:5080/" };
        var key = new Option<string?>("--key") { Description = "An agent API key (default: the HANDOFF_AGENT_KEY environment variable)." };
        var count = new Option<int>("--conversations") { Description = $"How many customer conversations to answer, from 1 to {MaxConversations}.", DefaultValueFactory = _ => 10 };
        var training = new Option<TrainingSource>("--training") { Description = "What the classifier learns from: shipped, bitext or both.", DefaultValueFactory = _ => TrainingSource.Shipped };
        var chatEndpoint = new Option<string?>("--chat-endpoint") { Description = "An OpenAI-compatible endpoint (e.g. Ollama's http://localhost:11434/v1): a model drafts instead of the classifier." };
        var chatModel = new Option<string>("--chat-model") { Description = "The model at --chat-endpoint.", DefaultValueFactory = _ => "llama3.2" };
        var chatKey = new Option<string?>("--chat-key")
        {
            Description = "The endpoint's API key (default: the OPENAI_API_KEY environment variable, only when the endpoint is https://api.openai.com).",
        };

        var root = new RootCommand("A customer-support agent that asks Handoff before it acts.") { server, key, count, training, chatEndpoint, chatModel, chatKey };
        root.SetAction(async (parse, cancellationToken) =>
        {
            if (!Uri.TryCreate(parse.GetValue(server), UriKind.Absolute, out var serverUri)
                || (parse.GetValue(chatEndpoint) is { } endpoint && !Uri.TryCreate(endpoint, UriKind.Absolute, out _)))
            {
                await error.WriteLineAsync("support-agent: --server and --chat-endpoint must be absolute URLs, such as http://127.0.0.1:5080/.").ConfigureAwait(false);
                return 2;
            }

            var conversations = parse.GetValue(count);
            if (conversations is < 1 or > MaxConversations)
            {
                await error.WriteLineAsync($"support-agent: --conversations must be from 1 to {MaxConversations}.").ConfigureAwait(false);
                return 2;
            }

            var chatUri = parse.GetValue(chatEndpoint) is { } chat ? new Uri(chat) : null;
            var options = new SupportAgentOptions
            {
                Server = serverUri,
                AgentKey = parse.GetValue(key) ?? environment("HANDOFF_AGENT_KEY"),
                Training = parse.GetValue(training),
                ChatEndpoint = chatUri,
                ChatModel = parse.GetValue(chatModel)!,
                ChatApiKey = SupportAgentFactory.ChatApiKey(parse.GetValue(chatKey), chatUri, environment),

                // A person at a terminal is better served by a quick "cannot reach the server" than by half a minute
                // of silent retries; a long-running agent (serve --demo) keeps the client's patience.
                HandoffMaxAttempts = 2,
            };
            if (options.Problem() is { } problem)
            {
                await error.WriteLineAsync($"support-agent: {problem}").ConfigureAwait(false);
                return 2;
            }

            try
            {
                return await AnswerAsync(options, conversations, output, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Setting up failed (Bitext not found, a chat endpoint the OpenAI client refuses): one line, no stack trace.
                await error.WriteLineAsync($"support-agent: {OneLine(e)}").ConfigureAwait(false);
                return 1;
            }
        });

        var evaluate = new Command("evaluate", "Train the classifier on each source and measure it on examples it did not learn from.");
        evaluate.SetAction(async (_, cancellationToken) =>
        {
            foreach (var line in ClassifierReport.Lines(cancellationToken))
            {
                await output.WriteLineAsync(line).ConfigureAwait(false);
            }

            return 0;
        });
        root.Subcommands.Add(evaluate);
        return root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
    }

    /// <summary>
    /// Answers the conversations at once and prints a line for each, in order: how it ended, or why it failed. One
    /// that fails (a server out of reach, a key refused) does not take the others' outcomes with it.
    /// </summary>
    private static async Task<int> AnswerAsync(SupportAgentOptions options, int conversations, TextWriter output, CancellationToken cancellationToken)
    {
        using var loggers = LoggerFactory.Create(logging => logging.AddSimpleConsole(console => console.SingleLine = true));
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var agent = SupportAgentFactory.Create(options, http, new SimulatedShop(loggers.CreateLogger<SimulatedShop>()), loggers);
        var traffic = new DemoTraffic();
        var ended = await Task.WhenAll(Enumerable.Range(0, conversations).Select(async _ =>
        {
            try
            {
                var outcome = await agent.HandleAsync(traffic.Next(), cancellationToken).ConfigureAwait(false);
                return (Failed: false, Line: $"{outcome.CaseId}\t{outcome.Outcome}\t{outcome.Status}\t{outcome.Decision?.Verdict}\t{outcome.Ran?.Name}");
            }
            catch (Exception e)
            {
                return (Failed: true, Line: $"failed: {OneLine(e)}");
            }
        })).ConfigureAwait(false);
        foreach (var (_, line) in ended)
        {
            await output.WriteLineAsync(line).ConfigureAwait(false);
        }

        return ended.Any(conversation => conversation.Failed) ? 1 : 0;
    }

    private static string OneLine(Exception e) => string.Join(' ', e.Message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}

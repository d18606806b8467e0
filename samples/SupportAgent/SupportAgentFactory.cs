using System.ClientModel;
using System.Diagnostics;
using Handoff.Client;
using Handoff.Samples.SupportAgent.Classification;
using Handoff.Samples.SupportAgent.Drafting;
using Handoff.Samples.SupportAgent.Shop;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.ML;
using OpenAI;

namespace Handoff.Samples.SupportAgent;

/// <summary>Puts an agent together from <see cref="SupportAgentOptions"/>: its drafter, its Handoff client, its shop.</summary>
internal static partial class SupportAgentFactory
{
    public static CustomerSupportAgent Create(SupportAgentOptions options, HttpClient http, IShop shop, ILoggerFactory loggers, IChatClient? chatClient = null)
    {
        if (options.Problem() is { } problem)
        {
            throw new ArgumentException(problem, nameof(options));
        }

        var handoff = new HandoffClient(
            http,
            new HandoffClientOptions { BaseAddress = options.Server, ApiKey = options.AgentKey, MaxAttempts = options.HandoffMaxAttempts },
            logger: loggers.CreateLogger<HandoffClient>());
        return new CustomerSupportAgent(handoff, CreateDrafter(options, loggers, chatClient), shop, loggers.CreateLogger<CustomerSupportAgent>());
    }

    /// <summary>
    /// The chat model when one is configured (or given), its confidence bounded by the classifier trained on the shipped
    /// conversations; else the classifier trained as the options say.
    /// </summary>
    public static IDrafter CreateDrafter(SupportAgentOptions options, ILoggerFactory loggers, IChatClient? chatClient = null)
    {
        var logger = loggers.CreateLogger(typeof(SupportAgentFactory));
        if (chatClient is not null || options.ChatEndpoint is not null)
        {
            chatClient ??= new OpenAI.Chat.ChatClient(
                    options.ChatModel,
                    new ApiKeyCredential(string.IsNullOrWhiteSpace(options.ChatApiKey) ? "none" : options.ChatApiKey), // Ollama and most local servers take any key
                    new OpenAIClientOptions { Endpoint = options.ChatEndpoint })
                .AsIChatClient();
            LogChatModel(logger, options.ChatModel, options.ChatEndpoint?.ToString() ?? "(given)");

            // The shipped conversations rather than options.Training: they are on every machine, and they are what the
            // classifier does best on for the shop's own traffic (docs/agents.md), which is what it must judge here.
            return new ChatModelDrafter(chatClient, options.ChatModel, Train(TrainingSource.Shipped, logger).Classifier);
        }

        var (classifier, source) = Train(options.Training, logger);
        return new ClassifierDrafter(classifier, source);
    }

    private static (IntentClassifier Classifier, string Source) Train(TrainingSource training, ILogger logger)
    {
        var (examples, source) = TrainingExamples(training);
        var watch = Stopwatch.StartNew();
        var classifier = IntentClassifier.Train(examples);
        LogTrained(logger, examples.Count, source, watch.ElapsedMilliseconds);
        return (classifier, source);
    }

    /// <summary>
    /// The key for the chat endpoint: the one given, always; else <c>$OPENAI_API_KEY</c>, but only for OpenAI's own
    /// endpoint over HTTPS. That variable is often set for other tools, and a local or third-party endpoint (a
    /// mistyped one, or one someone else runs) must never receive it unasked.
    /// </summary>
    public static string? ChatApiKey(string? given, Uri? endpoint, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (!string.IsNullOrWhiteSpace(given))
        {
            return given;
        }

        var openAi = endpoint is { IsAbsoluteUri: true }
            && endpoint.Scheme == Uri.UriSchemeHttps
            && string.Equals(endpoint.Host, "api.openai.com", StringComparison.OrdinalIgnoreCase);
        return openAi ? environment("OPENAI_API_KEY") : null;
    }

    public static (IReadOnlyList<LabeledText> Examples, string Source) TrainingExamples(TrainingSource training)
    {
        if (training == TrainingSource.Shipped)
        {
            return (TrainingData.Shipped(), "shipped conversations");
        }

        var path = TrainingData.FindBitext()
            ?? throw new FileNotFoundException($"The Bitext data set was not found: set HANDOFF_BITEXT to its {TrainingData.BitextFileName}, or run from a folder below shared/datasets/bitext.");
        var bitext = TrainingData.Bitext(new MLContext(1), path);
        return training == TrainingSource.Bitext
            ? (bitext, "Bitext messages")
            : ([.. TrainingData.Shipped(), .. bitext], "shipped conversations and Bitext messages");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Support agent: classifier trained on {Count} {Source} in {Milliseconds} ms")]
    private static partial void LogTrained(ILogger logger, int count, string source, long milliseconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Support agent: drafting with the chat model {Model} at {Endpoint}")]
    private static partial void LogChatModel(ILogger logger, string model, string endpoint);
}

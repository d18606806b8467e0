namespace Handoff.Samples.SupportAgent;

/// <summary>Where the agent finds Handoff, and what drafts its answers. Checked by <see cref="Problem"/> before use.</summary>
public sealed class SupportAgentOptions
{
    /// <summary>The Handoff server. <value>The default value is <c>http://127.0.0.1:5080/</c>.</value></summary>
    public Uri Server { get; set; } = new("http://127.0.0.1:5080/");

    /// <summary>An agent API key (<c>hk_…</c>); required.</summary>
    public string? AgentKey { get; set; }

    /// <summary>What the offline classifier learns from. <value>The default value is <see cref="TrainingSource.Shipped"/>.</value></summary>
    public TrainingSource Training { get; set; } = TrainingSource.Shipped;

    /// <summary>
    /// An OpenAI-compatible chat endpoint (<c>https://api.openai.com/v1</c>, Ollama's <c>http://localhost:11434/v1</c>);
    /// when set, a language model drafts the answers instead of the classifier.
    /// <value>The default value is null: the offline classifier.</value>
    /// </summary>
    public Uri? ChatEndpoint { get; set; }

    /// <summary>The model to ask at <see cref="ChatEndpoint"/>. <value>The default value is <c>llama3.2</c>.</value></summary>
    public string ChatModel { get; set; } = "llama3.2";

    /// <summary>
    /// The endpoint's API key, sent to <see cref="ChatEndpoint"/> as it is (the command line only takes
    /// <c>$OPENAI_API_KEY</c> by itself for OpenAI's own endpoint). <value>The default value is null: none is needed (Ollama).</value>
    /// </summary>
    public string? ChatApiKey { get; set; }

    /// <summary>
    /// How many times one call to Handoff (submit, get) is tried before the conversation fails with what the last try
    /// met; waiting for a decision retries for as long as it takes regardless.
    /// <value>The default value is 5, the Handoff client's own.</value>
    /// </summary>
    public int HandoffMaxAttempts { get; set; } = 5;

    /// <summary>What is wrong with these options, or null when they can be used.</summary>
    public string? Problem()
    {
        if (string.IsNullOrWhiteSpace(AgentKey))
        {
            return "An agent API key is required (handoff keys create --role agent).";
        }

        if (!Server.IsAbsoluteUri)
        {
            return "The Handoff server must be an absolute URL, such as http://127.0.0.1:5080/.";
        }

        if (HandoffMaxAttempts < 1)
        {
            return "HandoffMaxAttempts must be at least 1.";
        }

        return ChatEndpoint is { IsAbsoluteUri: false } ? "The chat endpoint must be an absolute URL." : null;
    }
}

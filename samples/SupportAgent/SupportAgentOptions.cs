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

    /// <summary>The endpoint's API key. <value>The default value is null: none is needed (Ollama).</value></summary>
    public string? ChatApiKey { get; set; }

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

        return ChatEndpoint is { IsAbsoluteUri: false } ? "The chat endpoint must be an absolute URL." : null;
    }
}

/// <summary>
/// What the offline classifier learns from. Bitext is found as <c>shared/datasets/bitext</c> in the current folder or
/// one above it, or where <c>HANDOFF_BITEXT</c> says; choosing it when it is not there is an error.
/// </summary>
public enum TrainingSource
{
    /// <summary>
    /// The 378 conversations this sample ships: the best on the demo's own traffic (docs/agents.md has the figures),
    /// and there on every machine.
    /// </summary>
    Shipped,

    /// <summary>The Bitext customer-support data set alone (4,514 templated messages).</summary>
    Bitext,

    /// <summary>The shipped conversations and Bitext together.</summary>
    Both,
}

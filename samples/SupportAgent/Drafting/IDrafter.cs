namespace Handoff.Samples.SupportAgent.Drafting;

/// <summary>Drafts what the agent would answer or do: the offline classifier, or a chat model.</summary>
internal interface IDrafter
{
    /// <summary>A short name for logs: <c>classifier (shipped)</c>, <c>chat model llama3.2</c>.</summary>
    string Name { get; }

    Task<Draft> DraftAsync(Conversation conversation, CancellationToken cancellationToken);
}

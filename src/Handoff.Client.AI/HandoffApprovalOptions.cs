namespace Handoff.Client.AI;

/// <summary>Options of <see cref="HandoffChatClientBuilderExtensions.UseHandoffApprovals"/>.</summary>
public sealed class HandoffApprovalOptions
{
    /// <summary>
    /// Names of tools that need a person's approval although they are plain <c>AIFunction</c>s, compared ordinally.
    /// <value>The default is empty: only tools wrapped in <c>ApprovalRequiredAIFunction</c> need approval.</value>
    /// </summary>
    public ISet<string> ToolNames { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>
    /// Supplies the agent's context for a tool call that becomes a case: summary, subject, facts, confidence. Called
    /// once per such call, possibly concurrently for the calls of one turn.
    /// <value>The default is none: the case gets a generated summary and no facts, subject or confidence (which the
    /// built-in policy counts as low confidence, so a person always looks).</value>
    /// </summary>
    public Func<HandoffToolCall, HandoffCaseContext>? Context { get; set; }

    /// <summary>
    /// How long a case may wait for a person before its <see cref="OnTimeout"/> applies.
    /// <value>The default is none: the server's default expiry applies.</value>
    /// </summary>
    public TimeSpan? ExpiresIn { get; set; }

    /// <summary>
    /// What happens when a case expires undecided.
    /// <value>The default is none: the server's default applies.</value>
    /// </summary>
    public TimeoutEffect? OnTimeout { get; set; }

    /// <summary>
    /// How many times one request may go back to the model with decided tool calls before the middleware stops and
    /// returns the last response as it is.
    /// <value>The default is 10.</value>
    /// </summary>
    public int MaximumRounds { get; set; } = 10;
}

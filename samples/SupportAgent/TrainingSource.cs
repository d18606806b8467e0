namespace Handoff.Samples.SupportAgent;

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

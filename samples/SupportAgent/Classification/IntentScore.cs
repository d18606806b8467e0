namespace Handoff.Samples.SupportAgent.Classification;

/// <summary>An intent and the classifier's probability for it.</summary>
internal sealed record IntentScore(string Intent, float Probability);

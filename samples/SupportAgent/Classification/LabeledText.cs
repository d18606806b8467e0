namespace Handoff.Samples.SupportAgent.Classification;

/// <summary>A customer message and its intent: a row to train or test the classifier on (ML.NET wants a mutable class).</summary>
internal sealed class LabeledText
{
    public string Intent { get; set; } = "";

    public string Text { get; set; } = "";

    public static LabeledText Of(string intent, string text) => new() { Intent = intent, Text = text };
}

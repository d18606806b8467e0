namespace Handoff.Storage.Learning;

/// <summary>A row of the decision ledger whose text has no embedding of a model yet: its position and its text.</summary>
public sealed record TextToEmbed(long Seq, string Text);

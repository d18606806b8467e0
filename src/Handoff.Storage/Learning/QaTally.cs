namespace Handoff.Storage.Learning;

/// <summary>The QA queue of one source (<c>learned</c> or <c>auto</c>) since a time: checks made, how many found an error, how many wait.</summary>
public sealed record QaTally(int Checked, int Errors, int Waiting);

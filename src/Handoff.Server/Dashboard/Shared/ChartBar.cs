namespace Handoff.Server.Dashboard.Shared;

/// <summary>One bar of a <see cref="BarChart"/>: its label, its value, and the value as people read it (by default the number).</summary>
public sealed record ChartBar(string Label, double Value, string? Text = null);

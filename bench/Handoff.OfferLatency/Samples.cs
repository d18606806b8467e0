using System.Globalization;

namespace Handoff.OfferLatency;

/// <summary>Latencies in milliseconds, read as nearest-rank percentiles (as bench/Handoff.LoadDriver's Samples).</summary>
internal sealed class Samples(string name)
{
    private readonly List<double> _values = [];

    public string Name { get; } = name;

    public void Add(double milliseconds) => _values.Add(milliseconds);

    /// <summary>The nearest-rank percentile (<paramref name="p"/> from 0 to 1); NaN when there are no samples.</summary>
    public double Percentile(double p)
    {
        if (_values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = _values.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    public string ToMarkdownRow() =>
        $"| {Name} | {F(Percentile(0.5))} | {F(Percentile(0.9))} | {F(Percentile(0.99))} | {F(Percentile(1))} | {F(_values.Count == 0 ? double.NaN : _values.Min())} |";

    private static string F(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);
}

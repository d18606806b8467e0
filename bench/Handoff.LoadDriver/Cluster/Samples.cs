using System.Globalization;

namespace Handoff.LoadDriver.Cluster;

/// <summary>Latencies in milliseconds, collected from any number of workers, read as percentiles.</summary>
internal sealed class Samples
{
    private readonly List<double> _values = [];
    private double[]? _sorted;

    public int Count
    {
        get
        {
            lock (_values)
            {
                return _values.Count;
            }
        }
    }

    public void Add(double milliseconds)
    {
        lock (_values)
        {
            _values.Add(milliseconds);
            _sorted = null;
        }
    }

    /// <summary>The nearest-rank percentile (<paramref name="p"/> from 0 to 1); 0 when there are no samples.</summary>
    public double Percentile(double p)
    {
        lock (_values)
        {
            _sorted ??= [.. _values.Order()];
            return _sorted.Length == 0 ? 0 : _sorted[Math.Clamp((int)Math.Ceiling(p * _sorted.Length) - 1, 0, _sorted.Length - 1)];
        }
    }

    public double Max => Percentile(1);

    public string Format(double p) => Percentile(p).ToString("0.00", CultureInfo.InvariantCulture);
}

using System.Diagnostics.Metrics;

namespace Handoff.Storage.Tests;

/// <summary>
/// A meter factory of one test's own: its meters are scoped to it, so a <c>MetricCollector</c> on it sees only the
/// measurements of the stores that test made, whatever other tests record at the same time.
/// </summary>
public sealed class TestMeterFactory : IMeterFactory
{
    private readonly List<Meter> _meters = [];

    public Meter Create(MeterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var meter = new Meter(options.Name, options.Version, options.Tags, scope: this);
        lock (_meters)
        {
            _meters.Add(meter);
        }

        return meter;
    }

    public void Dispose()
    {
        lock (_meters)
        {
            foreach (var meter in _meters)
            {
                meter.Dispose();
            }

            _meters.Clear();
        }
    }
}

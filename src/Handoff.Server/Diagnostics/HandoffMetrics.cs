using System.Diagnostics.Metrics;
using Handoff.Core.Cases;
using Handoff.Core.Policy;

namespace Handoff.Server.Diagnostics;

/// <summary>
/// Counters an operator watches (meter <c>Handoff.Server</c>): how many cases arrive and with which outcome, how
/// they end, and how many run out of time. Read them with any OpenTelemetry exporter or <c>dotnet-counters</c>.
/// </summary>
internal sealed class HandoffMetrics
{
    public const string MeterName = "Handoff.Server";

    private readonly Counter<long> _submitted;
    private readonly Counter<long> _decided;
    private readonly Counter<long> _expired;

    public HandoffMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _submitted = meter.CreateCounter<long>("handoff.cases.submitted", "{case}", "Cases submitted by agents, by policy outcome.");
        _decided = meter.CreateCounter<long>("handoff.cases.decided", "{case}", "Cases decided by a person, by verdict.");
        _expired = meter.CreateCounter<long>("handoff.cases.expired", "{case}", "Cases whose onTimeout applied, by effect.");
    }

    public void Submitted(Outcome outcome) => _submitted.Add(1, new KeyValuePair<string, object?>("outcome", outcome.ToString().ToLowerInvariant()));

    public void Decided(Verdict verdict) => _decided.Add(1, new KeyValuePair<string, object?>("verdict", verdict.ToString().ToLowerInvariant()));

    public void Expired(TimeoutEffect effect) => _expired.Add(1, new KeyValuePair<string, object?>("effect", effect.ToString().ToLowerInvariant()));
}

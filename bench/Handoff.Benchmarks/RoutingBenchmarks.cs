using BenchmarkDotNet.Attributes;
using Handoff.Core.Cases;
using Handoff.Core.Routing;

namespace Handoff.Benchmarks;

/// <summary>
/// What routing costs per decision: offering a case among 1,000 members, "next case" among 10,000 queued cases, and an
/// SLA due time (and the working time back) across more than a week of office hours with a lunch break and closures.
/// </summary>
[MemoryDiagnoser]
public class RoutingBenchmarks
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 15, 0, 0, TimeSpan.Zero);

    private RoutingCandidate[] _members = null!;
    private HashSet<string> _declined = null!;
    private CaseNeeds _case = null!;
    private QueuedCase[] _queue = null!;
    private RoutingCandidate _person = null!;
    private WorkingClock _clock = null!;
    private DateTimeOffset _due;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        string[] skills = ["billing", "refunds", "legal", "shipping", "technical", "vip"];
        string[] languages = ["en", "de", "fr", "es"];
        TagSet Pick(string[] from, int count) => TagSet.Of(Enumerable.Range(0, count).Select(_ => from[random.Next(from.Length)]));

        // Most members are online and many qualify, so the pass compares and checks most of them, as a busy team would.
        _members = [.. Enumerable.Range(0, 1000).Select(i => new RoutingCandidate(
            $"usr_{i:D4}",
            random.Next(10) < 7 ? Presence.Online : (Presence)random.Next(1, 3),
            Pick(skills, random.Next(1, 5)),
            Pick(languages, random.Next(1, 3)),
            Capacity: random.Next(2, 8),
            Load: random.Next(0, 6),
            LastAssignedAt: Now.AddMinutes(-random.Next(0, 240))))];
        _declined = ["usr_0001", "usr_0002", "usr_0003"];
        _case = new CaseNeeds(TagSet.Of("billing"), "en", LoadWeights.Default.Queued);

        _queue = [.. Enumerable.Range(0, 10_000).Select(i => new QueuedCase(
            $"cs_{i:D5}",
            (Priority)random.Next(4),
            random.Next(3) == 0 ? null : Now.AddMinutes(random.Next(-60, 600)),
            Now.AddMinutes(-random.Next(0, 3000)),
            new CaseNeeds(Pick(skills, random.Next(0, 3)), random.Next(4) == 0 ? languages[random.Next(languages.Length)] : null, random.Next(5) == 0 ? 3 : 1)))];
        _person = new RoutingCandidate("usr_9999", Presence.Online, TagSet.Of("billing", "refunds", "shipping"), TagSet.Of("en", "de"), 6, 3, null);

        var week = new List<WeeklyHours>();
        foreach (var day in new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday })
        {
            week.Add(new WeeklyHours(day, new TimeOnly(8, 0), new TimeOnly(12, 0)));
            week.Add(new WeeklyHours(day, new TimeOnly(13, 0), new TimeOnly(18, 0)));
        }

        DateOnly[] closures = [new(2026, 12, 8), new(2026, 12, 24), new(2026, 12, 25), new(2026, 12, 26), new(2026, 12, 31), new(2027, 1, 1), new(2027, 1, 6), new(2027, 4, 2), new(2027, 4, 5), new(2027, 5, 1)];
        _clock = WorkingClock.For(new WorkingHours("Europe/Berlin", week, closures));
        _due = DueAtAcrossAWeek()!.Value;
    }

    [Benchmark]
    public RoutingCandidate? PushAmong1000Members() => PushRouting.Choose(_case, _members, _declined);

    [Benchmark]
    public QueuedCase? PullAmong10000Cases() => PullRouting.Next(_person, _queue);

    /// <summary>Friday 16:00 plus 40 working hours: past the weekend, a closed Tuesday and four more days of openings.</summary>
    [Benchmark]
    public DateTimeOffset? DueAtAcrossAWeek() => _clock.DueAt(Now, TimeSpan.FromHours(40));

    [Benchmark]
    public TimeSpan WorkingTimeAcrossAWeek() => _clock.WorkingTimeBetween(Now, _due);
}

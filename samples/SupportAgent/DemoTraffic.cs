using System.Text.Json;
using Handoff.Samples.SupportAgent.Classification;

namespace Handoff.Samples.SupportAgent;

/// <summary>
/// Customers writing in: the 81 conversations of <c>Data/traffic.json</c> (3 per intent, written for this sample and
/// held out from training), replayed in a shuffled order that starts over when it runs out. Each replay is a new
/// conversation with an id of its own, so its case is new too. Thread safe.
/// </summary>
internal sealed class DemoTraffic
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly IReadOnlyList<Scripted> _scripts;
    private readonly Random _random;
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private readonly Lock _gate = new();
    private int[] _order = [];
    private int _next;
    private int _served;

    public DemoTraffic(int? seed = null)
    {
        _scripts = Load();
        _random = seed is { } s ? new Random(s) : new Random();
    }

    /// <summary>Every scripted conversation with its true intent: the held-out set the classifier is measured on.</summary>
    public static IReadOnlyList<Scripted> Load()
    {
        using var stream = TrainingData.Resource("traffic.json");
        return JsonSerializer.Deserialize<List<Scripted>>(stream, Json)
            ?? throw new InvalidOperationException("traffic.json is empty.");
    }

    public static IReadOnlyList<LabeledText> Labeled() =>
        [.. Load().Select(s => LabeledText.Of(s.Intent, s.Conversation.Last(t => t.Role == Turn.CustomerRole).Text))];

    public Conversation Next()
    {
        lock (_gate)
        {
            if (_next == _order.Length)
            {
                _order = [.. Enumerable.Range(0, _scripts.Count)];
                _random.Shuffle(_order);
                _next = 0;
            }

            var script = _scripts[_order[_next++]];
            return new Conversation($"demo-{_run}-{++_served}", script.Channel, script.Customer, script.Conversation);
        }
    }

    /// <summary>One conversation as <c>traffic.json</c> holds it.</summary>
    internal sealed record Scripted(string Intent, string Channel, Customer Customer, IReadOnlyList<Turn> Conversation);
}

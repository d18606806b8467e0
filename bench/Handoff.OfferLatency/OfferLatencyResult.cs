using System.Text;

namespace Handoff.OfferLatency;

/// <summary>The measured iterations, as a Markdown table of percentiles.</summary>
internal sealed class OfferLatencyResult
{
    private readonly Samples _submit = new("submit → 201 answered (HTTP round trip)");
    private readonly Samples _offer = new("**(a)** submit → offer committed");
    private readonly Samples _created = new("server clock: case created → offer made (audit `at`)");
    private readonly Samples _createdCommitted = new("(a1) submit → case committed and announced");
    private readonly Samples _routerRead = new("(a2) announced → router woke and read the workspace");
    private readonly Samples _offerWrite = new("(a3) router's offer written and announced");
    private readonly Samples _toast = new("**(b)** submit → toast in the reviewer's DOM");
    private readonly Samples _frame = new("submit → first frame after the toast");
    private readonly Samples _push = new("offer committed → toast in DOM (b − a)");
    private readonly Samples _key = new("**(c)** `y` keydown in the page → accepted in the store");
    private readonly Samples _press = new("Playwright `PressAsync(\"y\")` → accepted in the store");
    private readonly Samples _system = new("**total** (b) + (c): submit → accepted without the reaction time");
    private readonly Samples _total = new("submit → accepted as timed, with the harness's reaction between (b) and `y`");

    public int Count { get; private set; }

    public void Add(Sample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        Count++;
        _submit.Add(sample.SubmitAnswered);
        _offer.Add(sample.OfferCommitted);
        _created.Add(sample.ServerCreatedToOffered);
        _createdCommitted.Add(sample.CreatedCommitted);
        _routerRead.Add(sample.RouterWakeAndRead);
        _offerWrite.Add(sample.OfferWrite);
        _toast.Add(sample.ToastInDom);
        _frame.Add(sample.ToastFrame);
        _push.Add(sample.ToastInDom - sample.OfferCommitted);
        _key.Add(sample.KeyToAccepted);
        _press.Add(sample.PressToAccepted);
        _system.Add(sample.ToastInDom + sample.KeyToAccepted);
        _total.Add(sample.Total);
    }

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.AppendLine($"{Count} iterations (ms)");
        text.AppendLine();
        text.AppendLine("| Interval | p50 | p90 | p99 | max | min |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var samples in new[] { _submit, _offer, _createdCommitted, _routerRead, _offerWrite, _created, _toast, _frame, _push, _key, _press, _system, _total })
        {
            text.AppendLine(samples.ToMarkdownRow());
        }

        return text.ToString();
    }
}

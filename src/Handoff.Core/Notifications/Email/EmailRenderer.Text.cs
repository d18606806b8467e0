using System.Globalization;
using System.Text;

namespace Handoff.Core.Notifications.Email;

// The text/plain parts: what a terminal mail reader, a screen reader or a filter sees. Labels line up in a column.
public static partial class EmailRenderer
{
    private const int LabelWidth = 14;

    private static string NoticeText(CaseNotice notice)
    {
        var text = new StringBuilder();
        var aboutACase = notice.CaseId.Length > 0;
        text.Append(notice.Headline);
        if (aboutACase)
        {
            text.Append(" — ").Append(EmailWords.PriorityAndTeam(notice));
        }

        text.Append("\n\n").Append(notice.Title).Append("\n\n");
        if (notice.Reasons.Count > 0)
        {
            text.Append("Why it came to a person:\n");
            foreach (var reason in notice.Reasons)
            {
                text.Append("  - ").Append(reason).Append('\n');
            }

            text.Append('\n');
        }

        var facts = new StringBuilder();
        Fact(facts, "Customer", notice.Customer);
        if (notice.Proposal is { } proposal)
        {
            Fact(facts, "AI proposal", notice.Confidence is { } c ? $"{proposal} ({EmailWords.Confidence(c)})" : proposal);
        }

        for (var i = 0; i < notice.Options.Count; i++)
        {
            Fact(facts, i == 0 ? "Alternatives" : "", notice.Options[i]);
        }

        if (aboutACase)
        {
            Fact(facts, "Priority", EmailWords.Priority(notice.Priority) + (notice.Team.Length > 0 ? $" · team {notice.Team}" : ""));
            Fact(facts, "Deadline", DueText.Left(notice.DueAt, notice.At) is { } left ? $"{left} ({DueText.Absolute(notice.DueAt!.Value)})" : null);
            Fact(facts, "Status", EmailWords.Status(notice.Status));
            Fact(facts, "Assigned to", notice.AssignedTo);
            Fact(facts, "Decision", EmailWords.Decision(notice));
            Fact(facts, "Note", notice.Note);
        }

        if (facts.Length > 0)
        {
            text.Append(facts).Append('\n');
        }

        text.Append("Open in Handoff: ").Append(notice.Link).Append('\n');
        text.Append("\n-- \n").Append(Footer(notice)).Append('\n');
        return text.ToString();
    }

    private static string DigestText(IReadOnlyList<CaseNotice> waiting, string heading, string? name, DateOnly date)
    {
        var text = new StringBuilder();
        if (name is not null)
        {
            text.Append("Hello ").Append(name).Append(",\n\n");
        }

        text.Append(heading).Append(" — ").Append(LongDate(date)).Append("\n\n");
        for (var i = 0; i < waiting.Count; i++)
        {
            var notice = waiting[i];
            var number = string.Create(CultureInfo.InvariantCulture, $"{i + 1}. ");
            text.Append(number).Append(EmailWords.OneLine(notice.Title, CaseNotices.MaxLineLength)).Append('\n');
            var indent = new string(' ', number.Length);
            text.Append(indent).Append(string.Join(" · ", DigestDetails(notice))).Append('\n');
            text.Append(indent).Append(notice.Link).Append("\n\n");
        }

        text.Append("-- \nYour daily digest from Handoff: the cases waiting for you.\n");
        return text.ToString();
    }

    // The second line of a digest entry: priority and team, time left, who holds it, the customer.
    private static IEnumerable<string> DigestDetails(CaseNotice notice)
    {
        yield return EmailWords.PriorityAndTeam(notice);
        if (DueText.Left(notice.DueAt, notice.At) is { } left)
        {
            yield return left;
        }

        if (notice.AssignedTo is { } holder)
        {
            yield return $"held by {holder}";
        }

        if (notice.Customer is { } customer)
        {
            yield return customer;
        }
    }

    private static void Fact(StringBuilder text, string label, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return;
        }

        // A value of several lines (a decision's note) keeps its lines, each under the value column.
        var lines = value.ReplaceLineEndings("\n").Split('\n');
        text.Append((label.Length == 0 ? "" : label + ":").PadRight(LabelWidth)).Append(lines[0]).Append('\n');
        foreach (var line in lines.Skip(1))
        {
            text.Append(new string(' ', LabelWidth)).Append(line).Append('\n');
        }
    }

    private static string Footer(CaseNotice notice) =>
        notice.CaseId.Length > 0
            ? $"Sent by Handoff about case {notice.CaseId}, by your workspace's notification rules."
            : "Sent by Handoff, by your workspace's notification rules.";
}

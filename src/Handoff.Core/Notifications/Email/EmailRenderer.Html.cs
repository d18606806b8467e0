using System.Text;
using static Handoff.Core.Notifications.Email.EmailHtml;

namespace Handoff.Core.Notifications.Email;

// The text/html parts. Everything from the notice is escaped here, at the point it meets markup (EmailHtml.Text);
// the words shared with the plain text come from EmailWords.
public static partial class EmailRenderer
{
    private const string OpenInHandoff = "Open in Handoff";

    private static string NoticeHtml(CaseNotice notice, string subject)
    {
        var aboutACase = notice.CaseId.Length > 0;
        var html = new StringBuilder();
        html.Append("""<p style="margin:0 0 10px;font-size:13px;line-height:1.5;color:""").Append(Muted).Append(";\">");
        if (aboutACase)
        {
            html.Append(PriorityBadge(notice.Priority)).Append("&nbsp; ");
        }

        html.Append("<strong style=\"color:").Append(Ink).Append(";\">").Append(Text(notice.Headline)).Append("</strong>");
        if (aboutACase && notice.Team.Length > 0)
        {
            html.Append(" · team ").Append(Text(notice.Team));
        }

        html.Append("</p>\n");
        html.Append("<h1 style=\"margin:0 0 16px;font-size:21px;line-height:1.35;font-weight:600;color:").Append(Ink).Append(";\">")
            .Append(Text(notice.Title)).Append("</h1>\n");
        if (notice.Reasons.Count > 0)
        {
            html.Append("<p style=\"margin:0 0 14px;\">");
            foreach (var reason in notice.Reasons)
            {
                html.Append(Chip(reason));
            }

            html.Append("</p>\n");
        }

        if (notice.Proposal is { } proposal)
        {
            html.Append("<div style=\"margin:0 0 16px;padding:12px 14px;background-color:#f9fafb;border-left:3px solid #7a5af8;border-radius:4px;\">");
            html.Append("<p style=\"margin:0 0 4px;font-size:12px;font-weight:600;letter-spacing:0.02em;color:").Append(Muted).Append(";\">The AI proposes");
            if (notice.Confidence is { } confidence)
            {
                html.Append(" · ").Append(Text(EmailWords.Confidence(confidence)));
            }

            html.Append("</p><p style=\"margin:0;font-size:14px;line-height:1.5;white-space:pre-wrap;word-break:break-word;\">").Append(Text(proposal)).Append("</p>");
            if (notice.Options.Count > 0)
            {
                html.Append("<p style=\"margin:10px 0 2px;font-size:12px;font-weight:600;color:").Append(Muted).Append(";\">Alternatives</p>");
                html.Append("<ul style=\"margin:0;padding-left:18px;font-size:14px;line-height:1.5;\">");
                foreach (var option in notice.Options)
                {
                    html.Append("<li>").Append(Text(option)).Append("</li>");
                }

                html.Append("</ul>");
            }

            html.Append("</div>\n");
        }
        else if (notice.Options.Count > 0)
        {
            html.Append("<p style=\"margin:0 0 2px;font-size:12px;font-weight:600;color:").Append(Muted).Append(";\">Alternatives</p><ul style=\"margin:0 0 16px;padding-left:18px;font-size:14px;\">");
            foreach (var option in notice.Options)
            {
                html.Append("<li>").Append(Text(option)).Append("</li>");
            }

            html.Append("</ul>\n");
        }

        var facts = new StringBuilder();
        if (notice.Customer is { } customer)
        {
            Row(facts, "Customer", Text(customer));
        }

        if (aboutACase)
        {
            if (DueText.Left(notice.DueAt, notice.At) is { } left)
            {
                var overdue = DueText.Late(notice.DueAt, notice.At);
                Row(facts, "Deadline", $"<strong style=\"color:{(overdue ? "#b42318" : Ink)};\">{Text(left)}</strong> <span style=\"color:{Muted};\">({Text(DueText.Absolute(notice.DueAt!.Value))})</span>");
            }

            Row(facts, "Priority", $"{Text(EmailWords.Priority(notice.Priority))}{(notice.Team.Length > 0 ? $" · team {Text(notice.Team)}" : "")}");
            Row(facts, "Status", Text(EmailWords.Status(notice.Status)));
            if (notice.AssignedTo is { } holder)
            {
                Row(facts, "Assigned to", Text(holder));
            }

            if (EmailWords.Decision(notice) is { } decision)
            {
                Row(facts, "Decision", Text(decision));
            }

            if (!string.IsNullOrWhiteSpace(notice.Note))
            {
                Row(facts, "Note", $"<span style=\"white-space:pre-wrap;\">{Text(notice.Note)}</span>");
            }
        }

        if (facts.Length > 0)
        {
            html.Append("<table role=\"presentation\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" style=\"border-collapse:collapse;margin:0 0 4px;\">\n")
                .Append(facts).Append("</table>\n");
        }

        AppendLink(html, notice.Link);
        return Document(subject, $"{notice.Headline}: {notice.Title}", html.ToString(), Text(Footer(notice)));
    }

    private static string DigestHtml(IReadOnlyList<CaseNotice> waiting, string heading, string? name, DateOnly date, string subject)
    {
        var html = new StringBuilder();
        if (name is not null)
        {
            html.Append("<p style=\"margin:0 0 6px;font-size:14px;color:").Append(Muted).Append(";\">Hello ").Append(Text(name)).Append(",</p>\n");
        }

        html.Append("<h1 style=\"margin:0 0 4px;font-size:21px;line-height:1.35;font-weight:600;color:").Append(Ink).Append(";\">").Append(Text(heading)).Append("</h1>\n");
        html.Append("<p style=\"margin:0 0 18px;font-size:13px;color:").Append(Muted).Append(";\">").Append(Text(LongDate(date))).Append("</p>\n");
        html.Append("<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" style=\"border-collapse:collapse;\">\n");
        html.Append("<tr><th align=\"left\" style=\"padding:0 8px 8px 0;font-size:12px;font-weight:600;color:").Append(Muted)
            .Append(";border-bottom:1px solid #e4e7ec;\">Case</th><th align=\"left\" style=\"padding:0 8px 8px;font-size:12px;font-weight:600;color:").Append(Muted)
            .Append(";border-bottom:1px solid #e4e7ec;\">Priority</th><th align=\"right\" style=\"padding:0 0 8px 8px;font-size:12px;font-weight:600;color:").Append(Muted)
            .Append(";border-bottom:1px solid #e4e7ec;white-space:nowrap;\">Deadline</th></tr>\n");
        foreach (var notice in waiting)
        {
            var title = Text(EmailWords.OneLine(notice.Title, CaseNotices.MaxLineLength));
            var linked = Href(notice.Link) is { } href ? $"<a href=\"{href}\" style=\"color:{Accent};text-decoration:none;font-weight:600;\">{title}</a>" : $"<strong>{title}</strong>";
            var details = new List<string>();
            if (notice.Team.Length > 0)
            {
                details.Add($"team {notice.Team}");
            }

            if (notice.AssignedTo is { } holder)
            {
                details.Add($"held by {holder}");
            }

            if (notice.Customer is { } customer)
            {
                details.Add(customer);
            }

            details.AddRange(notice.Reasons);
            var left = DueText.Left(notice.DueAt, notice.At);
            var overdue = DueText.Late(notice.DueAt, notice.At);
            html.Append("<tr><td style=\"padding:10px 8px 10px 0;border-bottom:1px solid #f2f4f7;vertical-align:top;font-size:14px;line-height:1.45;\">").Append(linked);
            if (details.Count > 0)
            {
                html.Append("<br><span style=\"font-size:12px;color:").Append(Muted).Append(";\">").Append(Text(string.Join(" · ", details))).Append("</span>");
            }

            html.Append("</td><td style=\"padding:10px 8px;border-bottom:1px solid #f2f4f7;vertical-align:top;\">").Append(PriorityBadge(notice.Priority))
                .Append("</td><td align=\"right\" style=\"padding:10px 0 10px 8px;border-bottom:1px solid #f2f4f7;vertical-align:top;font-size:13px;white-space:nowrap;color:")
                .Append(overdue ? "#b42318" : Ink).Append(";\">").Append(Text(left ?? "—")).Append("</td></tr>\n");
        }

        html.Append("</table>\n");
        return Document(subject, $"{heading}: {string.Join(" · ", waiting.Take(3).Select(static n => n.Title))}", html.ToString(),
            "Your daily digest from Handoff: the cases waiting for you.");
    }

    // The link is the mail's point: a button when it is a web address, and the address itself below it, for clients
    // that show no buttons (and for people who want to see where a link goes before they follow it).
    private static void AppendLink(StringBuilder html, string link)
    {
        if (Href(link) is { } href)
        {
            html.Append(Button(href, OpenInHandoff));
            html.Append("<p style=\"margin:6px 0 0;font-size:12px;color:#98a2b3;word-break:break-all;\"><a href=\"").Append(href)
                .Append("\" style=\"color:#98a2b3;\">").Append(Text(link)).Append("</a></p>\n");
        }
        else
        {
            html.Append("<p style=\"margin:20px 0 0;font-size:14px;\">").Append(OpenInHandoff).Append(": ").Append(Text(link)).Append("</p>\n");
        }
    }
}

using System.Globalization;
using System.Text.Json.Nodes;

namespace Handoff.Core.Notifications.Teams;

/// <summary>
/// The Microsoft Teams message for a <see cref="CaseNotice"/>: what a Teams Workflows webhook ("When a Teams webhook
/// request is received") or a legacy incoming webhook takes — <c>{"type":"message","attachments":[…]}</c> with one
/// Adaptive Card. Everything agents and customers wrote is in <c>RichTextBlock</c> text runs, which Teams shows as
/// written (unlike <c>TextBlock</c> and facts, which read Markdown), so none of it can become a link. Teams cannot
/// send button presses to Handoff this way: the card links to the case instead. Pure; thread-safe.
/// </summary>
public static class TeamsCards
{
    /// <summary>The attachment's content type for an Adaptive Card.</summary>
    public const string AdaptiveCardContentType = "application/vnd.microsoft.card.adaptive";

    // 1.4 is what Teams renders on desktop, web and mobile alike (RichTextBlock needs 1.2).
    private const string Version = "1.4";

    // Cards are capped at about 28 KB in all: each piece of free text is cut well below that.
    private const int TextMax = 2000;

    /// <summary>The message telling people of <paramref name="notice"/>, as JSON.</summary>
    public static string ForNotice(CaseNotice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        var body = new JsonArray
        {
            Rich(Run(notice.Headline, bold: true, size: "Large", color: Color(notice))),
            Rich(Run(Cut(notice.Title), bold: true)),
        };

        if (notice.Reasons.Count > 0)
        {
            body.Add(Line("Why", string.Join(" · ", notice.Reasons.Select(Cut))));
        }

        if (notice.Customer is { } customer)
        {
            body.Add(Line("Customer", customer));
        }

        body.Add(Line("Priority", $"{notice.Priority} · team {notice.Team}"));
        if (notice.Confidence is { } confidence)
        {
            body.Add(Line("AI confidence", string.Create(CultureInfo.InvariantCulture, $"{confidence * 100:0}%")));
        }

        if (DueText.TimeLeft(notice) is { } left && notice.DueAt is { } due)
        {
            body.Add(Line("Time left", $"{left} (due {due.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)})"));
        }

        if (notice.AssignedTo is { } holder && notice.Decidable)
        {
            body.Add(Line("With", holder));
        }

        if (notice.Proposal is { } proposal)
        {
            body.Add(Rich(Run("The AI proposes", bold: true)));
            // A tool call reads as code.
            body.Add(Rich(Run(Cut(proposal), monospace: notice.ProposedTool is not null)));
        }

        if (notice.Options.Count > 0)
        {
            body.Add(Rich(Run("Alternatives", bold: true)));
            foreach (var option in notice.Options)
            {
                body.Add(Rich(Run($"• {Cut(option)}")));
            }
        }

        if (notice.Note is { } note)
        {
            body.Add(Line("Note", note));
        }

        var card = new JsonObject
        {
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["type"] = "AdaptiveCard",
            ["version"] = Version,
            ["body"] = body,
        };
        if (Uri.TryCreate(notice.Link, UriKind.Absolute, out var link) && link.Scheme is "https" or "http")
        {
            card["actions"] = new JsonArray { new JsonObject { ["type"] = "Action.OpenUrl", ["title"] = "Open in Handoff", ["url"] = notice.Link } };
        }
        else
        {
            // Without the server's public address the link is a path Teams cannot open: shown, not linked.
            body.Add(Line("In Handoff", notice.Link));
        }

        return new JsonObject
        {
            ["type"] = "message",
            ["attachments"] = new JsonArray
            {
                new JsonObject { ["contentType"] = AdaptiveCardContentType, ["contentUrl"] = null, ["content"] = card },
            },
        }.ToJsonString();
    }

    private static string? Color(CaseNotice notice) => notice.EventType switch
    {
        EventTypes.SlaBreached or EventTypes.LiveFallback => "Attention",
        EventTypes.SlaWarning => "Warning",
        EventTypes.CaseDecided => "Good",
        _ when notice.Priority == Cases.Priority.Urgent => "Attention",
        _ => null,
    };

    // "Label: value" on one line: the label bold, the value as written.
    private static JsonObject Line(string label, string value) => Rich(Run($"{label}: ", bold: true), Run(Cut(value)));

    private static JsonObject Rich(params JsonObject[] runs) => new() { ["type"] = "RichTextBlock", ["inlines"] = new JsonArray([.. runs]) };

    private static JsonObject Run(string text, bool bold = false, string? size = null, string? color = null, bool monospace = false)
    {
        var run = new JsonObject { ["type"] = "TextRun", ["text"] = text };
        if (bold)
        {
            run["weight"] = "Bolder";
        }

        if (size is not null)
        {
            run["size"] = size;
        }

        if (color is not null)
        {
            run["color"] = color;
        }

        if (monospace)
        {
            run["fontType"] = "Monospace";
        }

        return run;
    }

    private static string Cut(string text)
    {
        if (text.Length <= TextMax)
        {
            return text;
        }

        var end = char.IsLowSurrogate(text[TextMax - 1]) ? TextMax - 2 : TextMax - 1;
        return string.Concat(text.AsSpan(0, end), "…");
    }
}

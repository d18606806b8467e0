using System.Globalization;
using System.Text.Json.Nodes;
using Handoff.Core.Cases;

namespace Handoff.Core.Notifications.Slack;

/// <summary>
/// Slack Block Kit for a <see cref="CaseNotice"/>: the body of <c>chat.postMessage</c> and <c>chat.update</c> (and of an
/// incoming webhook) — a <c>text</c> fallback for notifications plus <c>blocks</c> — and the modal that edits a proposal.
/// What agents and customers wrote goes out as <c>plain_text</c> or escaped mrkdwn, cut to Slack's limits, so that any
/// case renders and none can post a link, a mention or <c>@channel</c>. Pure functions; thread-safe.
/// </summary>
public static partial class SlackMessages
{
    // Slack's limits (Block Kit reference): a header's text 150 characters, a section's text 3000, a field 2000 and ten
    // fields, ten context elements, a button's text 75, a confirm dialog's title 100 and text 300.
    private const int HeaderMax = 150;
    private const int SectionMax = 3000;
    private const int FieldMax = 2000;
    private const int ContextElementsMax = 10;
    private const int ContextTextMax = 2000;

    /// <summary>
    /// The message telling people of <paramref name="notice"/>. With <paramref name="interactive"/> (bot mode, where
    /// Slack sends button presses back) and a case people may still decide, it carries Approve, Reject (confirmed
    /// first) and Edit… buttons whose <c>value</c> is the case id; every message has the "Open in Handoff" link.
    /// </summary>
    /// <returns>The JSON object: <c>text</c> and <c>blocks</c>, without <c>channel</c> (the sender adds it).</returns>
    public static string ForNotice(CaseNotice notice, bool interactive)
    {
        ArgumentNullException.ThrowIfNull(notice);
        return Message(notice, interactive && notice.Decidable).ToJsonString();
    }

    /// <summary>
    /// The message after the case was decided, to replace the one that asked: the same content with the notice's
    /// headline ("Approved by Riley Reviewer") and no decision buttons. <paramref name="notice"/> is built for
    /// <see cref="EventTypes.CaseDecided"/> from the decided case.
    /// </summary>
    public static string ForDecided(CaseNotice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        return Message(notice, buttons: false).ToJsonString();
    }

    /// <summary>A short message for one person (an ephemeral reply through an interaction's <c>response_url</c>).</summary>
    public static string Ephemeral(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new JsonObject
        {
            ["response_type"] = "ephemeral",
            ["replace_original"] = false,
            ["text"] = SlackText.Escape(text, SectionMax),
        }.ToJsonString();
    }

    private static JsonObject Message(CaseNotice n, bool buttons)
    {
        var blocks = new JsonArray
        {
            new JsonObject { ["type"] = "header", ["text"] = PlainText(SlackText.Cut(n.Headline, HeaderMax)) },
            Section($"*{SlackText.Escape(n.Title, SectionMax - 2)}*"),
        };

        if (n.Reasons.Count > 0)
        {
            blocks.Add(Context(Chips(n.Reasons).Select(static r => PlainText(r))));
        }

        blocks.Add(new JsonObject { ["type"] = "section", ["fields"] = new JsonArray([.. Fields(n)]) });
        if (n.Proposal is { } proposal)
        {
            // A tool call reads as code; a reply as a quote of what the customer would be sent.
            var shown = n.ProposedTool is null ? $">{SlackText.Escape(proposal, SectionMax - 40)}" : $"```{SlackText.Escape(proposal, SectionMax - 40)}```";
            blocks.Add(Section($"*The AI proposes*\n{shown}"));
        }

        if (n.Options.Count > 0)
        {
            var lines = string.Join('\n', n.Options.Select(static o => $"• {SlackText.Escape(o, 600)}"));
            blocks.Add(Section(SlackText.Cut($"*Alternatives*\n{lines}", SectionMax)));
        }

        if (n.Note is { } note)
        {
            blocks.Add(Context([PlainText($"Note: {SlackText.Cut(note, ContextTextMax - 6)}")]));
        }

        blocks.Add(Actions(n, buttons));
        return new JsonObject
        {
            // What notifications and screen readers show: mrkdwn, so escaped too.
            ["text"] = SlackText.Escape($"{n.Headline}: {n.Title}", SectionMax),
            ["blocks"] = blocks,
        };
    }

    private static IEnumerable<JsonNode> Fields(CaseNotice n)
    {
        if (n.Customer is { } customer)
        {
            yield return Mrkdwn($"*Customer*\n{SlackText.Escape(customer, FieldMax - 20)}");
        }

        yield return Mrkdwn($"*Priority*\n{n.Priority}");
        yield return Mrkdwn($"*Team*\n{SlackText.Escape(n.Team, FieldMax - 20)}");
        if (n.Confidence is { } confidence)
        {
            yield return Mrkdwn(string.Create(CultureInfo.InvariantCulture, $"*AI confidence*\n{confidence * 100:0}%"));
        }

        if (DueText.TimeLeft(n) is { } left && n.DueAt is { } due)
        {
            // Slack shows the due time in each reader's own time zone; the fallback is for clients that cannot.
            var fallback = due.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
            yield return Mrkdwn(string.Create(CultureInfo.InvariantCulture,
                $"*Time left*\n{left} (due <!date^{due.ToUnixTimeSeconds()}^{{date_short_pretty}} at {{time}}|{fallback}>)"));
        }

        if (n.AssignedTo is { } holder && n.Decidable)
        {
            yield return Mrkdwn($"*With*\n{SlackText.Escape(holder, FieldMax - 20)}");
        }
    }

    // At most ten chips fit in a context block: nine and a count of the rest when there are more.
    private static IEnumerable<string> Chips(IReadOnlyList<string> reasons)
    {
        var shown = reasons.Count <= ContextElementsMax ? reasons : reasons.Take(ContextElementsMax - 1);
        foreach (var reason in shown)
        {
            yield return SlackText.Cut(reason, ContextTextMax);
        }

        if (reasons.Count > ContextElementsMax)
        {
            yield return $"+{reasons.Count - (ContextElementsMax - 1)} more";
        }
    }

    private static JsonObject Actions(CaseNotice n, bool buttons)
    {
        var elements = new JsonArray();
        if (buttons)
        {
            // Approving and editing need a proposal; a case without one is answered in Handoff.
            if (n.Proposal is not null)
            {
                elements.Add(Button("Approve", SlackActions.Approve, n.CaseId, "primary"));
            }

            var reject = Button("Reject", SlackActions.Reject, n.CaseId, "danger");
            reject["confirm"] = new JsonObject
            {
                ["title"] = PlainText("Reject this case?"),
                ["text"] = PlainText("The agent is told a person rejected it, from Slack. To give the customer a reason, reject it in Handoff instead."),
                ["confirm"] = PlainText("Reject"),
                ["deny"] = PlainText("Cancel"),
                ["style"] = "danger",
            };
            elements.Add(reject);
            if (n.Proposal is not null)
            {
                elements.Add(Button("Edit…", SlackActions.Edit, n.CaseId));
            }
        }

        if (IsWebLink(n.Link))
        {
            elements.Add(new JsonObject
            {
                ["type"] = "button",
                ["text"] = PlainText("Open in Handoff"),
                ["action_id"] = SlackActions.Open,
                ["url"] = n.Link,
            });
        }

        // Without the server's public address the link is a path Slack cannot open: shown, not linked.
        return elements.Count > 0
            ? new JsonObject { ["type"] = "actions", ["block_id"] = SlackActions.ActionsBlock, ["elements"] = elements }
            : Context([PlainText($"In Handoff: {SlackText.Cut(n.Link, ContextTextMax - 12)}")]);
    }

    private static JsonObject Button(string text, string actionId, string caseId, string? style = null)
    {
        var button = new JsonObject { ["type"] = "button", ["text"] = PlainText(text), ["action_id"] = actionId, ["value"] = caseId };
        if (style is not null)
        {
            button["style"] = style;
        }

        return button;
    }

    internal static bool IsWebLink(string link) =>
        Uri.TryCreate(link, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http";

    private static JsonObject Section(string mrkdwn) => new() { ["type"] = "section", ["text"] = Mrkdwn(mrkdwn) };

    private static JsonObject Context(IEnumerable<JsonNode> elements) => new() { ["type"] = "context", ["elements"] = new JsonArray([.. elements]) };

    private static JsonObject Mrkdwn(string text) => new() { ["type"] = "mrkdwn", ["text"] = text };

    private static JsonObject PlainText(string text) => new() { ["type"] = "plain_text", ["text"] = text };
}

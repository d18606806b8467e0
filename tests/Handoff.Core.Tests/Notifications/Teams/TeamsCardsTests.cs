using System.Text.Json;
using Handoff.Core.Notifications.Teams;

namespace Handoff.Core.Tests.Notifications.Teams;

public sealed class TeamsCardsTests
{
    [Fact]
    public void ForNotice_IsAMessageWithOneAdaptiveCard_ThatLinksToTheCase()
    {
        using var message = JsonDocument.Parse(TeamsCards.ForNotice(Notices.Escalated()));
        var root = message.RootElement;

        Assert.Equal("message", root.GetProperty("type").GetString());
        var attachment = Assert.Single(root.GetProperty("attachments").EnumerateArray());
        Assert.Equal("application/vnd.microsoft.card.adaptive", attachment.GetProperty("contentType").GetString());
        Assert.Equal(JsonValueKind.Null, attachment.GetProperty("contentUrl").ValueKind);
        var card = attachment.GetProperty("content");
        Assert.Equal(("AdaptiveCard", "1.4"), (card.GetProperty("type").GetString(), card.GetProperty("version").GetString()));
        var action = Assert.Single(card.GetProperty("actions").EnumerateArray());
        Assert.Equal(("Action.OpenUrl", "Open in Handoff", Notices.Link), (
            action.GetProperty("type").GetString(), action.GetProperty("title").GetString(), action.GetProperty("url").GetString()));

        var lines = Lines(card).ToList();
        Assert.Equal("Needs a person", lines[0]);
        Assert.Equal("Refund of 420 EUR for a broken blender", lines[1]);
        Assert.Contains("Why: Refunds over 100 EUR need a person", lines);
        Assert.Contains("Customer: Dana Fischer", lines);
        Assert.Contains("Priority: High · team billing", lines);
        Assert.Contains("AI confidence: 62%", lines);
        Assert.Contains("Time left: 1 h 5 min left (due 2026-03-02 10:05 UTC)", lines);
        Assert.Contains("issue_refund({\"amount\":420,\"currency\":\"EUR\"})", lines);
        Assert.Contains("• Offer a replacement blender instead", lines);
    }

    [Fact]
    public void ForNotice_ShowsAToolCallInMonospace()
    {
        using var message = JsonDocument.Parse(TeamsCards.ForNotice(Notices.Escalated()));

        var run = Runs(message.RootElement.GetProperty("attachments")[0].GetProperty("content")).Single(r => r.GetProperty("text").GetString()!.StartsWith("issue_refund(", StringComparison.Ordinal));
        Assert.Equal("Monospace", run.GetProperty("fontType").GetString());
    }

    [Fact]
    public void ForNotice_PutsWhatAgentsWroteOnlyInTextRuns_WhichTeamsDoesNotReadAsMarkdown()
    {
        var hostile = Notices.Refund() with
        {
            Content = Notices.Refund().Content with
            {
                Summary = "[Click me](https://evil.example)",
                Subject = JsonDocument.Parse("""{"name":"**Dana**"}""").RootElement,
            },
        };

        using var message = JsonDocument.Parse(TeamsCards.ForNotice(Notices.Escalated(hostile)));
        var card = message.RootElement.GetProperty("attachments")[0].GetProperty("content");

        Assert.All(card.GetProperty("body").EnumerateArray(), b => Assert.Equal("RichTextBlock", b.GetProperty("type").GetString()));
        Assert.Contains("[Click me](https://evil.example)", Lines(card));
        Assert.Contains("Customer: **Dana**", Lines(card));
    }

    [Fact]
    public void ForNotice_ADecidedCase_SaysWhoDecided_WithItsNote_AndNoTimeLeft()
    {
        using var message = JsonDocument.Parse(TeamsCards.ForNotice(Notices.Decided()));
        var lines = Lines(message.RootElement.GetProperty("attachments")[0].GetProperty("content")).ToList();

        Assert.Equal("Approved by Riley Reviewer", lines[0]);
        Assert.Contains("Note: Checked the photos", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("Time left", StringComparison.Ordinal));
    }

    [Fact]
    public void ForNotice_WithARelativeLink_ShowsThePathAndNoAction()
    {
        using var message = JsonDocument.Parse(TeamsCards.ForNotice(Notices.Escalated(link: "/cases/cs_1")));
        var card = message.RootElement.GetProperty("attachments")[0].GetProperty("content");

        Assert.False(card.TryGetProperty("actions", out _));
        Assert.Contains("In Handoff: /cases/cs_1", Lines(card));
    }

    private static IEnumerable<JsonElement> Runs(JsonElement card) =>
        card.GetProperty("body").EnumerateArray().SelectMany(b => b.GetProperty("inlines").EnumerateArray());

    // Each RichTextBlock's runs joined: one line of the card as people read it.
    private static IEnumerable<string> Lines(JsonElement card) =>
        card.GetProperty("body").EnumerateArray().Select(b => string.Concat(b.GetProperty("inlines").EnumerateArray().Select(r => r.GetProperty("text").GetString())));
}

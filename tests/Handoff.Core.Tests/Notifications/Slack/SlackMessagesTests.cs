using System.Text.Json;
using Handoff.Core.Cases;
using Handoff.Core.Notifications;
using Handoff.Core.Notifications.Slack;

namespace Handoff.Core.Tests.Notifications.Slack;

public sealed class SlackMessagesTests
{
    [Fact]
    public void ForNotice_AnEscalatedRefundInBotMode_ShowsEverythingAndOffersApproveRejectEditAndTheLink()
    {
        using var message = JsonDocument.Parse(SlackMessages.ForNotice(Notices.Escalated(), interactive: true));
        var root = message.RootElement;
        var blocks = root.GetProperty("blocks").EnumerateArray().ToList();

        Assert.Equal("Needs a person: Refund of 420 EUR for a broken blender", root.GetProperty("text").GetString());
        Assert.Equal(("header", "Needs a person"), (Type(blocks[0]), blocks[0].GetProperty("text").GetProperty("text").GetString()));
        Assert.Equal("*Refund of 420 EUR for a broken blender*", SectionText(blocks[1]));
        Assert.Equal("context", Type(blocks[2]));
        Assert.Equal(["Refunds over 100 EUR need a person"], blocks[2].GetProperty("elements").EnumerateArray().Select(e => e.GetProperty("text").GetString()));
        var fields = blocks[3].GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("text").GetString()).ToList();
        Assert.Equal(
            ["*Customer*\nDana Fischer", "*Priority*\nHigh", "*Team*\nbilling", "*AI confidence*\n62%",
             "*Time left*\n1 h 5 min left (due <!date^1772445900^{date_short_pretty} at {time}|2026-03-02 10:05 UTC>)"],
            fields);
        Assert.Equal("*The AI proposes*\n```issue_refund({\"amount\":420,\"currency\":\"EUR\"})```", SectionText(blocks[4]));
        Assert.Equal("*Alternatives*\n• Offer a replacement blender instead", SectionText(blocks[5]));

        var actions = blocks[^1];
        Assert.Equal(("actions", SlackActions.ActionsBlock), (Type(actions), actions.GetProperty("block_id").GetString()));
        var buttons = actions.GetProperty("elements").EnumerateArray().ToList();
        Assert.Equal([SlackActions.Approve, SlackActions.Reject, SlackActions.Edit, SlackActions.Open], buttons.Select(b => b.GetProperty("action_id").GetString()));
        Assert.Equal(["cs_1", "cs_1", "cs_1"], buttons.Take(3).Select(b => b.GetProperty("value").GetString()));
        Assert.Equal(("Approve", "primary"), (buttons[0].GetProperty("text").GetProperty("text").GetString(), buttons[0].GetProperty("style").GetString()));
        Assert.Equal("danger", buttons[1].GetProperty("style").GetString());
        var confirm = buttons[1].GetProperty("confirm");
        Assert.Equal(("Reject this case?", "Reject", "Cancel"), (
            confirm.GetProperty("title").GetProperty("text").GetString(),
            confirm.GetProperty("confirm").GetProperty("text").GetString(),
            confirm.GetProperty("deny").GetProperty("text").GetString()));
        Assert.Equal("Edit…", buttons[2].GetProperty("text").GetProperty("text").GetString());
        Assert.Equal(Notices.Link, buttons[3].GetProperty("url").GetString());
        Assert.False(buttons[3].TryGetProperty("value", out _));
    }

    [Fact]
    public void ForNotice_WithoutInteractivity_OffersOnlyTheLink()
    {
        using var message = JsonDocument.Parse(SlackMessages.ForNotice(Notices.Escalated(), interactive: false));

        var buttons = message.RootElement.GetProperty("blocks").EnumerateArray().Last().GetProperty("elements").EnumerateArray().ToList();
        Assert.Equal([SlackActions.Open], buttons.Select(b => b.GetProperty("action_id").GetString()));
    }

    [Fact]
    public void ForNotice_ACaseNobodyMayDecideAnyMore_HasNoDecisionButtons()
    {
        var takenOver = Notices.Refund() with { Status = CaseStatus.TakenOver, AssignedTo = Notices.Riley };

        using var message = JsonDocument.Parse(SlackMessages.ForNotice(Notices.Escalated(takenOver), interactive: true));

        var buttons = message.RootElement.GetProperty("blocks").EnumerateArray().Last().GetProperty("elements").EnumerateArray();
        Assert.Equal([SlackActions.Open], buttons.Select(b => b.GetProperty("action_id").GetString()));
    }

    [Fact]
    public void ForNotice_ACaseWithoutProposal_OffersRejectButNotApproveOrEdit()
    {
        var question = Notices.Refund() with { Content = Notices.Refund().Content with { Kind = CaseKind.Question, Proposal = null, Options = [] } };

        using var message = JsonDocument.Parse(SlackMessages.ForNotice(Notices.Escalated(question), interactive: true));

        var buttons = message.RootElement.GetProperty("blocks").EnumerateArray().Last().GetProperty("elements").EnumerateArray();
        Assert.Equal([SlackActions.Reject, SlackActions.Open], buttons.Select(b => b.GetProperty("action_id").GetString()));
    }

    [Fact]
    public void ForNotice_ATextReply_IsQuotedNotCode()
    {
        var reply = Notices.Refund() with { Content = Notices.Refund().Content with { Proposal = new Proposal("We refund you today.", null, 0.9) } };

        using var message = JsonDocument.Parse(SlackMessages.ForNotice(Notices.Escalated(reply), interactive: true));

        Assert.Contains(message.RootElement.GetProperty("blocks").EnumerateArray(), b => SectionText(b) == "*The AI proposes*\n>We refund you today.");
    }

    [Fact]
    public void ForNotice_TextFromAgentsAndCustomers_HasMrkdwnControlCharactersEscaped()
    {
        var hostile = Notices.Refund() with
        {
            Content = Notices.Refund().Content with
            {
                Summary = "Refund <!channel> & <https://evil.example|click>",
                Subject = JsonDocument.Parse("""{"name":"<@U024BE7LH>"}""").RootElement,
                Proposal = new Proposal("Sure <!here>", null, null),
            },
        };

        var json = SlackMessages.ForNotice(Notices.Escalated(hostile), interactive: true);
        using var message = JsonDocument.Parse(json);
        var texts = AllTexts(message.RootElement).ToList();

        Assert.Contains("*Refund &lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;*", texts);
        Assert.Contains("*Customer*\n&lt;@U024BE7LH&gt;", texts);
        Assert.Contains("*The AI proposes*\n>Sure &lt;!here&gt;", texts);
        Assert.Equal("Needs a person: Refund &lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;", message.RootElement.GetProperty("text").GetString());
        Assert.DoesNotContain(texts, t => t.Contains("<!channel", StringComparison.Ordinal) || t.Contains("<!here", StringComparison.Ordinal) || t.Contains("<@U", StringComparison.Ordinal));
    }

    [Fact]
    public void ForNotice_LongTextAndManyReasons_AreCutToSlacksLimits()
    {
        var notice = Notices.Escalated() with
        {
            Title = new string('&', 5000),
            Reasons = [.. Enumerable.Range(1, 15).Select(i => $"reason {i}")],
            Customer = new string('c', 4000),
        };

        using var message = JsonDocument.Parse(SlackMessages.ForNotice(notice, interactive: true));
        var blocks = message.RootElement.GetProperty("blocks").EnumerateArray().ToList();

        var title = SectionText(blocks[1])!;
        Assert.True(title.Length <= 3000, $"title is {title.Length} characters");
        Assert.EndsWith("&amp;…*", title, StringComparison.Ordinal);
        var chips = blocks[2].GetProperty("elements").EnumerateArray().Select(e => e.GetProperty("text").GetString()).ToList();
        Assert.Equal(10, chips.Count);
        Assert.Equal(("reason 9", "+6 more"), (chips[8], chips[9]));
        Assert.All(blocks[3].GetProperty("fields").EnumerateArray(), f => Assert.True(f.GetProperty("text").GetString()!.Length <= 2000));
        Assert.True(message.RootElement.GetProperty("text").GetString()!.Length <= 3000);
    }

    [Fact]
    public void ForNotice_WithARelativeLink_ShowsThePathInsteadOfALinkButton()
    {
        using var message = JsonDocument.Parse(SlackMessages.ForNotice(Notices.Escalated(link: "/cases/cs_1"), interactive: true));

        var buttons = message.RootElement.GetProperty("blocks").EnumerateArray().Last().GetProperty("elements").EnumerateArray().ToList();
        Assert.Equal([SlackActions.Approve, SlackActions.Reject, SlackActions.Edit], buttons.Select(b => b.GetProperty("action_id").GetString()));

        using var plain = JsonDocument.Parse(SlackMessages.ForNotice(Notices.Escalated(link: "/cases/cs_1"), interactive: false));
        var last = plain.RootElement.GetProperty("blocks").EnumerateArray().Last();
        Assert.Equal(("context", "In Handoff: /cases/cs_1"), (Type(last), last.GetProperty("elements")[0].GetProperty("text").GetString()));
    }

    [Fact]
    public void ForDecided_SaysWhoDecided_KeepsTheContent_AndDropsTheDecisionButtons()
    {
        using var message = JsonDocument.Parse(SlackMessages.ForDecided(Notices.Decided()));
        var blocks = message.RootElement.GetProperty("blocks").EnumerateArray().ToList();

        Assert.Equal("Approved by Riley Reviewer", blocks[0].GetProperty("text").GetProperty("text").GetString());
        Assert.Equal("*Refund of 420 EUR for a broken blender*", SectionText(blocks[1]));
        Assert.Contains(blocks, b => SectionText(b) is { } t && t.StartsWith("*The AI proposes*", StringComparison.Ordinal));
        Assert.Contains(blocks, b => Type(b) == "context" && b.GetProperty("elements")[0].GetProperty("text").GetString() == "Note: Checked the photos");
        // A decided case has no time left to show.
        Assert.DoesNotContain(AllTexts(message.RootElement), t => t.Contains("Time left", StringComparison.Ordinal));
        var buttons = blocks[^1].GetProperty("elements").EnumerateArray();
        Assert.Equal([SlackActions.Open], buttons.Select(b => b.GetProperty("action_id").GetString()));
    }

    [Fact]
    public void EditModal_PrefillsTheArgumentsAsJson_AndCarriesTheCaseAndMessage()
    {
        var proposal = Notices.Refund().Content.Proposal!;

        using var view = JsonDocument.Parse(SlackMessages.EditModal(Notices.Escalated(), proposal, "C0123", "1700000000.000100"));
        var root = view.RootElement;

        Assert.Equal(("modal", SlackActions.EditView), (root.GetProperty("type").GetString(), root.GetProperty("callback_id").GetString()));
        Assert.True(root.GetProperty("title").GetProperty("text").GetString()!.Length <= 24);
        Assert.True(root.GetProperty("submit").GetProperty("text").GetString()!.Length <= 24);
        using var metadata = JsonDocument.Parse(root.GetProperty("private_metadata").GetString()!);
        Assert.Equal(("cs_1", "C0123", "1700000000.000100"), (
            metadata.RootElement.GetProperty("caseId").GetString(),
            metadata.RootElement.GetProperty("channel").GetString(),
            metadata.RootElement.GetProperty("ts").GetString()));
        var inputs = root.GetProperty("blocks").EnumerateArray().Where(b => Type(b) == "input").ToList();
        Assert.Equal([SlackActions.ArgumentsInput, SlackActions.NoteInput], inputs.Select(b => b.GetProperty("block_id").GetString()));
        var arguments = inputs[0].GetProperty("element");
        Assert.Equal(("plain_text_input", SlackActions.InputValue), (arguments.GetProperty("type").GetString(), arguments.GetProperty("action_id").GetString()));
        using var prefilled = JsonDocument.Parse(arguments.GetProperty("initial_value").GetString()!);
        Assert.Equal(420, prefilled.RootElement.GetProperty("amount").GetInt32());
        Assert.Contains('\n', arguments.GetProperty("initial_value").GetString()!);
        Assert.True(inputs[1].GetProperty("optional").GetBoolean());
        Assert.False(inputs[0].GetProperty("optional").GetBoolean());
    }

    [Fact]
    public void EditModal_ForAReply_PrefillsItsText()
    {
        var proposal = new Proposal("We refund you today.\nSorry about the blender.", null, 0.9);

        using var view = JsonDocument.Parse(SlackMessages.EditModal(Notices.Escalated(), proposal));

        var input = view.RootElement.GetProperty("blocks").EnumerateArray().First(b => Type(b) == "input");
        Assert.Equal(SlackActions.TextInput, input.GetProperty("block_id").GetString());
        Assert.Equal("We refund you today.\nSorry about the blender.", input.GetProperty("element").GetProperty("initial_value").GetString());
    }

    [Fact]
    public void EditProblem_NamesWhatSlackCannotEdit()
    {
        Assert.Null(SlackMessages.EditProblem(Notices.Refund().Content.Proposal));
        Assert.Contains("no proposal", SlackMessages.EditProblem(null), StringComparison.Ordinal);
        Assert.Contains("longer than Slack can edit", SlackMessages.EditProblem(new Proposal(new string('x', 3001), null, null)), StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => SlackMessages.EditModal(Notices.Escalated(), new Proposal(new string('x', 3001), null, null)));
    }

    [Fact]
    public void Ephemeral_IsForThePersonOnly_AndLeavesTheMessageAlone()
    {
        using var reply = JsonDocument.Parse(SlackMessages.Ephemeral("Already approved by <Riley>"));

        Assert.Equal("ephemeral", reply.RootElement.GetProperty("response_type").GetString());
        Assert.False(reply.RootElement.GetProperty("replace_original").GetBoolean());
        Assert.Equal("Already approved by &lt;Riley&gt;", reply.RootElement.GetProperty("text").GetString());
    }

    private static string? Type(JsonElement block) => block.GetProperty("type").GetString();

    private static string? SectionText(JsonElement block) =>
        Type(block) == "section" && block.TryGetProperty("text", out var text) ? text.GetProperty("text").GetString() : null;

    // Every "text" string anywhere in the message.
    private static IEnumerable<string> AllTexts(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (property.Name == "text" && property.Value.ValueKind == JsonValueKind.String)
                    {
                        yield return property.Value.GetString()!;
                    }

                    foreach (var text in AllTexts(property.Value))
                    {
                        yield return text;
                    }
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    foreach (var text in AllTexts(item))
                    {
                        yield return text;
                    }
                }

                break;
        }
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using Handoff.Core.Cases;
using Handoff.Core.Notifications.Slack;

namespace Handoff.Core.Tests.Notifications.Slack;

public sealed class SlackEditsTests
{
    private static readonly Proposal Refund = Notices.Refund().Content.Proposal!;

    [Fact]
    public void Read_ChangedArguments_IsAnEditOfTheArgumentsOnly_WithTheNote()
    {
        var edit = SlackEdits.Read(View(arguments: """{ "amount": 300, "currency": "EUR" }""", note: "  Half, as agreed  "), Refund);

        Assert.Empty(edit.Errors);
        var request = edit.Request!;
        Assert.Equal(Verdict.Edit, request.Verdict);
        Assert.Null(request.Text);
        Assert.Equal(300, request.Arguments.GetProperty("amount").GetInt32());
        Assert.Equal("Half, as agreed", request.Note);
    }

    [Fact]
    public void Read_TheArgumentsAsPrefilled_IsAnApproval()
    {
        var prefilled = SlackMessages.ArgumentsText(Refund.Action!);

        var edit = SlackEdits.Read(View(arguments: prefilled), Refund);

        Assert.Equal((Verdict.Approve, (string?)null), (edit.Request!.Verdict, edit.Request.Note));
    }

    [Fact]
    public void Read_AChangedReply_IsAnEditOfTheText_AndOtherLineEndingsAreNoChange()
    {
        var reply = new Proposal("Line one\r\nLine two", null, 0.8);

        var same = SlackEdits.Read(View(text: "Line one\nLine two"), reply);
        var changed = SlackEdits.Read(View(text: "Line one\nLine 2"), reply);

        Assert.Equal(Verdict.Approve, same.Request!.Verdict);
        Assert.Equal((Verdict.Edit, "Line one\nLine 2"), (changed.Request!.Verdict, changed.Request.Text));
        Assert.Equal(JsonValueKind.Undefined, changed.Request.Arguments.ValueKind);
    }

    [Theory]
    [InlineData("{ \"amount\": 300", "Not valid JSON")]
    [InlineData("[300]", "must be a JSON object")]
    [InlineData("", "Give the arguments as a JSON object")]
    public void Read_ArgumentsThatAreNoJsonObject_AreAnErrorOnTheirInput(string arguments, string expected)
    {
        var edit = SlackEdits.Read(View(arguments: arguments), Refund);

        Assert.Null(edit.Request);
        Assert.Contains(expected, edit.Errors[SlackActions.ArgumentsInput], StringComparison.Ordinal);
    }

    [Fact]
    public void Read_AnEmptiedReply_IsAnErrorOnItsInput()
    {
        var edit = SlackEdits.Read(View(text: null), new Proposal("Hello", null, null));

        Assert.Null(edit.Request);
        Assert.Equal([SlackActions.TextInput], edit.Errors.Keys);
    }

    [Fact]
    public void Target_ReadsTheCaseAndMessage_OfHandoffsEditModalOnly()
    {
        var modal = JsonElement.Parse(SlackMessages.EditModal(Notices.Escalated(), Refund, "C1", "17.5"));
        var other = JsonElement.Parse("""{"callback_id":"someone-else","private_metadata":"{\"caseId\":\"cs_1\"}"}""");
        var broken = JsonElement.Parse("""{"callback_id":"handoff.edit","private_metadata":"not json"}""");

        Assert.Equal(new SlackEditTarget("cs_1", "C1", "17.5"), SlackEdits.Target(modal));
        Assert.Null(SlackEdits.Target(other));
        Assert.Null(SlackEdits.Target(broken));
    }

    // A submitted view as Slack sends it: state.values[block_id][action_id] = { type, value }.
    private static JsonElement View(string? text = null, string? arguments = null, string? note = null)
    {
        var values = new JsonObject();
        void Add(string block, string? value) =>
            values[block] = new JsonObject { [SlackActions.InputValue] = new JsonObject { ["type"] = "plain_text_input", ["value"] = value } };
        Add(SlackActions.TextInput, text);
        Add(SlackActions.ArgumentsInput, arguments);
        Add(SlackActions.NoteInput, note);
        return JsonElement.Parse(new JsonObject { ["callback_id"] = SlackActions.EditView, ["state"] = new JsonObject { ["values"] = values } }.ToJsonString());
    }
}

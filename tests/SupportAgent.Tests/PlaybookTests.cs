using Handoff.Client;
using Handoff.Samples.SupportAgent.Classification;
using Handoff.Samples.SupportAgent.Drafting;

namespace Handoff.Samples.SupportAgent.Tests;

public sealed class PlaybookTests
{
    private static readonly Customer Tom = new("cus_2040", "Tom Becker");

    [Fact]
    public void EveryIntent_HasAPlay() => Assert.All(Intents.All, intent => Assert.True(Playbook.Knows(intent), intent));

    [Fact]
    public void Refund_WithAnAmount_ProposesTheRefundAndOffersStoreCredit()
    {
        var draft = Plan("get_refund", "Order B-11872 arrived broken, I want my €1,450 back", 0.8);

        Assert.Equal(CaseKind.Action, draft.Kind);
        Assert.Equal("Refund request: Tom Becker, order B-11872, 1,450 EUR", draft.Summary);
        Assert.Equal("issue_refund", draft.Proposal.Action!.Name);
        Assert.Equal("""{"orderId":"B-11872","amount":1450,"currency":"EUR"}""", draft.Proposal.Action.Arguments!.ToJsonString());
        Assert.Equal(0.8, draft.Proposal.Confidence);
        Assert.StartsWith("Hi Tom, I'm sorry about that. I've issued a refund of 1,450 EUR for order B-11872", draft.Proposal.Text, StringComparison.Ordinal);
        var credit = Assert.Single(draft.Options);
        Assert.Equal("issue_store_credit", credit.Action!.Name);
        Assert.Equal(1595m, credit.Action.Arguments!["amount"]!.GetValue<decimal>());
    }

    [Fact]
    public void Refund_WithSeveralAmounts_LeavesTheAmountToThePerson()
    {
        var draft = Plan("get_refund", "Order B-11872: I paid €1,450 but only want the €30 shipping fee back", 0.8);

        Assert.Equal("""{"orderId":"B-11872","currency":"EUR"}""", draft.Proposal.Action!.Arguments!.ToJsonString());
        Assert.Contains("I've issued your refund for order B-11872", draft.Proposal.Text, StringComparison.Ordinal);
        Assert.Empty(draft.Options);
        Assert.Equal(1450m, draft.Facts.Amount); // the policy still sees the largest sum
    }

    [Theory]
    [InlineData("get_refund", "I want my €1,215 back", 0.8, "Which order number")]
    [InlineData("cancel_order", "please cancel my order", 0.9, "which order number")]
    public void ActingOnAnOrder_WithoutAnOrderNumber_AsksForItInsteadOfActing(string intent, string message, double confidence, string asks)
    {
        var draft = Plan(intent, message, confidence);

        Assert.Equal(CaseKind.Reply, draft.Kind);
        Assert.Null(draft.Proposal.Action);
        Assert.Contains(asks, draft.Proposal.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("issue_refund", """{"amount":900}""", "orderId")]
    [InlineData("issue_refund", """{"orderId":"B-1"}""", null)]
    [InlineData("issue_store_credit", """{"customerId":"cus_1"}""", "amount")]
    [InlineData("check_weather", null, null)]
    public void MissingArgument_NamesWhatAToolCannotRunWithout(string tool, string? arguments, string? missing) =>
        Assert.Equal(missing, Playbook.MissingArgument(new ToolCall(tool, arguments is null ? null : System.Text.Json.Nodes.JsonNode.Parse(arguments)!.AsObject())));

    [Fact]
    public void Confidence_JustBelowAFloor_StaysBelowIt()
    {
        var draft = Plan("track_order", "where is order A-20931", 0.7496);

        Assert.Equal(0.749, draft.Proposal.Confidence);
    }

    [Fact]
    public void AskingForAPerson_IsAHandover()
    {
        var draft = Plan("contact_human_agent", "get me a human", 0.9);

        Assert.Equal(CaseKind.Handoff, draft.Kind);
        Assert.True(draft.Facts.AsksForPerson);
    }

    [Fact]
    public void RunnersUp_BecomeOptions_WithTheirOwnConfidence()
    {
        var conversation = FactExtractorTests.Conversation("where is my order A-20931");
        var facts = FactExtractor.Extract(conversation, "track_order", 0.55);

        var draft = Playbook.Plan(conversation, facts, 0.55, alternatives: [("delivery_period", 0.3), ("track_order", 0.1)]);

        var option = Assert.Single(draft.Options);
        Assert.Equal(0.3, option.Confidence);
        Assert.Contains("3–5 working days", option.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.75, "Change an order: Tom Becker, order B-11872")]
    [InlineData(0.749, "Unsure (change an order?): Tom Becker, order B-11872 — “Is the vitamin D from order B-11872 safe to take…”")]
    public void Summary_NamesTheIntentOnlyWhenTheDrafterIsSureOfIt(double confidence, string summary) =>
        Assert.Equal(summary, Plan("change_order", "Is the vitamin D from order B-11872 safe to take during pregnancy, or should I send it back?", confidence).Summary);

    [Theory]
    [InlineData("  where   is\nit? ", "where is it?")]
    [InlineData("Supercalifragilisticexpialidocious-and-then-some-more-words-without-any-space", "Supercalifragilisticexpialidocious-and-then-some-more-words-without-any-space")]
    [InlineData("", "")]
    public void Opening_IsTheFirstWholeWords(string text, string opening) =>
        Assert.Equal(opening, Playbook.Opening(text));

    [Fact]
    public void UnknownIntent_GetsAHoldingReply_AndAModelsOwnWordsWin()
    {
        var conversation = FactExtractorTests.Conversation("??");

        var draft = Playbook.Plan(conversation, FactExtractor.Extract(conversation, "unknown", 0.2), 0.2, reply: "Let me find out.");

        Assert.Equal(CaseKind.Reply, draft.Kind);
        Assert.Equal("Let me find out.", draft.Proposal.Text);
        Assert.Equal("other", draft.Facts.Topic);
    }

    private static Draft Plan(string intent, string text, double confidence)
    {
        var conversation = new Conversation("c1", "chat", Tom, [new Turn(Turn.CustomerRole, text)]);
        return Playbook.Plan(conversation, FactExtractor.Extract(conversation, intent, confidence), confidence);
    }
}

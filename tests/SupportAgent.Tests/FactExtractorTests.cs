using Handoff.Samples.SupportAgent.Drafting;

namespace Handoff.Samples.SupportAgent.Tests;

public sealed class FactExtractorTests
{
    [Theory]
    [InlineData("It was €1,450 and it broke.", 1450, "EUR")]
    [InlineData("I paid 1.450,50 EUR for it", 1450.50, "EUR")]
    [InlineData("the $2,300 sofa", 2300, "USD")]
    [InlineData("only 89 euros", 89, "EUR")]
    [InlineData("£45.99 for a kettle", 45.99, "GBP")]
    [InlineData("I was charged 1200 EUR twice", 1200, "EUR")]
    public void Amounts_WrittenInManyWays_AreReadAsOneNumberAndCurrency(string text, double amount, string currency)
    {
        var money = Assert.Single(FactExtractor.Amounts(text));

        Assert.Equal((decimal)amount, money.Amount);
        Assert.Equal(currency, money.Currency);
    }

    [Theory]
    [InlineData("my order 4410982 is late")]
    [InlineData("the number is 19.90")]
    [InlineData("I have 3 children")]
    public void Amounts_NumbersWithoutCurrency_AreNotMoney(string text) => Assert.Empty(FactExtractor.Amounts(text));

    [Fact]
    public void Extract_SeveralAmounts_TakesTheLargest()
    {
        var facts = FactExtractor.Extract(Conversation("The kettle was €45 but the machine was €1,290."), "get_refund");

        Assert.Equal(1290m, facts.Amount);
        Assert.Equal("EUR", facts.Currency);
    }

    [Theory]
    [InlineData("Where is order A-20931?", "A-20931")]
    [InlineData("order 4410982 never came", "4410982")]
    [InlineData("ref #B11872 please", "B11872")]
    [InlineData("I paid €1,450 yesterday", null)]
    public void Extract_OrderNumbers_AreFoundAsWritten(string text, string? orderId) =>
        Assert.Equal(orderId, FactExtractor.Extract(Conversation(text), "track_order").OrderId);

    [Theory]
    [InlineData("Can I take magnesium with ibuprofen?", "medical")]
    [InlineData("Is the vitamin D safe during pregnancy?", "medical")]
    [InlineData("My lawyer will hear about this", "legal")]
    [InlineData("I'm going to sue you", "legal")]
    [InlineData("Where is my refund?", "refund")]
    [InlineData("gibberish", "other")]
    public void Extract_Topic_IsMedicalOrLegalFromTheWordsElseTheIntents(string text, string topic)
    {
        var intent = text == "gibberish" ? "unknown" : "track_refund";

        Assert.Equal(topic, FactExtractor.Extract(Conversation(text), intent).Topic);
    }

    [Theory]
    [InlineData("let me talk to a real person", "track_order", true)]
    [InlineData("Can I speak with a manager?", "complaint", true)]
    [InlineData("I want a human agent", "payment_issue", true)]
    [InlineData("anything", "contact_human_agent", true)]
    [InlineData("My person of contact is Ana", "edit_account", false)]
    public void Extract_AskingForAPerson_IsSeenInWordsOrIntent(string text, string intent, bool asks) =>
        Assert.Equal(asks, FactExtractor.Extract(Conversation(text), intent).AsksForPerson);

    [Fact]
    public void Extract_OnlyTheCustomersWords_Count()
    {
        var conversation = new Conversation("c1", "chat", new Customer("cus_1", "Ana Lima"),
        [
            new Turn(Turn.AgentRole, "Your lawyer? Order A-11111 cost €5,000."),
            new Turn(Turn.CustomerRole, "No, just cancel it."),
        ]);

        var facts = FactExtractor.Extract(conversation, "cancel_order");

        Assert.Equal("order", facts.Topic);
        Assert.Null(facts.Amount);
        Assert.Null(facts.OrderId);
    }

    [Fact]
    public void FactsAsJson_ReadBack_AreTheSame()
    {
        var facts = new CustomerFacts("get_refund", "refund", 1450.5m, "EUR", "B-11872", AsksForPerson: true);

        Assert.Equal(facts, CustomerFacts.FromJson(System.Text.Json.Nodes.JsonNode.Parse(facts.ToJson().ToJsonString())!.AsObject()));
        Assert.Equal(new CustomerFacts("unknown", "other", null, null, null, false), CustomerFacts.FromJson(null));
    }

    internal static Conversation Conversation(string text) =>
        new("c1", "chat", new Customer("cus_1", "Ana Lima"), [new Turn(Turn.CustomerRole, text)]);
}

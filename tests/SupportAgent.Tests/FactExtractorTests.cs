using Handoff.Samples.SupportAgent.Drafting;

namespace Handoff.Samples.SupportAgent.Tests;

public sealed class FactExtractorTests
{
    // A classifier's probability it is sure of (at least Evaluation.ConfidentAt).
    private const double Sure = 0.9;

    [Theory]
    [InlineData("It was €1,450 and it broke.", 1450, "EUR")]
    [InlineData("I paid 1.450,50 EUR for it", 1450.50, "EUR")]
    [InlineData("the $2,300 sofa", 2300, "USD")]
    [InlineData("only 89 euros", 89, "EUR")]
    [InlineData("£45.99 for a kettle", 45.99, "GBP")]
    [InlineData("I was charged 1200 EUR twice", 1200, "EUR")]
    [InlineData("the EUR 1,450 sofa", 1450, "EUR")]
    [InlineData("USD2300 for the fridge", 2300, "USD")]
    [InlineData("it cost CHF 1'450", 1450, "CHF")]
    [InlineData("zapłaciłem 5 000 zł", 5000, "PLN")]
    [InlineData("1,450.- EUR is a lot", 1450, "EUR")]
    [InlineData("a €2.3k machine", 2300, "EUR")]
    [InlineData("SEK 12 500 for the sofa", 12500, "SEK")]
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
    [InlineData("in 2024 I bought 500 things")]
    [InlineData("€ for euro kitchen")]
    public void Amounts_NumbersWithoutCurrency_AreNotMoney(string text) => Assert.Empty(FactExtractor.Amounts(text));

    [Fact]
    public void Extract_SeveralAmounts_TakesTheLargest()
    {
        var facts = FactExtractor.Extract(Conversation("The kettle was €45 but the machine was €1,290."), "get_refund", Sure);

        Assert.Equal(1290m, facts.Amount);
        Assert.Equal("EUR", facts.Currency);
    }

    [Fact]
    public void Extract_OneAmount_IsNotSeveral_ButTwoAre()
    {
        Assert.False(FactExtractor.Extract(Conversation("It was €1,450."), "get_refund", Sure).SeveralAmounts);
        Assert.True(FactExtractor.Extract(Conversation("I paid €1,450 but only want the €30 shipping fee back."), "get_refund", Sure).SeveralAmounts);
    }

    [Theory]
    [InlineData("Where is order A-20931?", "A-20931")]
    [InlineData("order no. 4410982 please", "4410982")]
    [InlineData("Please cancel my order, call me back on 0612345678.", null)]
    [InlineData("my number is 0151 23456789", null)]
    [InlineData("Strada Lipscani 5, 030031 Bucharest, order A-21877", "A-21877")]
    [InlineData("send it to 75008 Paris", null)]
    [InlineData("order 4410982 never came", "4410982")]
    [InlineData("ref #B11872 please", "B11872")]
    [InlineData("I paid €1,450 yesterday", null)]
    public void Extract_OrderNumbers_AreFoundAsWritten(string text, string? orderId) =>
        Assert.Equal(orderId, FactExtractor.Extract(Conversation(text), "track_order", Sure).OrderId);

    [Theory]
    [InlineData("Can I take magnesium with ibuprofen?", "medical")]
    [InlineData("Is the vitamin D safe during pregnancy?", "medical")]
    [InlineData("My lawyer will hear about this", "legal")]
    [InlineData("I'm going to sue you", "legal")]
    [InlineData("I will take you to court", "legal")]
    [InlineData("Regards, Sue", "refund")]
    [InlineData("the table for our tennis court", "refund")]
    [InlineData("how much descaler per dose?", "refund")]
    [InlineData("Where is my refund?", "refund")]
    [InlineData("gibberish", "other")]
    public void Extract_Topic_IsMedicalOrLegalFromTheWordsElseTheIntents(string text, string topic)
    {
        var intent = text == "gibberish" ? "unknown" : "track_refund";

        Assert.Equal(topic, FactExtractor.Extract(Conversation(text), intent, Sure).Topic);
    }

    [Theory]
    [InlineData("let me talk to a real person", "track_order", true)]
    [InlineData("Can I speak with a manager?", "complaint", true)]
    [InlineData("I want a human agent", "payment_issue", true)]
    [InlineData("anything", "contact_human_agent", true)]
    [InlineData("where is order 4436120, it's been two weeks", "contact_human_agent", false, 0.238)] // an unsure guess at the intent
    [InlineData("get me a real person", "track_order", true, 0.238)]
    [InlineData("My person of contact is Ana", "edit_account", false)]
    [InlineData("I don't need to talk to a human, just fix it", "payment_issue", false)]
    [InlineData("No need to get a real person involved", "payment_issue", false)]
    public void Extract_AskingForAPerson_IsSeenInWordsOrAnIntentTheDrafterIsSureOf(string text, string intent, bool asks, double confidence = Sure) =>
        Assert.Equal(asks, FactExtractor.Extract(Conversation(text), intent, confidence).AsksForPerson);

    [Fact]
    public void Extract_OnlyTheCustomersWords_Count()
    {
        var conversation = new Conversation("c1", "chat", new Customer("cus_1", "Ana Lima"),
        [
            new Turn(Turn.AgentRole, "Your lawyer? Order A-11111 cost €5,000."),
            new Turn(Turn.CustomerRole, "No, just cancel it."),
        ]);

        var facts = FactExtractor.Extract(conversation, "cancel_order", Sure);

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
